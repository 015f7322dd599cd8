"""The actor catalog: aliases from data/actors.tsv plus force noun × nationality adjective forms.

All sentences here are written for these tests.
"""
from __future__ import annotations

import pytest

from marsad.actors import ActorCatalog, catalog
from marsad.text import NormalizedText


@pytest.fixture(scope="module")
def cat() -> ActorCatalog:
    return catalog()


def actors(cat: ActorCatalog, sentence: str, country: str | None = None) -> list[str]:
    t = NormalizedText(sentence).text
    return [m.actor for m in cat.find(t, country=country)]


def surfaces(cat: ActorCatalog, sentence: str, country: str | None = None) -> list[tuple[str, str]]:
    nt = NormalizedText(sentence)
    return [(m.actor, nt.original_text(m.start, m.end)) for m in cat.find(nt.text, country=country)]


def test_catalog_is_cached_and_knows_its_actors(cat) -> None:
    assert catalog() is cat
    for actor_id in ("SDF", "SYRIAN_GOV", "ISIS", "TURKEY", "RUSSIA", "CIVILIANS", "UNIDENTIFIED_ARMED_GROUP"):
        assert actor_id in cat.actors
    assert cat.actors["SDF"].short == "SDF"
    assert cat.actors["CIVILIANS"].inter == 7
    assert cat.actors["IRAQ_GOV"].scope == "Iraq"
    assert cat.actors["ISIS"].scope == "any"


@pytest.mark.parametrize("sentence, actor", [
    ("هاجمت قسد نقطة عسكرية", "SDF"),
    ('قال مصدر عسكري لـ"قسد" إن الهجوم فشل', "SDF"),
    ("تقدمت قوات سوريا الديمقراطية نحو البلدة", "SDF"),
    ("تقدمت قوات سورية الديمقراطية نحو البلدة", "SDF"),
    ("قصفت طائرة مسيرة تركية سيارة", "TURKEY"),
    ("قصفت مسيّرة تركية سيارة", "TURKEY"),
    ("شن الطيران الروسي غارات", "RUSSIA"),
    ("أطلق مسلحون مجهولون النار على شاب", "UNIDENTIFIED_ARMED_GROUP"),
    ("اغتال مجهولون شابا", "UNIDENTIFIED_ARMED_GROUP"),
    ("هاجمت خلايا تنظيم داعش حاجزا", "ISIS"),
    ('هاجم تنظيم "الدولة الإسلامية" حاجزا', "ISIS"),
    ("قصفت طائرات التحالف الدولي موقعا", "COALITION"),
    ("قصفت طائرات تابعة للتحالف الدولي موقعا", "COALITION"),
    ("استهدفت مسيرة إسرائيلية سيارة", "ISRAEL"),
    ("وصلت قوات أمريكية إلى القاعدة", "US"),
    ("وصلت قوات أميركية إلى القاعدة", "US"),
    ("قصفت قوات النظام السوري البلدة", "SYRIAN_GOV"),
    ("اعتقلت قوات الأمن العام شابين", "SYRIAN_POLICE"),
    ("هاجمت فلول النظام البائد حاجزا", "SYRIAN_GOV_MILITIA"),
    ("اشتبك مقاتلو العشائر مع الحاجز", "TRIBAL"),
    ("قتل مدني في القصف", "CIVILIANS"),
])
def test_actor_aliases(cat, sentence: str, actor: str) -> None:
    assert actor in actors(cat, sentence)


@pytest.mark.parametrize("sentence, actor, surface", [
    ("قصفت طائرة مسيرة تركية سيارة", "TURKEY", "طائرة مسيرة تركية"),
    ("شن الطيران الروسي غارات", "RUSSIA", "الطيران الروسي"),
    ("وبالطيران التركي", "TURKEY", "الطيران التركي"),
    ("أطلق مسلحون مجهولون النار", "UNIDENTIFIED_ARMED_GROUP", "مسلحون مجهولون"),
    ("قصفت قوات سوريا الديمقراطية", "SDF", "قوات سوريا الديمقراطية"),
])
def test_longest_alias_wins_and_maps_back(cat, sentence: str, actor: str, surface: str) -> None:
    assert surfaces(cat, sentence) == [(actor, surface)]


def test_sdf_name_is_not_syrian_government(cat) -> None:
    # "قوات سورية" would be SYRIAN_GOV (force noun + adjective) but the SDF name is longer.
    assert actors(cat, "هاجمت قوات سورية الديمقراطية القرية") == ["SDF"]
    assert actors(cat, "وصلت قوات سورية إلى الحدود") == ["SYRIAN_GOV"]


def test_new_syrian_army_is_one_mention(cat) -> None:
    assert surfaces(cat, "انتشر الجيش السوري الجديد في المدينة") == [("SYRIAN_GOV", "الجيش السوري الجديد")]


def test_nationality_forms_with_article_and_without(cat) -> None:
    assert actors(cat, "الطائرات الحربية التركية") == ["TURKEY"]
    assert actors(cat, "طائرات حربية روسية") == ["RUSSIA"]
    assert actors(cat, "المسيرات الإيرانية") == ["IRAN"]
    assert actors(cat, "دورية روسية") == ["RUSSIA"]


def test_several_actors_in_order(cat) -> None:
    got = actors(cat, "اندلعت اشتباكات بين قسد ومقاتلي العشائر والجيش الوطني السوري")
    assert got[0] == "SDF"
    assert "SNA" in got


def test_alias_not_found_inside_other_words(cat) -> None:
    assert actors(cat, "قسدي") == []
    assert actors(cat, "الجيشان") == []


def test_mention_offsets_exclude_clitics(cat) -> None:
    t = NormalizedText("وصلت تعزيزات لقسد").text
    (m,) = cat.find(t)
    assert t[m.start:m.end] == "قسد"
    assert t[m.token_start:m.end] == "لقسد"


def test_find_within_a_range(cat) -> None:
    t = NormalizedText("هاجمت قسد مواقع داعش").text
    start = t.index("مواقع")
    assert [m.actor for m in cat.find(t, start)] == ["ISIS"]


def test_actor_scoped_to_another_country_is_dropped(cat) -> None:
    sentence = "قصفت القوات العراقية مواقع للتنظيم"
    assert "IRAQ_GOV" in actors(cat, sentence)
    assert "IRAQ_GOV" in actors(cat, sentence, country="Iraq")
    assert "IRAQ_GOV" not in actors(cat, sentence, country="Syria")
    assert "ISIS" in actors(cat, sentence, country="Syria")


def test_syria_scoped_actor_dropped_in_iraq(cat) -> None:
    assert actors(cat, "هاجمت قسد القرية", country="Iraq") == []
    assert actors(cat, "هاجمت قسد القرية", country="Syria") == ["SDF"]


def test_actor_with_any_scope_kept_everywhere(cat) -> None:
    for country in (None, "Syria", "Iraq", "Yemen"):
        assert actors(cat, "شن الطيران الروسي غارات", country=country) == ["RUSSIA"]


def test_in_scope(cat) -> None:
    assert cat.in_scope("PMF", None)
    assert cat.in_scope("PMF", "Iraq")
    assert not cat.in_scope("PMF", "Syria")
    assert cat.in_scope("TURKEY", "Syria")
