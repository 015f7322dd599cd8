"""Fatality figures: who was killed and how many, per statement ("مقتل اثنين من التنظيم",
"قتل عنصر", "أربعة مدنيين قتلوا", "ثلاثة قتلى", "فجر نفسه"). Injured are not fatalities; a
figure that lumps killed and injured together ("مقتل وإصابة 19") is not counted."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .lexicon import read_tsv
from .numbers import is_person_noun, number_lexicon, quantity_at
from .patterns import WordPatternMatcher
from .text import normalize

CLAUSE_BREAK = set(".،,;:!?؟\n")


@dataclass(frozen=True)
class KillCount:
    value: int
    start: int  # normalised offsets of the statement (kill word to figure)
    end: int
    sentence_key: int  # start of the statement's sentence
    vague: bool = False  # "عدد من", "عشرات": a convention, not a count


@dataclass(frozen=True)
class _KillLexicon:
    words: WordPatternMatcher[str]
    injury: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _KillLexicon:
    rows = list(read_tsv("kill_words.tsv"))
    words = WordPatternMatcher((r["pattern"], r["kind"]) for r in rows if r["kind"] != "injury")
    injury = frozenset(normalize(r["pattern"]) for r in rows if r["kind"] == "injury")
    return _KillLexicon(words, injury)


def find_kill_counts(text: str, toks: list[tuple[int, int]], sentence_starts: list[int],
                     not_counts: list[tuple[int, int]] = ()) -> list[KillCount]:
    """Kill statements with their figures. ``not_counts``: spans that hold numbers which are not
    counts of people (dates: "قتل مدنيون في 12 آذار")."""
    lex = _lexicon()
    out: list[KillCount] = []
    toks = _without(toks, not_counts)
    for m in lex.words.find_all(text, toks):
        kind = m.value
        i, n = m.first_token, m.n_tokens
        if kind == "self":  # فجر نفسه: the bomber counts
            value, end = 1, m.end
        elif kind == "noun":  # ثلاثة قتلى، قتيلان
            noun = is_person_noun(text[toks[i][0]:toks[i][1]])
            value, end = _count_before(text, toks, i, m) or ({"singular": 1, "dual": 2}.get(noun or "", 0), m.end)
        elif kind == "subject_before":  # "لقي شاب حتفه": the figure or person stands before
            value, end = _count_before(text, toks, i, m) or _person_before(text, toks, i) or (0, m.end)
        else:  # verb or verbal noun: the figure follows ("مقتل خمسة"), or precedes ("أربعة مدنيين قتلوا")
            if _lumped_with_injured(text, toks, i + n, lex):
                continue
            found = (_pronoun_count(text, toks, i, m) or _count_after(text, toks, i + n)
                     or _count_before(text, toks, i, m) or _passive_subject(text, toks, i, m, sentence_starts))
            if found:
                found = (found[0] + _in_addition(text, toks, i + n), found[1])
            if not found:
                continue
            value, end = found
        if value <= 0:
            continue
        key = max((s for s in sentence_starts if s <= m.start), default=0)
        a, b = min(m.start, end), max(m.end, end)
        out.append(KillCount(value, a, b, key, vague=_is_vague(text[a:b])))
    return out


def _without(toks: list[tuple[int, int]], spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``toks`` with the tokens that lie inside one of ``spans`` emptied (``(start, start)``)."""
    out = list(toks)
    starts = [s for s, _ in toks]
    for a, b in spans:
        k = bisect_left(starts, a)
        while k < len(toks) and toks[k][1] <= b:
            out[k] = (toks[k][0], toks[k][0])
            k += 1
    return out


def _is_vague(statement: str) -> bool:
    words = number_lexicon().words
    return any(kind == "vague" and " ".join(key) in statement for key, (_, kind) in words.items())


def _lumped_with_injured(text: str, toks, j: int, lex: _KillLexicon) -> bool:
    """"مقتل وإصابة ..." / "قتل وجرح ...": one figure for both."""
    if j >= len(toks):
        return False
    word = text[toks[j][0]:toks[j][1]]
    return word.startswith("و") and any(word[1:].startswith(w) for w in lex.injury)


def _count_after(text: str, toks, j: int) -> tuple[int, int] | None:
    for k in range(j, min(j + 5, len(toks))):
        if k > j and not CLAUSE_BREAK.isdisjoint(text[toks[k - 1][1]:toks[k][0]]):
            return None
        word = text[toks[k][0]:toks[k][1]]
        if word.startswith("و") and k > j:  # "وأصيب ...": the next statement
            return None
        q = quantity_at(text, toks, k)
        if q is not None:
            return q.value, q.end
        noun = is_person_noun(word)
        if noun == "singular":
            return 1, toks[k][1]
        if noun == "dual":
            return 2, toks[k][1]
    return None


PASSIVE_FORMS = ("قتل", "قتلت", "قتلوا")
PRONOUN_COUNTS = {"ه": 1, "ها": 1, "هما": 2}
IN_ADDITION = ("اضافه الي", "اضافه ل", "فضلا عن", "بالاضافه الي")


def _pronoun_count(text: str, toks, i: int, m) -> tuple[int, int] | None:
    """"أسفر عن مقتله" (his killing) = 1, "مقتلهما" = 2."""
    word = text[toks[i][0]:toks[i][1]]
    for stem in ("مقتل", "قتل", "استشهاد", "مصرع"):
        k = word.find(stem)
        if k != -1 and word[k + len(stem):] in PRONOUN_COUNTS:
            return PRONOUN_COUNTS[word[k + len(stem):]], m.end
    return None


def _in_addition(text: str, toks, j: int) -> int:
    """"مقتل قائد اللواء، إضافة إلى عنصر آخر": one more."""
    end = toks[min(j + 10, len(toks) - 1)][1] if toks else 0
    window = text[toks[j][0] if j < len(toks) else end:end]
    for phrase in IN_ADDITION:
        k = window.find(phrase)
        if k != -1:
            rest = window[k + len(phrase):].split()
            if rest:
                noun = is_person_noun(rest[0].removeprefix("ل"))
                return {"singular": 1, "dual": 2}.get(noun or "", 0)
    return 0


def _passive_subject(text: str, toks, i: int, m, sentence_starts: list[int]) -> tuple[int, int] | None:
    """"مدنيا اسمه ...، من أبناء ...، قُتل": a singular subject earlier in the sentence counts 1."""
    word = text[toks[i][0]:toks[i][1]]
    if word not in PASSIVE_FORMS:
        return None
    start = max((s for s in sentence_starts if s <= toks[i][0]), default=0)
    for k in range(i - 1, max(i - 15, -1), -1):
        if toks[k][0] < start:
            break
        noun = is_person_noun(text[toks[k][0]:toks[k][1]])
        if noun in ("singular", "dual"):
            return (1 if noun == "singular" else 2), m.end
        if quantity_at(text, toks, k) is not None:
            return None
    return None


def _count_before(text: str, toks, i: int, m) -> tuple[int, int] | None:
    for k in range(i - 1, max(i - 4, -1), -1):
        if not CLAUSE_BREAK.isdisjoint(text[toks[k][1]:toks[k + 1][0]]):
            return None
        q = quantity_at(text, toks, k)
        if q is not None:
            return q.value, q.start
    return None


def _person_before(text: str, toks, i: int) -> tuple[int, int] | None:
    for k in range(i - 1, max(i - 3, -1), -1):
        noun = is_person_noun(text[toks[k][0]:toks[k][1]])
        if noun in ("singular", "dual"):
            return (1 if noun == "singular" else 2), toks[k][0]
    return None
