"""Dictionary matching of normalised phrases in normalised text (Aho-Corasick),
aware of Arabic clitics: "لـ"قسد"", "والنعمان", "للتحالف" all find their entry."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Generic, Iterable, Iterator, TypeVar

import ahocorasick

from .text import at_word_start, normalize

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
        found = self._candidates(text, start, end)
        found.sort(key=lambda m: (m[0] - m[1], m[0]))  # longest first, then leftmost
        taken: list[tuple[int, int, int, int]] = []
        used = bytearray(end - start)
        for m in found:
            s, e = m[0] - start, m[1] - start
            if used.find(1, s, e) == -1:
                used[s:e] = b"\x01" * (e - s)
                taken.append(m)
        taken.sort()
        keys, values_of = self._keys, self._values
        return [Match(s, e, tok, keys[i], values_of[i] if values_of is not None else [keys[i]])
                for s, e, tok, i in taken]

    def _candidates(self, text: str, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """(start, end, token start, key index) of every match at word boundaries, in automaton order."""
        n = len(text)
        mask = (1 << _LENGTH_BITS) - 1
        out: list[tuple[int, int, int, int]] = []
        for last, packed in self._automaton.iter(text, start, end):
            e = last + 1
            if e < n and ((c := text[e]).isalnum() or c == "_"):  # is_word_char, inline: this loop is hot
                continue
            s = e - (packed & mask)
            tok = at_word_start(text, s) if s and ((c := text[s - 1]).isalnum() or c == "_") else s
            if tok is not None:
                out.append((s, e, tok, packed >> _LENGTH_BITS))
        return out


def data_path(name: str):
    return resources.files("marsad").joinpath("data", name)


def read_tsv(name: str) -> Iterator[dict[str, str]]:
    """Rows of a TSV data file shipped in marsad/data (lines starting with # are comments)."""
    with data_path(name).open(encoding="utf-8") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
