"""Event triggers and the words that cancel (negation) or qualify (irrealis) them.

All sentences here are written for these tests.
"""
from __future__ import annotations

import pytest

from marsad.text import NormalizedText, tokens
from marsad.triggers import Trigger, find_triggers, lexicon, sentence_context


def triggers(sentence: str) -> list[Trigger]:
    t = NormalizedText(sentence).text
    return find_triggers(t, tokens(t))


def types(sentence: str) -> list[tuple[str, str]]:
    return [(tr.sense.event_type, tr.sense.sub_event_type) for tr in triggers(sentence)]


def only(sentence: str) -> Trigger:
    found = triggers(sentence)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("sentence, expected", [
    ("اندلعت اشتباكات عنيفة بين الطرفين", ("Battles", "Armed clash")),
    ("وقعت الاشتباكات قرب الحاجز", ("Battles", "Armed clash")),
    ("اشتبك مسلحون مع دورية", ("Battles", "Armed clash")),
    ("دارت معارك في محيط البلدة", ("Battles", "Armed clash")),
    ("شنت طائرات حربية غارة جوية على البلدة", ("Explosions/Remote violence", "Air/drone strike")),
    ("شنت الطائرات غارات على البلدة", ("Explosions/Remote violence", "Air/drone strike")),
    ("قصف جوي على أطراف المدينة", ("Explosions/Remote violence", "Air/drone strike")),
    ("انفجرت عبوة ناسفة بسيارة عسكرية", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    ("انفجر لغم أرضي بسيارة", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    ("قصف مدفعي على القرية", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("هاجم انتحاري الحاجز", ("Explosions/Remote violence", "Suicide bomb")),
    ("ألقى مجهول قنبلة يدوية على المحل", ("Explosions/Remote violence", "Grenade")),
    ("اعتقلت قوات الأمن شابا", ("Strategic developments", "Arrests")),
    ("شنت القوات حملة اعتقالات", ("Strategic developments", "Arrests")),
    ("خرجت مظاهرة في ساحة المدينة", ("Protests", "Peaceful protest")),
    ("اختطف مسلحون طفلا", ("Violence against civilians", "Abduction/forced disappearance")),
    ("انسحبت القوات من الموقع", ("Strategic developments", "Non-violent transfer of territory")),
])
def test_trigger_types(sentence: str, expected: tuple[str, str]) -> None:
    assert expected in types(sentence)


def test_trigger_offsets_are_the_trigger_words() -> None:
    sentence = "انفجرت عبوة ناسفة بسيارة"
    t = NormalizedText(sentence).text
    (tr,) = [x for x in triggers(sentence) if x.sense.sub_event_type == "Remote explosive/landmine/IED"]
    assert t[tr.start:tr.end] == "عبوه ناسفه"


def test_trigger_with_clitics() -> None:
    tr = only("وبالاشتباكات")
    assert tr.sense.sub_event_type == "Armed clash"


def test_air_strike_beats_shelling_for_qasf_jawwi() -> None:
    assert types("تعرضت البلدة لقصف جوي") == [("Explosions/Remote violence", "Air/drone strike")]


def test_protest_march_is_not_a_drone() -> None:
    assert types("انطلقت مسيرة احتجاجية") == [("Protests", "Peaceful protest")]
    assert types("استهدفت مسيرة سيارة")[-1] == ("Explosions/Remote violence", "Air/drone strike")


def test_kill_words_have_the_kill_role() -> None:
    tr = only("قتل شاب")
    assert tr.sense.role == "kill"
    assert only("اندلعت اشتباكات").sense.role == "event"


def test_rank_prefers_the_more_specific_trigger() -> None:
    ranks = {x.sense.sub_event_type: x.sense.rank for x in triggers("هجوم بعبوة ناسفة")}
    assert ranks["Remote explosive/landmine/IED"] < ranks["Armed clash"]


def test_no_trigger_in_plain_text() -> None:
    assert triggers("افتتحت البلدية حديقة جديدة في المدينة") == []


# --------------------------------------------------------------------------- negation and irrealis


@pytest.mark.parametrize("sentence", [
    "داهمت دورية المنزل لكنها لم تسفر عن اعتقاله",
    "لم يتم اعتقال أي شخص",
    "نفت الوزارة اعتقال الصحفي",
    "لم تعتقل القوات أحدا",
])
def test_negated_arrest(sentence: str) -> None:
    arrests = [x for x in triggers(sentence) if x.sense.sub_event_type == "Arrests"]
    assert arrests and arrests[-1].negated  # the arrest word, not داهمت before it
    assert not arrests[-1].irrealis


def test_negation_governs_only_nearby_words_in_its_clause() -> None:
    found = triggers("وقعت اشتباكات لكنها لم تسفر عن قتلى")
    by_type = {x.sense.sub_event_type: x for x in found}
    assert not by_type["Armed clash"].negated
    assert by_type["Attack"].negated  # قتلى


def test_negation_does_not_cross_a_clause_break() -> None:
    tr = [x for x in triggers("لم يصب أحد، واندلعت اشتباكات") if x.sense.sub_event_type == "Armed clash"][0]
    assert not tr.negated


def test_negation_does_not_reach_past_three_words() -> None:
    tr = only("لم يكن أحد يتوقع أن تندلع اشتباكات")
    assert not tr.negated


@pytest.mark.parametrize("sentence", [
    "سوف تقصف المدفعية مواقعهم",
    "تهدد تركيا بقصف المنطقة",
    "وهدد القائد بقصف القرية",
    "دعا الأهالي إلى مظاهرة",
    "يعتزم الجيش شن هجوم",
])
def test_irrealis(sentence: str) -> None:
    tr = triggers(sentence)[-1]
    assert tr.irrealis
    assert not tr.negated


def test_background_counts_as_irrealis() -> None:
    tr = [x for x in triggers("جاء ذلك على خلفية اشتباكات سابقة")][0]
    assert tr.irrealis


def test_plain_report_is_neither_negated_nor_irrealis() -> None:
    tr = only("قصفت المدفعية القرية")
    assert (tr.negated, tr.irrealis) == (False, False)


@pytest.mark.parametrize("sentence", [
    "لا تزال الاشتباكات مستمرة في المدينة",
    "لم تتوقف الاشتباكات منذ الصباح",
])
def test_double_negation_still_happening(sentence: str) -> None:
    assert not only(sentence).negated


@pytest.mark.parametrize("sentence", [
    "هددت تركيا بشن غارات على المنطقة",
    "ستشن القوات غارات على المنطقة",
    "سيتم اعتقال المتورطين",
])
def test_future_and_threat_forms_are_irrealis(sentence: str) -> None:
    assert triggers(sentence)[-1].irrealis


# --------------------------------------------------------------------------- sentence context


def test_sentence_context_kinds() -> None:
    t = NormalizedText("اقرأ أيضا: مقتل شاب في درعا").text
    assert "boilerplate" in sentence_context(t, 0, len(t))
    t = NormalizedText("وثق المرصد مقتل 40 مدنيا منذ مطلع الشهر").text
    assert "aggregate" in sentence_context(t, 0, len(t))
    t = NormalizedText("قتل شاب في الهجوم").text
    assert "anaphor" in sentence_context(t, 0, len(t))


def test_lexicon_is_cached() -> None:
    assert lexicon() is lexicon()
