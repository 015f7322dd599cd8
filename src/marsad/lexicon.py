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


_LENGTH_BITS = 10   # automaton value = key index << 10 | length of the surface form


class PhraseMatcher(Generic[T]):
    """Finds every entry at word boundaries; longest match wins where matches overlap.

    Picklable, and quick to unpickle, so that a large one can be kept in a cache file: the
    automaton stores integers (the entry's key index and the surface form's length) and the
    keys and values are flat lists (``values=None`` when every key's value is the key itself)."""

    def __init__(self, entries: Iterable[tuple[str, T]], definite_forms: bool = False):
        """``definite_forms``: an entry without the article also matches with it (شاب → الشاب)."""
        key_index: dict[str, int] = {}
        self._keys: list[str] = []
        self._values: list[list[T]] | None = []
        surfaces: dict[str, int] = {}

        def add(surface: str, key: str, value: T) -> None:
            i = key_index.get(key)
            if i is None:
                i = key_index[key] = len(self._keys)
                self._keys.append(key)
                self._values.append([])
            if value not in self._values[i]:
                self._values[i].append(value)
            surfaces.setdefault(surface, i)

        for phrase, value in entries:
            key = normalize(phrase)
            if not key:
                continue
            add(key, key, value)
            if definite_forms and not key.startswith("ال"):
                add("ال" + key, key, value)
                key = "ال" + key
            if key.startswith("ال") and len(key) > 3:
                add("لل" + key[2:], key, value)  # ل + ال + noun is written "لل"
        if all(v == [k] for k, v in zip(self._keys, self._values)):
            self._values = None   # values are the keys: nothing more to store
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for surface, i in surfaces.items():
            if len(surface) >= 1 << _LENGTH_BITS:
                raise ValueError(f"phrase too long for the matcher: {surface[:40]}...")
            self._automaton.add_word(surface, i << _LENGTH_BITS | len(surface))
        self._size = len(surfaces)
        if surfaces:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def find_all(self, text: str, start: int = 0, end: int | None = None) -> list[Match[list[T]]]:
        """All boundary-respecting matches, overlapping ones resolved to the longest."""
        if not self._size:
            return []
        end = len(text) if end is None else end
        found: list[Match[list[T]]] = []
        keys, values_of, mask = self._keys, self._values, (1 << _LENGTH_BITS) - 1
        for last, packed in self._automaton.iter(text, start, end):
            i = packed >> _LENGTH_BITS
            key = keys[i]
            values = values_of[i] if values_of is not None else [key]
            s = last - (packed & mask) + 1
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
