"""Fatality figures per statement: who was killed and how many.

EVENTS.md: "عدد من" = 3, "عشرات" = 12, injured are not fatalities, a person who blew himself
up counts. All sentences here are written for these tests.
"""
from __future__ import annotations

from datetime import date

import pytest

from marsad.fatalities import KillCount, find_kill_counts
from marsad.text import NormalizedText, tokens
from marsad.times import find_times


def counts(text: str) -> list[KillCount]:
    nt = NormalizedText(text)
    return find_kill_counts(nt.text, tokens(nt.text), [s.start for s in nt.sentences])


def values(text: str) -> list[int]:
    return [k.value for k in counts(text)]


@pytest.mark.parametrize("sentence, expected", [
    ("أسفر القصف عن مقتل ثلاثة مدنيين في البلدة.", 3),
    ("قُتل عنصر من قوات النظام بانفجار لغم.", 1),
    ("سقط خمسة قتلى في الغارة.", 5),
    ("سقط قتيلان في الهجوم.", 2),
    ("أربعة مدنيين قتلوا في القصف.", 4),
    ("وصل الانتحاري إلى الحاجز ثم فجّر نفسه.", 1),
    ("مقتل عدد من العناصر في الكمين.", 3),
    ("مقتل عشرات المدنيين في المجزرة.", 12),
    ("مقتل 7 أشخاص بانفجار سيارة مفخخة.", 7),
    ("مقتل ٩ عناصر من التنظيم.", 9),
    ("مقتل أحد عشر شخصا في الهجوم.", 11),
    ("مقتل أحد عناصر الفصيل برصاص قناص.", 1),
    ("قتل عنصرين من الشرطة في الهجوم.", 2),
    ("استشهد طفلان بقصف مدفعي.", 2),
    ("قتل رجلان بانفجار لغم.", 2),
    ("مقتل اثنين من عناصر التنظيم.", 2),
    ("مصرع ثلاثة أشخاص بانفجار قذيفة.", 3),
    ("استشهاد شاب برصاص قناص.", 1),
    ("أسفر الانفجار عن مقتل طفلين.", 2),
    ("سقط قتيل في الاشتباك.", 1),
    ("قتل مدني بقصف على القرية.", 1),
    ("أسفرت الغارة عن سقوط ثلاثة قتلى وخمسة جرحى.", 3),
])
def test_single_statement(sentence: str, expected: int) -> None:
    assert values(sentence) == [expected]


def test_diacritics_and_tatweel_do_not_hide_the_kill_word() -> None:
    assert values("قُـتِـلَ ثَلاثَةُ مَدَنِيّين") == [3]


@pytest.mark.parametrize("sentence", [
    "مقتل وإصابة 12 شخصا بانفجار في السوق.",
    "قتل وجرح 7 أشخاص في القصف.",
])
def test_figure_shared_with_injured_is_not_counted(sentence: str) -> None:
    assert values(sentence) == []


@pytest.mark.parametrize("sentence", [
    "أصيب خمسة أشخاص بجروح في القصف.",
    "إصابة ثلاثة عناصر بانفجار لغم.",
    "جرح عشرة مدنيين في الغارة.",
])
def test_injured_only_gives_nothing(sentence: str) -> None:
    assert values(sentence) == []


def test_killed_and_injured_figures_are_kept_apart() -> None:
    assert values("مقتل مدني وإصابة خمسة آخرين بالقصف.") == [1]
    assert values("مقتل 3 أشخاص وإصابة 5 آخرين.") == [3]
    assert values("أصيب خمسة أشخاص وقتل اثنان في الاشتباك.") == [2]


def test_plural_without_a_figure_gives_nothing() -> None:
    assert values("قتلى وجرحى في قصف على المدينة") == []
    assert values("مقتل المدنيين في القصف جريمة.") == []


def test_passive_singular_subject_earlier_in_the_sentence() -> None:
    assert values("وجد مدني من أبناء القرية مقتولا، بعدما قتل برصاص مجهولين.") == [1]


def test_two_statements_in_two_sentences() -> None:
    ks = counts("قتل شاب برصاص قناص في المدينة. وفي حادث آخر، مقتل ثلاثة عناصر بانفجار لغم.")
    assert [k.value for k in ks] == [1, 3]
    assert ks[0].sentence_key == 0
    assert ks[1].sentence_key > 0


def test_statement_span_covers_kill_word_and_figure() -> None:
    nt = NormalizedText("أسفر القصف عن مقتل خمسة مدنيين")
    (k,) = counts("أسفر القصف عن مقتل خمسة مدنيين")
    assert nt.text[k.start:k.end] == "مقتل خمسه"


def test_figure_before_the_verb_span() -> None:
    nt = NormalizedText("أربعة مدنيين قتلوا")
    (k,) = counts("أربعة مدنيين قتلوا")
    assert nt.text[k.start:k.end] == "اربعه مدنيين قتلوا"


def test_figure_in_another_clause_is_not_taken() -> None:
    # "5" belongs to the injured clause after the comma; the plural killed has no figure.
    assert values("قتل مدنيون، وأصيب 5 آخرون.") == []


def test_sunday_is_not_a_death_toll() -> None:
    # الأحد is the day, not "one".
    assert values("قتل مدنيون يوم الأحد في قصف على البلدة.") == []


def counts_without_dates(text: str) -> list[int]:
    """As the extractor calls it: numbers inside time expressions are not counts."""
    nt = NormalizedText(text)
    times = [(m.start, m.end) for m in find_times(nt.text, date(2021, 3, 20))]
    return [k.value for k in find_kill_counts(nt.text, tokens(nt.text), [s.start for s in nt.sentences], times)]


@pytest.mark.parametrize("sentence", [
    "قتل مدنيون في 12 آذار بقصف للطيران.",
    "في عام 2019 قتل مدنيون بقصف على البلدة.",
])
def test_dates_are_not_death_tolls(sentence: str) -> None:
    assert counts_without_dates(sentence) == []


def test_figure_next_to_a_date_still_counts() -> None:
    assert counts_without_dates("مقتل 5 مدنيين في 12 آذار بقصف للطيران.") == [5]


@pytest.mark.parametrize("sentence, expected", [
    ("لقي شاب حتفه بانفجار لغم.", 1),
    ("لقي ثلاثة أشخاص حتفهم في الحادث.", 3),
    ("فجر انتحاري نفسه عند الحاجز.", 1),
])
def test_subject_between_the_words_of_a_kill_phrase(sentence: str, expected: int) -> None:
    assert values(sentence) == [expected]


def test_thousands_separator() -> None:
    assert values("وثق المرصد مقتل 1,200 شخص.") == [1200]
