"""Word-pattern matching for lexicons of inflected words ("اعتقل*" finds اعتقلت، واعتقال، الاعتقالات).

A pattern is a sequence of words; a word ending in "*" matches any word that starts with it.
Words are compared after removing clitics and the article, so lexicons list bare forms.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Iterable, TypeVar

from .text import normalize, strip_clitics, tokens

T = TypeVar("T")


@dataclass(frozen=True)
class WordMatch(Generic[T]):
    start: int  # normalised offsets: first word's start, last word's end
    end: int
    first_token: int  # index of the first word in the token list given
    n_tokens: int
    value: T


@lru_cache(maxsize=1 << 16)
def word_forms(word: str) -> tuple[str, ...]:
    """A word and its forms without clitics and without the article."""
    forms: list[str] = []
    for stem in strip_clitics(word):
        for f in (stem, stem[2:] if stem.startswith("ال") and len(stem) > 3 else None):
            if f and f not in forms:
                forms.append(f)
    return tuple(forms)


class WordPatternMatcher(Generic[T]):
    def __init__(self, patterns: Iterable[tuple[str, T]]):
        self._exact: dict[str, list[tuple[list[str], T]]] = {}
        self._prefix: dict[str, list[tuple[list[str], T]]] = {}
        self._max_prefix = 0
        self._cache: dict[tuple[str, ...], list[tuple[list[str], T]]] = {}
        for pattern, value in patterns:
            words = [normalize(w) if not w.endswith("*") else normalize(w[:-1]) + "*" for w in pattern.split()]
            words = [w[2:] if w.startswith("ال") and len(w.rstrip("*")) > 3 else w for w in words]
            if not words:
                continue
            first = words[0]
            if first.endswith("*"):
                self._prefix.setdefault(first[:-1], []).append((words, value))
                self._max_prefix = max(self._max_prefix, len(first) - 1)
            else:
                self._exact.setdefault(first, []).append((words, value))

    @staticmethod
    def _word_matches(pattern_word: str, forms: tuple[str, ...]) -> bool:
        if pattern_word.endswith("*"):
            p = pattern_word[:-1]
            return any(f.startswith(p) for f in forms)
        return pattern_word in forms

    def _candidates(self, forms: tuple[str, ...]) -> list[tuple[list[str], T]]:
        cached = self._cache.get(forms)
        if cached is not None:
            return cached
        out: list[tuple[list[str], T]] = []
        for f in forms:
            out.extend(self._exact.get(f, ()))
            for n in range(1, min(len(f), self._max_prefix) + 1):
                out.extend(self._prefix.get(f[:n], ()))
        if len(self._cache) < 200_000:
            self._cache[forms] = out
        return out

    def find_all(self, text: str, toks: list[tuple[int, int]] | None = None) -> list[WordMatch[T]]:
        """Matches in ``text`` (normalised), longest first where they overlap."""
        toks = tokens(text) if toks is None else toks
        forms_cache = [word_forms(text[s:e]) for s, e in toks]
        found: list[WordMatch[T]] = []
        for i in range(len(toks)):
            for words, value in self._candidates(forms_cache[i]):
                n = len(words)
                if i + n > len(toks):
                    continue
                if all(self._word_matches(words[k], forms_cache[i + k]) for k in range(n)):
                    found.append(WordMatch(toks[i][0], toks[i + n - 1][1], i, n, value))
        found.sort(key=lambda m: (-m.n_tokens, m.start))
        taken: list[WordMatch[T]] = []
        used: set[int] = set()
        for m in found:
            span = set(range(m.first_token, m.first_token + m.n_tokens))
            if span & used:
                continue
            used |= span
            taken.append(m)
        taken.sort(key=lambda m: m.start)
        return taken
