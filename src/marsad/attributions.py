"""Who reports what: attribution phrases (قال، أفاد، نقل عن، بحسب، وفق، ذكرت صفحة ...) and the
sources they name (data/sources.tsv, the actor catalog, or a quoted name)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .actors import ActorMention, catalog
from .lexicon import PhraseMatcher, read_tsv
from .patterns import WordPatternMatcher


@dataclass(frozen=True)
class SourceMention:
    name: str  # English name where known, else the Arabic name as written (normalised)
    start: int  # normalised offsets of the name
    end: int
    kind: str


@dataclass(frozen=True)
class _SourceLexicon:
    names: PhraseMatcher[tuple[str, str]]
    verbs: WordPatternMatcher[str]


@lru_cache(maxsize=1)
def _lexicon() -> _SourceLexicon:
    names = PhraseMatcher((r["arabic"], (r["english"], r["kind"])) for r in read_tsv("sources.tsv"))
    verbs = WordPatternMatcher((r["phrase"], r["phrase"]) for r in read_tsv("attribution_verbs.tsv"))
    return _SourceLexicon(names, verbs)


_MEDIA_NOUN = re.compile(r"(?:صفحه|شبكه|قناه|وكاله|موقع|مركز|منصه|حساب|اذاعه|صحيفه|جريده|تجمع|مرصد)\s")
CORRESPONDENT = "correspondent"


def _quoted_names(text: str, quotes: list[int]) -> list[tuple[int, int, str, str]]:
    """Names in quotes right after a media noun: صفحة "فرات بوست", قناة "الإخبارية"."""
    out = []
    for a, b in zip(quotes, quotes[1:]):
        name = text[a:b].strip()
        if not (2 <= len(name) <= 40) or "\n" in name:
            continue
        head = text[max(0, a - 8):a]
        if _MEDIA_NOUN.search(head + " "):
            out.append((a, b, name, "outlet"))
    return out


def find_attribution_verbs(text: str, toks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the verbs and phrases that introduce who reports (قال، أفاد، بحسب ...)."""
    return [(m.start, m.end) for m in _lexicon().verbs.find_all(text, toks)]


Name = tuple[int, int, str, str]  # start, end, name, kind


def source_names(text: str, quotes: list[int] | None = None) -> list[Name]:
    """The sources named in ``text`` that are not actors: data/sources.tsv, and quoted names
    after a media noun (``quotes``: where quotation marks stood)."""
    named = [(m.start, m.end, m.value[0][0], m.value[0][1]) for m in _lexicon().names.find_all(text)]
    known = [(s, e) for s, e, _, _ in named]
    return named + [q for q in _quoted_names(text, quotes or []) if not any(s <= q[0] < e for s, e in known)]


def find_sources(text: str, toks: list[tuple[int, int]], actors: list[ActorMention],
                 outlet: str | None = None, quotes: list[int] | None = None,
                 verbs: list[tuple[int, int]] | None = None, names: list[Name] | None = None) -> list[SourceMention]:
    """Source mentions governed by an attribution phrase, in text order. ``verbs`` and
    ``names`` (``source_names(text, quotes)``) may be given when they are known already.

    A verb with no named source (وأضاف، وأكدت) is left out here: the caller carries the
    previous source forward. "مراسل عنب بلدي" / "مراسلنا" name the outlet's correspondent.
    """
    named = list(source_names(text, quotes) if names is None else names)
    cat = catalog()
    named += [(a.start, a.end, cat.actors[a.actor].short, "actor") for a in actors
              if cat.actors[a.actor].inter not in (6, 7)]
    named.sort(key=lambda n: (n[0], n[3] == "actor", -(n[1] - n[0])))
    out: list[SourceMention] = []
    for v_start, v_end in (find_attribution_verbs(text, toks) if verbs is None else verbs):
        window_end = _clause_end(text, v_end, 90)
        after = [n for n in named if v_end <= n[0] < window_end]
        # "وكالة سبوتنيك من جهتها ذكرت": a source right before its verb (subject first)
        before = [n for n in named if n[1] <= v_start and v_start - n[1] <= 40
                  and len(text[n[1]:v_start].split()) <= 3 and not any(c in text[n[1]:v_start] for c in ".،,:\n")]
        if before and before[-1][3] != "actor":
            after = [before[-1]] + after
        if not after:
            continue
        s, e, name, kind = after[0]
        if name in (CORRESPONDENT, "correspondents"):
            outlet_after = [n for n in after[1:] if n[3] == "outlet" and n[0] - e < 4]
            base = outlet_after[0][2] if outlet_after else outlet
            if outlet_after:
                e = outlet_after[0][1]
            name = f"{base} correspondent" if base else "correspondent"
        out.append(SourceMention(name, s, e, kind))
    # de-duplicate overlapping mentions found from two verbs
    unique: dict[tuple[int, int], SourceMention] = {}
    for m in out:
        unique.setdefault((m.start, m.end), m)
    return sorted(unique.values(), key=lambda m: m.start)


def _clause_end(text: str, pos: int, limit: int) -> int:
    end = min(len(text), pos + limit)
    for mark in ("\n", ":", " ان "):
        k = text.find(mark, pos, end)
        if k != -1:
            end = k
    return end
