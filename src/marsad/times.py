"""Times stage: Arabic time expressions, resolved against the publication date.

``find_times`` scans *normalised* text (``NormalizedText.text``) with one compiled pattern
built from ``data/times.yaml`` (month, weekday, relative, number words: no language
knowledge lives in this module) and turns each match into a ``TimeMention``.

Resolution rules (see also shared/spec/EVENTS.md):

* "أمس" = publication - 1; "أول أمس" = - 2; "اليوم" = publication day; "غدا" = + 1.
* "الليلة الماضية" ("last night") = publication - 1: the night before a morning article began
  on the previous evening, and that is the day ACLED-style coding gives a night event.
* A weekday = the most recent such day on or before publication; with "الماضي/الفائت" strictly
  before it; with "المقبل/القادم" strictly after it. "الأحد/الإثنين" (one night) = the later day.
  When a relative word, a weekday and an explicit date come together
  ("اليوم الاثنين 18 من أيار") they form one mention and the explicit date wins, then the
  relative word, then the weekday.
* Day + month without a year = the latest such date on or before publication + a few days of
  grace (``future_grace_days``); with "الحالي/الجاري" the publication year; with "الماضي" on or
  before publication; with "المقبل/القادم" on or after it.
* Month only = its 15th, precision 3. Year only ("عام 2017") = 1 July, precision 3, kind "year".
* A range of days in one month ("بين 5 و7 أيار") = its middle day, precision 2 (3 beyond a week).
* "قبل يومين" = - 2 (precision 1); "قبل أسبوع" = - 7 (precision 2); "قبل شهر" = the 15th of the
  previous month (precision 3); "قبل أيام" = - 3 (precision 2).
* Background: "منذ ..." (kind "range_start"), "خلال/طوال الأسبوع|الشهر|الأيام الماضية ...",
  anything closed by "حتى اليوم/الآن", and a standalone "حتى اليوم". The words inside a
  background period are not reported again as their own mentions.
* ``other_year``: the resolved year differs from the publication year and the date lies more
  than ``other_year_window_days`` from publication (so late-December dates in an early-January
  article still count as current).
* Hijri "day month year" dates use the arithmetic (tabular) calendar: may be one day off the
  Umm al-Qura calendar.
"""
from __future__ import annotations

import calendar
import datetime
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

import yaml

from .text import NormalizedText, normalize

__all__ = ["TimeMention", "find_times", "find_publication_date"]

Date = datetime.date

KIND_RELATIVE = "relative"
KIND_WEEKDAY = "weekday"
KIND_ABSOLUTE = "absolute"
KIND_NUMERIC = "numeric"
KIND_MONTH = "month"
KIND_YEAR = "year"
KIND_RANGE_START = "range_start"
KIND_AGO = "ago"

PRECISION_DAY = 1
PRECISION_WEEK = 2
PRECISION_MONTH = 3

PUBLICATION_HEAD_CHARS = 400


@dataclass(frozen=True)
class TimeMention:
    start: int            # offsets in the NORMALISED text (NormalizedText.text)
    end: int
    date: datetime.date   # resolved day (for a month-only expression: the 15th)
    precision: int        # 1 day, 2 week/range, 3 month
    kind: str             # relative, weekday, absolute, numeric, month, year, range_start, ago
    explicit_year: bool   # the text itself gave the year
    other_year: bool      # about a year other than the publication year: must not date current events
    background: bool      # a period ("منذ مطلع أيار", "خلال الأسبوع"), not an event day


# --------------------------------------------------------------------------- language data


@dataclass(frozen=True)
class Unit:
    """A unit of "قبل N <unit>": how far back one unit goes and how precise the result is."""
    name: str
    hours: int
    days: int
    months: int
    years: int
    precision: int


@dataclass(frozen=True)
class TimeLexicon:
    raw: dict[str, Any]                       # the YAML as loaded (word lists used only in patterns)
    months: dict[str, int]
    ambiguous_months: frozenset[str]
    hijri_months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    relative_years: dict[str, int]
    periods: dict[str, tuple[str, int]]       # phrase -> (week|month|year, offset)
    bare_periods: dict[str, str]              # phrase -> week|month|year
    vague_periods: dict[str, tuple[int, bool]]  # phrase -> (precision, background)
    unit_forms: dict[str, Unit]               # every written form of every unit -> unit
    dual_forms: frozenset[str]
    plural_forms: frozenset[str]
    count_words: dict[str, int]
    ordinal_days: dict[str, int]
    weekday_past: frozenset[str]
    weekday_next: frozenset[str]
    month_current: frozenset[str]
    month_past: frozenset[str]
    month_next: frozenset[str]
    since_words: frozenset[str]
    during_words: frozenset[str]
    future_grace_days: int
    other_year_window_days: int
    year_range: tuple[int, int]
    hijri_year_range: tuple[int, int]
    vague_count: int
    month_middle_day: int
    year_middle: tuple[int, int]


def key(phrase: str) -> str:
    """Dictionary key of a phrase: normalised, single-spaced, lower case."""
    return " ".join(normalize(str(phrase)).split()).lower()


def _keys(words: Iterable[Any]) -> frozenset[str]:
    return frozenset(key(w) for w in words)


def _numbered(table: dict[Any, list[str]]) -> dict[str, int]:
    return {key(name): int(number) for number, names in table.items() for name in names}


def _units(table: dict[str, dict[str, Any]]) -> tuple[dict[str, Unit], frozenset[str], frozenset[str]]:
    forms: dict[str, Unit] = {}
    duals: set[str] = set()
    plurals: set[str] = set()
    for name, spec in table.items():
        unit = Unit(name, int(spec["hours"]), int(spec["days"]), int(spec["months"]), int(spec["years"]),
                    int(spec["precision"]))
        for form_kind in ("singular", "dual", "plural", "counted"):
            for form in spec.get(form_kind, []):
                forms[key(form)] = unit
        duals |= _keys(spec.get("dual", []))
        plurals |= _keys(spec.get("plural", []))
    return forms, frozenset(duals), frozenset(plurals)


@lru_cache(maxsize=1)
def lexicon() -> TimeLexicon:
    """The Times language data (loaded once)."""
    text = resources.files("marsad").joinpath("data", "times.yaml").read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    settings = raw["settings"]
    unit_forms, duals, plurals = _units(raw["units"])
    return TimeLexicon(
        raw=raw,
        months=_numbered(raw["months"]),
        ambiguous_months=_keys(raw["ambiguous_months"]),
        hijri_months=_numbered(raw["hijri_months"]),
        weekdays=_numbered(raw["weekdays"]),
        relative_days={key(k): int(v) for k, v in raw["relative_days"].items()},
        relative_years={key(k): int(v) for k, v in raw["relative_years"].items()},
        periods={key(k): (str(v[0]), int(v[1])) for k, v in raw["periods"].items()},
        bare_periods={key(k): str(v) for k, v in raw["bare_periods"].items()},
        vague_periods={key(k): (int(v[0]), bool(v[1])) for k, v in raw["vague_periods"].items()},
        unit_forms=unit_forms,
        dual_forms=duals,
        plural_forms=plurals,
        count_words={key(k): int(v) for k, v in raw["count_words"].items()},
        ordinal_days={key(k): int(v) for k, v in raw["ordinal_days"].items()},
        weekday_past=_keys(raw["weekday_past"]),
        weekday_next=_keys(raw["weekday_next"]),
        month_current=_keys(raw["month_current"]),
        month_past=_keys(raw["month_past"]),
        month_next=_keys(raw["month_next"]),
        since_words=_keys(raw["since_words"]),
        during_words=_keys(raw["during_words"]),
        future_grace_days=int(settings["future_grace_days"]),
        other_year_window_days=int(settings["other_year_window_days"]),
        year_range=(int(settings["year_min"]), int(settings["year_max"])),
        hijri_year_range=(int(settings["hijri_year_min"]), int(settings["hijri_year_max"])),
        vague_count=int(settings["vague_count"]),
        month_middle_day=int(settings["month_middle_day"]),
        year_middle=(int(settings["year_middle"][0]), int(settings["year_middle"][1])),
    )


# --------------------------------------------------------------------------- the pattern


def _alt(words: Iterable[Any]) -> str:
    """Regex alternation of phrases, shaped as a character trie so that the engine dispatches
    on each character instead of trying every phrase (any whitespace between words)."""
    trie: dict[str, dict] = {}
    for phrase in {key(w) for w in words if key(w)}:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _trie_regex(trie) + ")"


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
        for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


class _PatternBuilder:
    """Builds the one pattern of ``find_times``; group names carry a prefix where a piece repeats."""

    def __init__(self, lex: TimeLexicon):
        raw = lex.raw
        self.lex = lex
        self.month = _alt(lex.months) + r"(?!\w)"
        self.hijri_month = _alt(lex.hijri_months) + r"(?!\w)"
        self.weekday = _alt(lex.weekdays) + r"(?!\w)"
        self.ordinal = _alt(lex.ordinal_days) + r"(?!\w)"
        self.month_qualifier = _alt(lex.month_current | lex.month_past | lex.month_next) + r"(?!\w)"
        self.weekday_qualifier = _alt(lex.weekday_past | lex.weekday_next) + r"(?!\w)"
        self.relative_year = _alt(lex.relative_years) + r"(?!\w)"
        self.year_word = _alt(raw["year_words"])
        self.year_mark = _alt(raw["year_marks"]) + r"(?!\w)"
        self.month_word = _alt(raw["month_word"])
        self.day_word = _alt(raw["day_word"])
        self.suffix = _alt(raw["day_suffixes"])
        self.range_join = _alt(raw["day_range_joiners"])
        self.range_open = _alt(raw["day_range_openers"])
        self.pair_join = _alt(raw["weekday_pair_joiners"])
        self.date_link = _alt(raw["date_links"])
        self.until = _alt(raw["until_words"])
        self.now = _alt(raw["now_words"]) + r"(?!\w)"
        self.of = _alt(raw["particles"]["of"])
        self.in_ = _alt(raw["particles"]["in"])
        self.to = _alt(raw["particles"]["to"])
        not_after = "".join(f"(?<!{re.escape(key(w))} )" for w in raw["relative_not_after"])
        not_before = r"(?!\s+" + _alt(raw["relative_not_before"]) + r"(?!\w))"
        self.relative = not_after + _alt(lex.relative_days) + r"(?!\w)" + not_before
        self.today = not_after + _alt(raw["today_words"]) + r"(?!\w)" + not_before

    # ---- pieces

    def year_part(self, p: str) -> str:
        """What may follow a month: a year, a relative year, or a qualifier."""
        return (
            rf"(?:\s*[,،\-]?\s*(?:{self.year_word}\s+)?(?P<{p}_y>\d{{4}})(?!\d|[/.\-]\d)(?:\s*{self.year_mark})?"
            rf"|\s+(?:{self.of}\s+)?(?P<{p}_yr>{self.relative_year})"
            rf"|\s+(?P<{p}_q>{self.month_qualifier}))?"
        )

    def months(self, p: str) -> str:
        """A month, possibly with its other name: "أكتوبر/تشرين الأول", "تشرين الأول (أكتوبر)"."""
        return (
            rf"(?P<{p}_m>{self.month})"
            rf"(?:\s*[/\-]\s*{self.month}|\s*\(\s*{self.month}\s*\))?"
        )

    def day_month(self, p: str) -> str:
        day = rf"(?<![\d/.:])(?P<{p}_d>\d{{1,2}})(?!\d)(?:{self.suffix}(?!\w))?"
        second_day = rf"(?:\s*{self.range_join}\s*(?P<{p}_d2>\d{{1,2}})(?!\d))?"
        ordinal = rf"(?P<{p}_o>{self.ordinal})\s+{self.of}"
        return (
            rf"(?:{self.range_open}\s+(?=\d{{1,2}}\s*{self.range_join}\s*\d))?"
            rf"(?:{day}{second_day}(?:\s*,)?(?:\s+{self.of})?|{ordinal})"
            rf"\s*(?:{self.month_word}\s+)?{self.months(p)}{self.year_part(p)}"
        )

    @staticmethod
    def numeric(p: str) -> str:
        return (
            rf"(?<![\d/.\-])(?:(?P<{p}_y1>\d{{4}})(?P<{p}_s1>[/.\-])(?P<{p}_m1>\d{{1,2}})(?P={p}_s1)(?P<{p}_d1>\d{{1,2}})"
            rf"|(?P<{p}_d2>\d{{1,2}})(?P<{p}_s2>[/.\-])(?P<{p}_m2>\d{{1,2}})(?P={p}_s2)(?P<{p}_y2>\d{{4}}))"
            r"(?!\d|[/.\-]\d)"
        )

    def month_day_year(self, p: str) -> str:
        """English order: "June 17, 2025" (the year is required)."""
        return (
            rf"(?P<{p}_m>{self.month})\s+(?P<{p}_d>\d{{1,2}})(?!\d)(?:{self.suffix}(?!\w))?\s*,?\s*"
            rf"(?P<{p}_y>\d{{4}})(?!\d|[/.\-]\d)"
        )

    def date_slot(self, p: str) -> str:
        return rf"(?P<{p}>{self.numeric(p + 'n')}|{self.day_month(p + 'a')}|{self.month_day_year(p + 'e')})"

    def weekday_block(self, p: str) -> str:
        return (
            rf"(?P<{p}>(?P<{p}_w>{self.weekday})(?:\s*{self.pair_join}\s*(?P<{p}_w2>{self.weekday}))?"
            rf"(?:\s+(?P<{p}_q>{self.weekday_qualifier}))?)"
        )

    def separator(self) -> str:
        return rf"\s*[,،\-]?\s*\(?\s*(?:{self.date_link}\s*(?:{self.to}\s*)?)?"

    # ---- alternatives

    def chain(self) -> str:
        """[lead-in] [day part] [يوم] then relative word / weekday / date, chained."""
        raw = self.lex.raw
        sep = self.separator()
        lead = rf"(?:(?P<lead>{_alt(raw['day_part_lead_ins'])})(?:\s+{self.of})?\s+)?"
        part = rf"(?:(?P<part>{_alt(raw['day_parts'])})(?!\w)\s+)?"
        day = rf"(?:{self.day_word}\s+)?"
        with_relative = (
            rf"(?P<rel>{self.relative})(?:{sep}{day}{self.weekday_block('cw1')})?(?:{sep}{self.date_slot('cd1')})?"
        )
        with_weekday = rf"{self.weekday_block('cw2')}(?:{sep}{self.date_slot('cd2')})?"
        return rf"(?P<chain>{lead}{part}{day}(?:{with_relative}|{with_weekday}|{self.date_slot('cd3')}))"

    def hijri(self) -> str:
        return (
            rf"(?P<hijri>(?<![\d/.:])(?P<h_d>\d{{1,2}})(?!\d)(?:\s+{self.of})?\s+(?:{self.month_word}\s+)?"
            rf"(?P<h_m>{self.hijri_month})\s*[,،]?\s*(?:{self.year_word}\s+)?(?P<h_y>\d{{4}})(?!\d)"
            rf"(?:\s*{_alt(self.lex.raw['hijri_year_marks'])}(?!\w))?)"
        )

    def month_only(self) -> str:
        return rf"(?P<mo>(?:(?P<mo_word>{self.month_word})\s+)?{self.months('mo')}{self.year_part('mo')})"

    def year_only(self) -> str:
        return (
            rf"(?P<yo>(?:(?P<yo_word>{self.year_word})\s+)?(?P<yo_y>\d{{4}})(?!\d|[/.\-]\d)"
            rf"(?:\s*{self.year_mark})?)"
        )

    def ago(self) -> str:
        lex, raw = self.lex, self.lex.raw
        units = lex.unit_forms
        plural = _alt(lex.plural_forms)
        count = rf"(?:\d{{1,3}}|{_alt(lex.count_words)})"
        not_day_name = rf"(?!\s*\d)(?!\s+(?:{self.weekday}|{_alt(lex.relative_days)}))"
        return (
            rf"(?P<ago>(?:(?P<a_ago>{_alt(raw['ago_words'])})\s+)?(?:{_alt(raw['approximators'])}\s+)?"
            rf"(?:(?P<a_n>{count})\s+(?P<a_nu>{_alt(units)})"
            rf"|(?P<a_v>{_alt(raw['vague_count_words'])})\s+(?P<a_vu>{plural})"
            rf"|(?P<a_u>{_alt(units)})(?:\s+{_alt(raw['one_words'])})?{not_day_name}"
            r")(?!\w))"
        )

    def pattern(self) -> str:
        raw, lex = self.lex.raw, self.lex
        # Possessive: no expression starts with these words, so never give them back.
        opener = rf"(?:(?P<opener>{_alt(lex.since_words | lex.during_words)})\s+)?+"
        edge = rf"(?:(?P<edge>{_alt(raw['edge_words'])})\s+(?:{self.of}\s+)?)?+"
        cores = [
            rf"(?P<num>{self.numeric('n')})",
            self.hijri(),
            self.chain(),
            self.month_only(),
            self.year_only(),
            rf"(?P<per>{_alt(lex.periods)})(?!\w)",
            rf"(?P<vag>{_alt(lex.vague_periods)})(?!\w)",
            self.ago(),
            rf"(?P<bare>{_alt(lex.bare_periods)})(?!\w)",
            rf"(?P<uo>{self.until}\s+{self.today})",
        ]
        until = rf"(?P<until>\s+{self.until}\s+{self.now})?"
        return (
            # Matched at a word start, after any clitic (find_times strips it).
            rf"(?:(?P<fi>{self.in_})\s+)?+"
            rf"(?P<body>{opener}{edge}(?:{'|'.join(cores)}){until})"
        )


@lru_cache(maxsize=1)
def _time_pattern() -> re.Pattern[str]:
    return re.compile(_PatternBuilder(lexicon()).pattern(), re.IGNORECASE)


# --------------------------------------------------------------------------- calendar helpers


def _safe_date(year: int, month: int, day: int) -> Date | None:
    try:
        return Date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _add_years(day: Date, years: int) -> Date | None:
    year = day.year + years
    if not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, day.month)[1]
    return Date(year, day.month, min(day.day, last))


def _day_year(month: int, day: int, published: Date, qualifier: str, grace_days: int) -> Date | None:
    """Year of a day+month with no year, from the publication date and a qualifier."""
    candidates = [d for y in (published.year - 1, published.year, published.year + 1)
                  if (d := _safe_date(y, month, day)) is not None]
    if qualifier == "current":
        return _safe_date(published.year, month, day)
    if qualifier == "next":
        return min((d for d in candidates if d >= published), default=None)
    limit = published if qualifier == "past" else published + datetime.timedelta(days=grace_days)
    return max((d for d in candidates if d <= limit), default=None)


def _month_year(month: int, published: Date, qualifier: str) -> int:
    """Year of a month named without a year."""
    if qualifier == "current":
        return published.year
    if qualifier == "past":
        return published.year if month < published.month else published.year - 1
    if qualifier == "next":
        return published.year if month > published.month else published.year + 1
    return published.year if month <= published.month else published.year - 1


def _weekday_date(weekday: int, published: Date, qualifier: str) -> Date:
    if qualifier == "next":
        return published + datetime.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    back = (published.weekday() - weekday) % 7
    if qualifier == "past" and back == 0:
        back = 7
    return published - datetime.timedelta(days=back)


def _hijri_to_gregorian(year: int, month: int, day: int) -> Date | None:
    """Arithmetic (tabular) Islamic calendar; may differ by a day from Umm al-Qura."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    ordinal = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 227014
    try:
        return Date.fromordinal(ordinal)
    except (ValueError, OverflowError):
        return None


# --------------------------------------------------------------------------- reading a match


@dataclass(frozen=True)
class _Reading:
    """What one matched expression means, before background/other-year flags."""
    date: Date
    precision: int
    kind: str
    explicit_year: bool


class _MatchReader:
    """Turns one match of the time pattern into a ``_Reading`` (or None)."""

    def __init__(self, match: re.Match[str], published: Date | None, lex: TimeLexicon):
        self.m = match
        self.published = published
        self.lex = lex

    def has(self, group: str) -> bool:
        return self.m.start(group) >= 0

    def word(self, group: str) -> str:
        """A matched group as a dictionary key (the text is normalised already)."""
        return " ".join((self.m.group(group) or "").split()).lower()

    def qualifier(self, group: str) -> str:
        word = self.word(group)
        if not word:
            return ""
        lex = self.lex
        if word in lex.month_current:
            return "current"
        if word in lex.month_past or word in lex.weekday_past:
            return "past"
        if word in lex.month_next or word in lex.weekday_next:
            return "next"
        return ""

    # ---- dates

    def year_in_range(self, year: int) -> bool:
        low, high = self.lex.year_range
        return low <= year <= high

    def numeric(self, p: str) -> _Reading | None:
        m = self.m
        if m.group(p + "_y1"):
            year, month, day = int(m.group(p + "_y1")), int(m.group(p + "_m1")), int(m.group(p + "_d1"))
            found = _safe_date(year, month, day)
        else:
            day, month, year = int(m.group(p + "_d2")), int(m.group(p + "_m2")), int(m.group(p + "_y2"))
            found = _safe_date(year, month, day) or _safe_date(year, day, month)  # 05/18/2020
        if found is None or not self.year_in_range(found.year):
            return None
        return _Reading(found, PRECISION_DAY, KIND_NUMERIC, True)

    def explicit_year(self, p: str) -> int | None:
        """The year given after a month: a number or "العام الماضي"; None if there is none."""
        if self.m.group(p + "_y"):
            return int(self.m.group(p + "_y"))
        if self.m.group(p + "_yr") and self.published is not None:
            return self.published.year + self.lex.relative_years[self.word(p + "_yr")]
        return None

    def day_month(self, p: str) -> _Reading | None:
        m, lex = self.m, self.lex
        month = lex.months[self.word(p + "_m")]
        first = int(m.group(p + "_d")) if m.group(p + "_d") else lex.ordinal_days[self.word(p + "_o")]
        last = int(m.group(p + "_d2")) if m.group(p + "_d2") else first
        if last < first:
            last = first
        day = (first + last) // 2
        precision = PRECISION_DAY if last == first else (PRECISION_WEEK if last - first < 7 else PRECISION_MONTH)
        year = self.explicit_year(p)
        if year is not None:
            if not self.year_in_range(year):
                return None
            found = _safe_date(year, month, day)
        elif m.group(p + "_yr") or self.published is None:
            return None
        else:
            found = _day_year(month, day, self.published, self.qualifier(p + "_q"), lex.future_grace_days)
        if found is None:
            return None
        return _Reading(found, precision, KIND_ABSOLUTE, year is not None)

    def month_day_year(self, p: str) -> _Reading | None:
        year = int(self.m.group(p + "_y"))
        found = _safe_date(year, self.lex.months[self.word(p + "_m")], int(self.m.group(p + "_d")))
        if found is None or not self.year_in_range(year):
            return None
        return _Reading(found, PRECISION_DAY, KIND_ABSOLUTE, True)

    def date_slot(self, p: str) -> _Reading | None:
        if self.has(p + "n_m1") or self.has(p + "n_m2"):
            return self.numeric(p + "n")
        if self.has(p + "e_m"):
            return self.month_day_year(p + "e")
        return self.day_month(p + "a")

    def relative(self) -> _Reading | None:
        if self.published is None:
            return None
        offset = self.lex.relative_days[self.word("rel")]
        return _Reading(self.published + datetime.timedelta(days=offset), PRECISION_DAY, KIND_RELATIVE, False)

    def weekday(self, p: str) -> _Reading | None:
        if self.published is None:
            return None
        name = self.word(p + "_w2") or self.word(p + "_w")
        found = _weekday_date(self.lex.weekdays[name], self.published, self.qualifier(p + "_q"))
        return _Reading(found, PRECISION_DAY, KIND_WEEKDAY, False)

    # ---- alternatives

    def chain(self) -> _Reading | None:
        for slot in ("cd1", "cd2", "cd3"):
            if self.has(slot) and (reading := self.date_slot(slot)) is not None:
                return reading
        if self.has("rel"):
            return self.relative()
        for block in ("cw1", "cw2"):
            if self.has(block):
                return self.weekday(block)
        return None

    def hijri(self) -> _Reading | None:
        year = int(self.m.group("h_y"))
        low, high = self.lex.hijri_year_range
        if not low <= year <= high:
            return None
        found = _hijri_to_gregorian(year, self.lex.hijri_months[self.word("h_m")], int(self.m.group("h_d")))
        return None if found is None else _Reading(found, PRECISION_DAY, KIND_ABSOLUTE, True)

    def month_only(self) -> _Reading | None:
        lex = self.lex
        name = self.word("mo_m")
        strong = self.has("mo_word") or self.has("mo_y") or self.has("mo_yr") or self.has("mo_q") \
            or self.has("opener") or self.has("edge")
        weak = self.has("fi")
        if not strong and (not weak or name in lex.ambiguous_months):
            return None
        month = lex.months[name]
        year = self.explicit_year("mo")
        if year is None:
            if self.published is None:
                return None
            year = _month_year(month, self.published, self.qualifier("mo_q"))
        if not self.year_in_range(year):
            return None
        return _Reading(Date(year, month, lex.month_middle_day), PRECISION_MONTH, KIND_MONTH, self.has("mo_y"))

    def year_only(self) -> _Reading | None:
        has_context = self.has("yo_word") or self.has("fi") or self.has("opener") or self.has("edge")
        year = int(self.m.group("yo_y"))
        if not has_context or not self.year_in_range(year):
            return None
        month, day = self.lex.year_middle
        return _Reading(Date(year, month, day), PRECISION_MONTH, KIND_YEAR, True)

    def period(self, unit: str, offset: int) -> _Reading | None:
        published = self.published
        if published is None:
            return None
        if unit == "week":
            return _Reading(published + datetime.timedelta(days=7 * offset), PRECISION_WEEK, KIND_RELATIVE, False)
        if unit == "month":
            year, month = _add_months(published.year, published.month, offset)
            return _Reading(Date(year, month, self.lex.month_middle_day), PRECISION_MONTH, KIND_RELATIVE, False)
        month, day = self.lex.year_middle
        return _Reading(Date(published.year + offset, month, day), PRECISION_MONTH, KIND_YEAR, False)

    def named_period(self) -> _Reading | None:
        unit, offset = self.lex.periods[self.word("per")]
        return self.period(unit, offset)

    def bare_period(self) -> _Reading | None:
        if not (self.has("opener") or self.has("edge")):
            return None
        return self.period(self.lex.bare_periods[self.word("bare")], 0)

    def vague_period(self) -> _Reading | None:
        if self.published is None:
            return None
        precision, _ = self.lex.vague_periods[self.word("vag")]
        return _Reading(self.published, precision, KIND_RELATIVE, False)

    def until_today(self) -> _Reading | None:
        if self.published is None:
            return None
        return _Reading(self.published, PRECISION_DAY, KIND_RELATIVE, False)

    def ago(self) -> _Reading | None:
        lex, published = self.lex, self.published
        if published is None or not (self.has("a_ago") or self.has("opener")):
            return None
        count, unit, vague = self.ago_count()
        precision = max(unit.precision, PRECISION_WEEK) if vague and unit.days == 1 else unit.precision
        if unit.years:
            found = _add_years(published, -count * unit.years)
        elif unit.months:
            year, month = _add_months(published.year, published.month, -count * unit.months)
            found = _safe_date(year, month, lex.month_middle_day)
        else:
            found = published - datetime.timedelta(days=count * unit.days + count * unit.hours // 24)
        return None if found is None else _Reading(found, precision, KIND_AGO, False)

    def ago_count(self) -> tuple[int, Unit, bool]:
        """(count, unit, vague) of "قبل N units"."""
        lex = self.lex
        if self.has("a_n"):
            text = self.word("a_n")
            count = int(text) if text.isdigit() else lex.count_words[text]
            return count, lex.unit_forms[self.word("a_nu")], False
        if self.has("a_v"):
            return lex.vague_count, lex.unit_forms[self.word("a_vu")], True
        form = self.word("a_u")
        if form in lex.dual_forms:
            return 2, lex.unit_forms[form], False
        if form in lex.plural_forms:
            return lex.vague_count, lex.unit_forms[form], True
        return 1, lex.unit_forms[form], False

    def read(self) -> _Reading | None:
        """The reading of whichever alternative matched."""
        readers = (
            ("num", lambda: self.numeric("n")),
            ("hijri", self.hijri),
            ("chain", self.chain),
            ("mo", self.month_only),
            ("yo", self.year_only),
            ("per", self.named_period),
            ("vag", self.vague_period),
            ("ago", self.ago),
            ("bare", self.bare_period),
            ("uo", self.until_today),
        )
        for group, reader in readers:
            if self.has(group):
                return reader()
        return None

    # ---- flags

    def is_background(self) -> bool:
        lex = self.lex
        opener = self.word("opener")
        if opener in lex.since_words or self.has("until") or self.has("uo"):
            return True
        if self.has("vag"):
            return lex.vague_periods[self.word("vag")][1]
        if opener in lex.during_words:
            return self.has("per") or self.has("bare") or self.has("ago")
        return False

    def clitic_is_wrong(self, clitic: str) -> bool:
        """"لامس" (touched) is not ل + أمس: some clitics only attach to words with the article,
        to months and to years."""
        raw = self.lex.raw
        if not any(c in clitic for c in raw["article_only_clitics"]):
            return False
        body = self.m.group("body")
        return not body.startswith(raw["article"]) and not self.has("mo") and not self.has("yo")


def _is_other_year(day: Date, published: Date | None, window_days: int) -> bool:
    return published is not None and day.year != published.year and abs((day - published).days) > window_days


def _mention(match: re.Match[str], clitic: str, published: Date | None, lex: TimeLexicon) -> TimeMention | None:
    reader = _MatchReader(match, published, lex)
    if reader.clitic_is_wrong(clitic):
        return None
    try:
        reading = reader.read()
    except (KeyError, ValueError, OverflowError):
        return None
    if reading is None:
        return None
    kind = KIND_RANGE_START if reader.word("opener") in lex.since_words else reading.kind
    return TimeMention(
        start=match.start("body"),
        end=match.end("body"),
        date=reading.date,
        precision=reading.precision,
        kind=kind,
        explicit_year=reading.explicit_year,
        other_year=_is_other_year(reading.date, published, lex.other_year_window_days),
        background=reader.is_background(),
    )


# --------------------------------------------------------------------------- public API


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _starting_words() -> dict[str, tuple[str, ...]]:
    """Words that can open a time expression, with each clitic they may carry: written form ->
    clitics to strip. A cheap filter before the full pattern is tried."""
    lex = lexicon()
    raw = lex.raw
    phrase_lists: list[Iterable[Any]] = [
        raw["particles"]["in"], lex.since_words, lex.during_words, raw["edge_words"], raw["day_range_openers"],
        lex.ordinal_days, raw["day_part_lead_ins"], raw["day_parts"], raw["day_word"], lex.relative_days,
        lex.weekdays, raw["month_word"], lex.months, raw["year_words"], lex.periods, lex.vague_periods,
        raw["ago_words"], raw["until_words"],
    ]
    words = {key(phrase).split()[0] for phrases in phrase_lists for phrase in phrases if key(phrase)}
    forms: dict[str, tuple[str, ...]] = {}
    for clitic in ["", *(key(c) for c in raw["clitics"])]:
        for word in words:
            forms[clitic + word] = forms.get(clitic + word, ()) + (clitic,)
    return forms


def _clitics_before_expression(word: str, starters: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The clitics after which an expression may start in ``word`` (empty: none may)."""
    if not word:
        return ()
    if word[0].isdigit():
        return ("",)
    if len(word) > 1 and word[1].isdigit() and word[0] in lexicon().raw["number_clitics"]:
        return (word[0],)
    return starters.get(word.lower(), ())


@lru_cache(maxsize=1)
def _candidate_pattern() -> re.Pattern[str]:
    """Words that may open an expression (a starting word, maybe with clitics, or a number)."""
    words = set(_starting_words())
    number_clitics = "".join(re.escape(c) for c in lexicon().raw["number_clitics"])
    return re.compile(rf"(?<!\w)(?:{_alt(words)}(?!\w)|[{number_clitics}]?\d)", re.IGNORECASE)


def find_times(text: str, published: datetime.date | None) -> list[TimeMention]:
    """Time expressions in normalised text, sorted by start, non-overlapping (longest wins)."""
    if not text:
        return []
    lex = lexicon()
    pattern = _time_pattern()
    starters = _starting_words()
    found: list[TimeMention] = []
    covered_until = 0
    for candidate in _candidate_pattern().finditer(text):
        start = candidate.start()
        if start < covered_until:
            continue
        token = _WORD.match(text, start)
        for clitic in _clitics_before_expression(token.group() if token else "", starters):
            match = pattern.match(text, start + len(clitic))
            mention = None if match is None else _mention(match, clitic, published, lex)
            if mention is not None:  # a rejected match lets the next words be tried on their own
                found.append(mention)
                covered_until = mention.end
                break
    return found


_SPACED_NUMERIC_DATE = re.compile(r"(?<![\d:/.\-])(\d{1,2}) (\d{1,2}) (\d{4})(?![\d:/.\-]?\d)")


def find_publication_date(text: str) -> datetime.date | None:
    """A publication date printed near the top of an article (first ~400 chars of the original text):
    "2020/05/18", "2023.09.02 | 20:16", "18 أيار 2020", "الثلاثاء, 26 سبتمبر - 2023", "27th, October 2023", "2 02 2025", "الأربعاء 4 فبراير 2026 - 12:29"; ignore clock times like "6:51 م". Return None if none."""
    if not text:
        return None
    head = NormalizedText(text[:PUBLICATION_HEAD_CHARS]).text
    candidates: list[tuple[int, Date]] = [
        (m.start, m.date) for m in find_times(head, None)
        if m.explicit_year and m.precision == PRECISION_DAY and m.kind in (KIND_NUMERIC, KIND_ABSOLUTE)
    ]
    for match in _SPACED_NUMERIC_DATE.finditer(head):
        day = _safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        low, high = lexicon().year_range
        if day is not None and low <= day.year <= high:
            candidates.append((match.start(), day))
    return min(candidates)[1] if candidates else None
