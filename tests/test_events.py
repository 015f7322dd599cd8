"""Event assembly, end to end: what an analyst reading the output would check."""
from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

import marsad
from marsad.model import Article


def one(events, **where):
    found = [e for e in events if all(getattr(e, k) == v for k, v in where.items())]
    assert len(found) == 1, (where, [(e.event_date, e.sub_event_type, e.location_ar) for e in events])
    return found[0]


@pytest.fixture(scope="module")
def seed_events():
    line = resources.files("marsad").joinpath("data", "sample", "seed.jsonl").read_text(encoding="utf-8")
    a = json.loads(line.splitlines()[0])
    article = Article(id=a["id"], text=a["text"], published=date.fromisoformat(a["published"]), title=a["title"])
    return article, marsad.extract_article(article)


def test_seed_gives_the_three_raids_with_their_days(seed_events):
    _, events = seed_events
    assert {(e.location_ar, e.event_date) for e in events} >= {
        ("الشحيل", "2020-05-17"), ("البصيرة", "2020-05-17"), ("الزر", "2020-05-07")}
    shuhayl = one(events, location_ar="الشحيل")
    assert (shuhayl.event_type, shuhayl.sub_event_type) == ("Battles", "Armed clash")
    assert shuhayl.actor1 == "SDF" and shuhayl.assoc_actor_1 == ["COALITION"]
    assert shuhayl.fatalities == 1  # one civilian killed, as two sources agree


def test_seed_lowest_credible_figure_and_sources(seed_events):
    _, events = seed_events
    busayrah = one(events, location_ar="البصيرة", sub_event_type="Armed clash")
    assert busayrah.fatalities == 2  # SDF: "several" (3); the coalition spokesman: 2
    assert "Global Coalition spokesperson" in busayrah.sources and "SDF" in busayrah.sources
    assert busayrah.admin1 == "Deir ez-Zor" and busayrah.country == "Syria"
    assert busayrah.latitude == pytest.approx(35.156, abs=0.05)


def test_seed_caption_and_background_make_no_event(seed_events):
    _, events = seed_events
    assert not [e for e in events if e.event_date and e.event_date.startswith("2018")]
    assert not [e for e in events if e.location_ar in ("هجين", "دير الزور")]


def test_every_span_points_at_its_words(seed_events):
    article, events = seed_events
    for e in events:
        for a, b in e.evidence_spans:
            assert article.text[a:b] in e.evidence
        assert article.text[slice(*e.location_span)] == e.location_ar
        if e.date_span:
            assert article.text[slice(*e.date_span)] == e.date_text
        if e.trigger_span:
            assert article.text[slice(*e.trigger_span)] == e.trigger
        for spans in e.actor_spans.values():
            for a, b in spans:
                assert article.text[a:b].strip()


def test_negated_arrest_makes_no_arrest_event():
    text = ("داهمت قوات الأمن أمس بلدة الكرامة بريف الرقة الشرقي بحثا عن مطلوب، "
            "لكن المداهمة لم تسفر عن اعتقاله.")
    events = marsad.extract(text, published=date(2024, 3, 5))
    assert all(e.sub_event_type != "Arrests" or e.event_date for e in events)
    assert not any("لم تسفر" in (e.trigger or "") for e in events)


def test_relative_date_resolves_against_publication():
    text = "قتل مدنيان أمس الأحد جراء قصف مدفعي لقوات النظام على قرية كفرنبل بريف إدلب الجنوبي."
    events = marsad.extract(text, published=date(2019, 6, 10))
    e = one(events, location_ar="كفرنبل")
    assert e.event_date == "2019-06-09"
    assert (e.sub_event_type, e.actor1, e.actor2) == ("Shelling/artillery/missile attack", "SYRIAN_GOV", "CIVILIANS")
    assert e.fatalities == 2


def test_one_event_per_village_in_a_list():
    text = "اندلعت اشتباكات عنيفة اليوم بين فصائل المعارضة وقوات النظام في قرى كفرنبودة والهبيط وقلعة المضيق بريف حماة."
    events = marsad.extract(text, published=date(2019, 5, 20))
    assert {e.location_ar for e in events} == {"كفرنبودة", "الهبيط", "قلعة المضيق"}
    assert {e.event_date for e in events} == {"2019-05-20"}


def test_non_event_article_is_quiet():
    text = ("ارتفع سعر صرف الليرة السورية أمام الدولار في أسواق دمشق اليوم، "
            "وقال تجار إن الطلب على العملة الأجنبية تراجع خلال الأسبوع.")
    assert marsad.extract(text, published=date(2025, 1, 2)) == []


def test_plans_and_threats_are_not_events():
    text = "هدد الجيش التركي بقصف مواقع قسد في ريف منبج إذا لم تنسحب خلال أيام."
    assert marsad.extract(text, published=date(2022, 6, 1)) == []


def test_village_missing_from_gazetteer_keeps_its_name_and_governorate():
    text = "قتل شاب برصاص مسلحين مجهولين أمس في قرية أم الخرز بريف دير الزور الشرقي."
    e = one(marsad.extract(text, published=date(2021, 4, 3)))
    assert e.location_ar == "أم الخرز"
    assert e.admin1 == "Deir ez-Zor" and e.geo_precision == 2 and e.latitude is not None
    assert (e.event_type, e.actor1, e.actor2, e.fatalities) == (
        "Violence against civilians", "UNIDENTIFIED_ARMED_GROUP", "CIVILIANS", 1)


def test_headline_summary_is_not_a_second_event():
    title = "مقتل ثلاثة عناصر من قسد بهجوم في ريف دير الزور"
    text = title + "\n\nقتل ثلاثة عناصر من قسد اليوم بهجوم شنه مسلحون من تنظيم داعش على حاجز في بلدة الكسرة بريف دير الزور الغربي."
    events = marsad.extract(text, published=date(2023, 2, 2), title=title)
    e = one(events)
    assert (e.location_ar, e.actor1, e.actor2, e.fatalities) == ("الكسرة", "ISIS", "SDF", 3)


def test_empty_and_non_arabic_text_give_nothing():
    assert marsad.extract("", published=date(2020, 1, 1)) == []
    assert marsad.extract("Clashes were reported near Idlib yesterday.", published=date(2020, 1, 1)) == []


def test_claims_keep_every_source_and_fatalities_take_the_lowest():
    text = ("قتل عناصر من قسد اليوم بهجوم لتنظيم داعش على حاجز في بلدة الكسرة بريف دير الزور. "
            "وقال المرصد السوري لحقوق الإنسان إن الهجوم أسفر عن مقتل خمسة عناصر. "
            "وذكرت وكالة هاوار أن الهجوم أدى إلى مقتل عنصرين.")
    e = one(marsad.extract(text, published=date(2023, 2, 2)))
    assert {(c["source"], c["fatalities"]) for c in e.claims} == {("SOHR", 5), ("Hawar News Agency", 2)}
    assert e.fatalities == 2
    assert e.field_confidence["fatalities"] < 0.9  # the sources disagree


def test_confidence_is_lower_when_the_day_is_not_in_the_text():
    dated = one(marsad.extract("قصفت قوات النظام أمس بلدة كفرنبل بريف إدلب.", published=date(2019, 6, 10)))
    undated = one(marsad.extract("قصفت قوات النظام بلدة كفرنبل بريف إدلب.", published=date(2019, 6, 10)))
    assert undated.event_date == "2019-06-10" and undated.time_precision == 2
    assert undated.field_confidence["event_date"] < dated.field_confidence["event_date"]
    assert undated.confidence < dated.confidence
    assert 0 <= undated.confidence <= 1


def test_internal_security_names_the_force_of_the_region():
    north_east = one(marsad.extract("اعتقلت قوى الأمن الداخلي أمس شابين في مدينة الحسكة.", published=date(2023, 1, 5)))
    coast = one(marsad.extract("اعتقلت قوى الأمن الداخلي أمس شابين في مدينة جبلة بريف اللاذقية.", published=date(2025, 5, 5)))
    assert north_east.actor1 == "ASAYISH" and coast.actor1 == "SYRIAN_POLICE"


def test_rule_explains_the_type():
    e = one(marsad.extract("شنت طائرات روسية غارات جوية أمس على بلدة معرة حرمة بريف إدلب.", published=date(2019, 7, 1)))
    assert e.sub_event_type == "Air/drone strike" and e.actor1 == "RUSSIA"
    assert "غارات" in e.rule
