"""Dictionary matching of normalised phrases in normalised text (Aho-Corasick),
aware of Arabic clitics: "لـ"قسد"", "والنعمان", "للتحالف" all find their entry."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Generic, Iterable, Iterator, TypeVar

import ahocorasick

from .text import at_word_end, at_word_start, normalize

T = TypeVar("T")


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int  # normalised offset where the phrase begins (after clitics)
    end: int
    token_start: int  # where the whole token begins, clitics included
    key: str
    value: T


class PhraseMatcher(Generic[T]):
    """Finds every entry at word boundaries; longest match wins where matches overlap."""

    def __init__(self, entries: Iterable[tuple[str, T]], definite_forms: bool = False):
        """``definite_forms``: an entry without the article also matches with it (شاب → الشاب)."""
        self._automaton = ahocorasick.Automaton()
        self._values: dict[str, tuple[str, list[T]]] = {}  # surface form -> (dictionary key, values)
        for phrase, value in entries:
            key = normalize(phrase)
            if not key:
                continue
            self._add(key, key, value)
            if definite_forms and not key.startswith("ال"):
                self._add("ال" + key, key, value)
                key = "ال" + key
            if key.startswith("ال") and len(key) > 3:
                self._add("لل" + key[2:], key, value)  # ل + ال + noun is written "لل"
        for surface, (key, values) in self._values.items():
            self._automaton.add_word(surface, (surface, key, values))
        if len(self._automaton):
            self._automaton.make_automaton()

    def _add(self, surface: str, key: str, value: T) -> None:
        _, values = self._values.setdefault(surface, (key, []))
        if value not in values:
            values.append(value)

    def __len__(self) -> int:
        return len(self._values)

    def find_all(self, text: str, start: int = 0, end: int | None = None) -> list[Match[list[T]]]:
        """All boundary-respecting matches, overlapping ones resolved to the longest."""
        if not len(self._automaton):
            return []
        end = len(text) if end is None else end
        found: list[Match[list[T]]] = []
        for last, (surface, key, values) in self._automaton.iter(text, start, end):
            s = last - len(surface) + 1
            e = last + 1
            tok = at_word_start(text, s)
            if tok is None or not at_word_end(text, e):
                continue
            found.append(Match(s, e, tok, key, values))
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[Match[list[T]]] = []
        for m in found:
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        taken.sort(key=lambda m: m.start)
        return taken


def data_path(name: str):
    return resources.files("marsad").joinpath("data", name)


def read_tsv(name: str) -> Iterator[dict[str, str]]:
    """Rows of a TSV data file shipped in marsad/data (lines starting with # are comments)."""
    with data_path(name).open(encoding="utf-8") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
