"""Event triggers (data/triggers.tsv) and the words that cancel or qualify them (data/trigger_context.tsv)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .lexicon import read_tsv
from .patterns import WordMatch, WordPatternMatcher
from .text import at_word_end, at_word_start
from .text import normalize


@dataclass(frozen=True)
class TriggerSense:
    pattern: str
    event_type: str
    sub_event_type: str
    rank: int
    role: str  # "event", "kill", "support"


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    sense: TriggerSense
    negated: bool
    irrealis: bool


@dataclass(frozen=True)
class TriggerLexicon:
    triggers: WordPatternMatcher[TriggerSense]
    context: dict[str, str]  # normalised word/phrase -> kind
    max_context_words: int
    not_future: tuple[str, ...]  # words that look like س + present verb but are not


@lru_cache(maxsize=1)
def lexicon() -> TriggerLexicon:
    senses = [(r["pattern"], TriggerSense(r["pattern"], r["event_type"], r["sub_event_type"], int(r["rank"]), r["role"]))
              for r in read_tsv("triggers.tsv")]
    context = {normalize(r["word"]): r["kind"] for r in read_tsv("trigger_context.tsv")}
    not_future = tuple(normalize(r["word"]) for r in read_tsv("future_exceptions.tsv"))
    return TriggerLexicon(WordPatternMatcher(senses), context, max(len(k.split()) for k in context), not_future)


CLAUSE_BREAK = set(".،,;:!?؟\n")


def find_triggers(text: str, toks: list[tuple[int, int]]) -> list[Trigger]:
    """Triggers in normalised text; each knows whether a negation or an irrealis word governs it."""
    lex = lexicon()
    out = []
    for m in lex.triggers.find_all(text, toks):
        negated, irrealis = _governed(text, toks, m, lex)
        out.append(Trigger(m.start, m.end, m.value, negated, irrealis))
    return out


def _governed(text: str, toks: list[tuple[int, int]], m: WordMatch, lex: TriggerLexicon) -> tuple[bool, bool]:
    """Look back up to three words in the same clause for negation or irrealis words."""
    negated = irrealis = continuing = False
    i = m.first_token
    for back in range(0, 4):
        j = i - back
        if j < 0 or (back and not CLAUSE_BREAK.isdisjoint(text[toks[j][1]:toks[j + 1][0]])):
            break
        if _is_future_verb(text[toks[j][0]:toks[j][1]], lex):
            irrealis = True  # "ستشن القوات غارات", "سيتم اعتقال"
    for back in range(1, 4):
        j = i - back
        if j < 0 or not CLAUSE_BREAK.isdisjoint(text[toks[j][1]:toks[j + 1][0]]):
            break
        for n in range(1, lex.max_context_words + 1):
            if j - n + 1 < 0:
                break
            phrase = text[toks[j - n + 1][0]:toks[j][1]]
            kind = lex.context.get(phrase) or lex.context.get(phrase[1:] if phrase.startswith(("و", "ف")) else "")
            if kind == "negation":
                negated = True
            elif kind in ("irrealis", "background"):
                irrealis = True
            elif kind == "continuation":
                continuing = True  # "لا تزال الاشتباكات": still going on, not denied
    return negated and not continuing, irrealis


def _is_future_verb(word: str, lex: TriggerLexicon) -> bool:
    """س + a present-tense verb (سيتم، ستشن، سنرد), after an optional و/ف."""
    w = word[1:] if word[:1] in "وف" and len(word) > 4 else word
    return (len(w) >= 4 and w[0] == "س" and w[1] in "يتن" and not w.startswith(lex.not_future))


SENTENCE_KINDS = frozenset({"boilerplate", "aggregate", "anaphor", "other_incident", "sport"})


class SentenceContexts:
    """Where the sentence-level context words (boilerplate, aggregate, anaphor ...) stand in
    one text, found once so that each sentence's kinds are a quick look-up."""

    def __init__(self, text: str):
        self._hits: list[tuple[int, int, str]] = []  # (start, end, kind)
        for phrase, kind in lexicon().context.items():
            if kind not in SENTENCE_KINDS:
                continue
            i = text.find(phrase)
            while i != -1:
                # whole words only (clitics allowed before): "الدوري" is not in "الدوريات"
                if at_word_end(text, i + len(phrase)) and at_word_start(text, i) is not None:
                    self._hits.append((i, i + len(phrase), kind))
                i = text.find(phrase, i + 1)

    def kinds(self, start: int, end: int) -> set[str]:
        """Kinds of context words present within ``start``-``end``."""
        return {kind for a, b, kind in self._hits if start <= a and b <= end}


def sentence_context(text: str, start: int, end: int) -> set[str]:
    """Kinds of context words present in a sentence (boilerplate, aggregate, anaphor)."""
    return SentenceContexts(text).kinds(start, end)
