"""Word-pattern matching for lexicons of inflected words ("اعتقل*" finds اعتقلت، واعتقال، الاعتقالات).

A pattern is a sequence of words; a word ending in "*" matches any word that starts with it.
Words are compared after removing clitics and the article, so lexicons list bare forms.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
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


_CACHE_WORDS = 100_000  # words whose candidate patterns a matcher keeps (then it starts afresh)


class WordPatternMatcher(Generic[T]):
    def __init__(self, patterns: Iterable[tuple[str, T]]):
        self._exact: dict[str, list[tuple[list[str], T]]] = {}
        self._prefix: dict[str, list[tuple[list[str], T]]] = {}
        self._max_prefix = 0
        self._cache: dict[str, list[tuple[list[str], T]]] = {}  # word -> _candidates(word)
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

    def _candidates(self, word: str) -> list[tuple[list[str], T]]:
        """The patterns whose first word matches ``word``."""
        out: list[tuple[list[str], T]] = []
        for f in word_forms(word):
            out.extend(self._exact.get(f, ()))
            for n in range(1, min(len(f), self._max_prefix) + 1):
                out.extend(self._prefix.get(f[:n], ()))
        return out

    def _candidates_of(self, words: list[str]) -> list[list[tuple[list[str], T]]]:
        """``_candidates`` of each word, kept in ``_cache`` for the next texts."""
        cache = self._cache
        missing = set(words).difference(cache)
        if len(cache) + len(missing) > _CACHE_WORDS:
            cache.clear()
            missing = set(words)
        for word in missing:
            cache[word] = self._candidates(word)
        return list(map(cache.__getitem__, words))

    def find_all(self, text: str, toks: list[tuple[int, int]] | None = None) -> list[WordMatch[T]]:
        """Matches in ``text`` (normalised), longest first where they overlap."""
        toks = tokens(text) if toks is None else toks
        words = [text[s:e] for s, e in toks]
        candidates = self._candidates_of(words)
        found: list[WordMatch[T]] = []
        for i in compress(range(len(words)), candidates):  # the words that may start a pattern
            for pattern, value in candidates[i]:
                n = len(pattern)
                if i + n > len(toks):
                    continue
                # the first word matches (that is how the pattern was found); check the others
                if all(self._word_matches(pattern[k], word_forms(words[i + k])) for k in range(1, n)):
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
