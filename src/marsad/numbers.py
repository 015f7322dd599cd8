"""Numbers written as digits or words, duals (عنصرين = 2), "أحد" = 1, and vague
quantities mapped per EVENTS.md ("عدد من" = 3, "عشرات" = 12)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import read_tsv
from .text import normalize, strip_clitics


@dataclass(frozen=True)
class Quantity:
    value: int
    start: int  # normalised offsets
    end: int
    kind: str  # "digits", "cardinal", "dual", "vague", "singular"


@dataclass(frozen=True)
class _NumberLexicon:
    words: dict[tuple[str, ...], tuple[int, str]]  # token sequence -> (value, kind)
    max_len: int
    singular: frozenset[str]
    dual: frozenset[str]
    plural: frozenset[str]


@lru_cache(maxsize=1)
def number_lexicon() -> _NumberLexicon:
    words: dict[tuple[str, ...], tuple[int, str]] = {}
    for row in read_tsv("numbers.tsv"):
        key = tuple(normalize(row["word"]).split())
        words[key] = (int(row["value"]), row["kind"])
    singular: set[str] = set()
    dual: set[str] = set()
    plural: set[str] = set()
    for row in read_tsv("number_nouns.tsv"):
        singular.add(normalize(row["singular"]))
        dual.update(normalize(d) for d in row["dual"].split("|") if d and d != "-")
        plural.update(normalize(p) for p in row["plural"].split("|") if p and p != "-")
    return _NumberLexicon(words, max(len(k) for k in words), frozenset(singular), frozenset(dual), frozenset(plural))


_DIGITS = re.compile(r"\d{1,3}(?:[,٬]\d{3})+|\d+")


def _stems(word: str) -> list[str]:
    out = []
    for s in strip_clitics(word):
        out.append(s)
        if s.startswith("ال") and len(s) > 3:
            out.append(s[2:])
    return out


def quantity_at(text: str, toks: list[tuple[int, int]], i: int) -> Quantity | None:
    """The quantity that begins at token ``i`` (digits, number words, a dual noun, or a vague word)."""
    lex = number_lexicon()
    s, e = toks[i]
    word = text[s:e]
    if e <= s:
        return None  # a masked token
    if _DIGITS.fullmatch(word):
        end, digits = e, word
        # "1,200": the comma splits the token, the thousands group follows
        while i + 1 < len(toks) and text[end:toks[i + 1][0]] in (",", "٬") and re.fullmatch(r"\d{3}", text[toks[i + 1][0]:toks[i + 1][1]]):
            i += 1
            end, digits = toks[i][1], digits + text[toks[i][0]:toks[i][1]]
        return Quantity(int(digits), s, end, "digits")
    for n in range(min(lex.max_len, len(toks) - i), 0, -1):
        seq = [text[a:b] for a, b in toks[i:i + n]]
        for first in strip_clitics(seq[0]):  # number words take clitics, not the article (الأحد is a day)
            key = tuple([first] + seq[1:])
            if key in lex.words:
                value, kind = lex.words[key]
                return Quantity(value, s, toks[i + n - 1][1], kind)
    for stem in _stems(word):
        if stem in lex.dual:
            return Quantity(2, s, e, "dual")
    return None


def is_person_noun(word: str) -> str | None:
    """"singular", "dual" or "plural" when ``word`` is a noun that counts people."""
    lex = number_lexicon()
    for stem in _stems(word):
        bare = stem[:-1] if stem.endswith("ا") and stem[:-1] in lex.singular else stem
        if bare in lex.singular:
            return "singular"
        if stem in lex.dual:
            return "dual"
        if stem in lex.plural:
            return "plural"
    return None
