"""Arabic text layer: normalisation that keeps a map back to original offsets,
clitic-aware word boundaries, paragraphs and sentences.

Every position handed to later stages is a position in the *normalised* text;
``NormalizedText.span`` turns a normalised span back into an original one.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

# One original character -> its normalised form ("" = dropped).
_CHAR_MAP: dict[str, str] = {}
for _c in "أإآٱٲٳ":
    _CHAR_MAP[_c] = "ا"
_CHAR_MAP.update({
    "ة": "ه", "ى": "ي", "ئ": "ي", "ؤ": "و", "ک": "ك", "ی": "ي",
    "ـ": "",  # tatweel
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ", "\t": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u200e": "", "\u200f": "", "\ufeff": "", "\u061c": "",
    "\u202a": "", "\u202b": "", "\u202c": "", "\u202d": "", "\u202e": "",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"',
    "؛": ";", "٪": "%", "–": "-", "—": "-",
})
for _i, _d in enumerate("٠١٢٣٤٥٦٧٨٩"):
    _CHAR_MAP[_d] = str(_i)
for _i, _d in enumerate("۰۱۲۳۴۵۶۷۸۹"):
    _CHAR_MAP[_d] = str(_i)
# Arabic diacritics (harakat, shadda, sukun, superscript alef, Quranic marks).
for _cp in list(range(0x064B, 0x0660)) + [0x0670] + list(range(0x06D6, 0x06EE)):
    _CHAR_MAP[chr(_cp)] = ""

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
WORD_CHARS = re.compile(r"[\w]", re.UNICODE)
# Clitics that may stand before a word: conjunctions, prepositions, the article's "لل" form.
CLITIC_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "لل", "ولل", "بال", "وبال")


def normalize_char(ch: str) -> str:
    return _CHAR_MAP.get(ch, ch)


_TRANSLATION = str.maketrans(_CHAR_MAP)  # every entry maps one character to at most one
_DROPPED = re.compile("[" + "".join(re.escape(c) for c, r in _CHAR_MAP.items() if not r) + "]+")
_SPACES = re.compile(r" +")


def normalize(s: str) -> str:
    """Normalise a string without keeping offsets (for dictionary keys)."""
    return _SPACES.sub(" ", s.translate(_TRANSLATION)).strip()


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, s: str) -> str:
        return s[self.start:self.end]


QUOTES = frozenset('"\'“”„«»″‘’`')


class NormalizedText:
    """Normalised text plus a map from each normalised index to its original index.

    Quotation marks are dropped so that names read the same quoted or not (لـ"قسد" = لقسد,
    تنظيم "الدولة" = تنظيم الدولة); a quote glued between two words becomes a space.
    ``quotes`` keeps the normalised positions where quotes stood, for readers of quoted names.
    """

    def __init__(self, original: str):
        self.original = original
        parts: list[str] = []  # the normalised text, in pieces
        pos: list[int] = []  # original index of each normalised character
        self.quotes: list[int] = []
        n = len(original)
        start = 0
        for quote in _QUOTE.finditer(original):
            i = quote.start()
            _append_normalized(original, start, i, parts, pos)
            self.quotes.append(len(pos))
            glued = pos and is_word_char(parts[-1][-1]) and i + 1 < n and is_word_char(original[i + 1])
            if glued and _trailing_word(parts) not in CLITIC_PREFIXES:
                parts.append(" ")
                pos.append(i)
            start = i + 1
        _append_normalized(original, start, n, parts, pos)
        self.text = "".join(parts)
        pos.append(n)
        self._pos = pos

    def norm_offset(self, original_index: int) -> int:
        """The normalised index of an original index (the next kept character)."""
        return bisect_left(self._pos, original_index, 0, len(self._pos) - 1)

    def orig(self, i: int) -> int:
        """Original offset of normalised offset ``i`` (``i`` may be len(text))."""
        return self._pos[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of a normalised [start, end)."""
        if end <= start:
            o = self._pos[start]
            return o, o
        return self._pos[start], self._pos[end - 1] + 1

    def original_text(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]

    @cached_property
    def sentences(self) -> list["Sentence"]:
        return split_sentences(self.text)


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_QUOTE = re.compile("[" + "".join(re.escape(c) for c in sorted(QUOTES)) + "]")


def _append_normalized(original: str, start: int, end: int, parts: list[str], pos: list[int]) -> None:
    """Normalise ``original[start:end]`` (no quotes in it) onto ``parts``, its original indices onto ``pos``."""
    piece = original[start:end].translate(_TRANSLATION)
    if not piece:
        return
    parts.append(piece)
    if len(piece) == end - start:
        pos.extend(range(start, end))
        return
    kept = start
    for dropped in _DROPPED.finditer(original, start, end):
        pos.extend(range(kept, dropped.start()))
        kept = dropped.end()
    pos.extend(range(kept, end))


def _trailing_word(parts: list[str]) -> str:
    """The word characters at the end of the text in ``parts``."""
    word = ""
    for piece in reversed(parts):
        k = len(piece)
        while k > 0 and is_word_char(piece[k - 1]):
            k -= 1
        word = piece[k:] + word
        if k:
            break
    return word


def at_word_start(text: str, start: int) -> int | None:
    """If a word begins at ``start`` (possibly after clitic letters), return where the clitics begin.

    Returns the index where the whole token begins, or None when ``start`` is inside a word
    that is not just clitics + match.
    """
    if start == 0 or not is_word_char(text[start - 1]):
        return start
    j = start
    while j > 0 and is_word_char(text[j - 1]):
        j -= 1
    prefix = text[j:start]
    return j if prefix in CLITIC_PREFIXES else None


def at_word_end(text: str, end: int) -> bool:
    return end >= len(text) or not is_word_char(text[end])


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    index: int
    is_heading: bool


_SENT_END = re.compile(r"[.!?؟]+(?=\s|$|[)\]])|\n")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences inside paragraphs (paragraphs are separated by line breaks).

    A short line with no final punctuation is marked as a heading (section titles such
    as a village name above the paragraphs about it).
    """
    out: list[Sentence] = []
    para = 0
    idx = 0
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        stripped = line.strip()
        if stripped:
            heading = _looks_like_heading(stripped)
            s = line_start
            for m in _SENT_END.finditer(text, line_start, line_end):
                e = m.end()
                if text[s:e].strip():
                    out.append(_trim(text, s, e, para, idx, heading))
                    idx += 1
                s = e
            if text[s:line_end].strip():
                out.append(_trim(text, s, line_end, para, idx, heading))
                idx += 1
            para += 1
        line_start = line_end + 1
    return out


_FINAL_PUNCTUATION = re.compile(r"[.،,:!?؟]$")


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return len(words) <= 4 and not _FINAL_PUNCTUATION.search(line)


def _trim(text: str, s: int, e: int, para: int, idx: int, heading: bool) -> Sentence:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Sentence(s, e, para, idx, heading)


_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Word tokens (start, end) in normalised text."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


class Tokens:
    """The word tokens of a text, for taking ``tokens(text, start, end)`` often without reading it again."""

    def __init__(self, text: str, spans: list[tuple[int, int]] | None = None):
        """``spans``: ``tokens(text)``, when the caller has them already."""
        self.text = text
        self.spans = tokens(text) if spans is None else spans
        self._starts = [s for s, _ in self.spans]

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """``tokens(text, start, end)``: the tokens that begin in [start, end), the last one cut at ``end``."""
        text = self.text
        if 0 < start < len(text) and is_word_char(text[start - 1]) and is_word_char(text[start]):
            return tokens(text, start, end)  # from inside a word: the rest of that word is a token too
        out = self.spans[bisect_left(self._starts, start):bisect_left(self._starts, end)]
        if out and out[-1][1] > end:
            out[-1] = (out[-1][0], end)
        return out


def strip_clitics(word: str) -> list[str]:
    """Possible stems of a word after removing leading clitics (longest first)."""
    out = [word]
    for p in sorted(CLITIC_PREFIXES, key=len, reverse=True):
        if p and word.startswith(p) and len(word) - len(p) >= 2:
            stem = word[len(p):]
            if p.endswith("ل") and p.count("ل") == 2:  # "لل" + noun = "ل" + "ال" + noun
                out.append("ال" + stem)
            elif p.endswith("بال"):
                out.append("ال" + stem)
            else:
                out.append(stem)
    return out
