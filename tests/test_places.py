"""Place mentions and their resolution: what a coder checks in the location columns."""
from __future__ import annotations

from marsad.gazetteer import Gazetteer
from marsad.places import article_context, find_places, resolve, transliterate
from marsad.text import normalize


def mentions(sentence: str):
    text = normalize(sentence)
    return text, find_places(text)


def names(sentence: str) -> list[str]:
    text, found = mentions(sentence)
    return [p.name for p in found]


def test_village_after_a_place_word_is_found_even_when_unknown():
    assert "ام الخرز" in names("قتل شاب في قرية أم الخرز بريف دير الزور")


def test_list_after_a_plural_place_word_gives_each_village():
    found = names("اشتباكات في قرى كفرنبودة والهبيط وقلعة المضيق بريف حماة")
    assert {"كفرنبوده", "الهبيط", "قلعه المضيق"} <= set(found)


def test_two_word_names_with_the_article_or_a_head_word():
    assert "الصمدانيه الشرقيه" in names("توغلت قوة في قرية الصمدانية الشرقية أمس")
    assert "تل ابيض" in names("قصف على مدينة تل أبيض شمالي الرقة")


def test_known_town_needs_a_place_context_when_it_is_also_a_word():
    # "إثر" and "بيان" are towns somewhere, and words here
    assert names("قتل عنصر إثر هجوم، وقال في بيان إن الوضع مستقر") == []


def test_known_town_after_a_preposition_is_a_place():
    assert "منبج" in names("انفجرت سيارة مفخخة في منبج مساء أمس")


def test_origin_and_orientation_are_marked():
    text, found = mentions("قتل مدني من أبناء قرية الزر خلال مداهمة من جهة قرية الطيانة")
    flags = {p.name: (p.origin, p.qualifier) for p in found}
    assert flags["الزر"] == (True, False)
    assert flags["الطيانه"] == (False, True)


def test_near_and_countryside_words_lower_precision():
    text, found = mentions("سقطت قذائف قرب بلدة الصنمين")
    near = [p for p in found if p.name == "الصنمين"][0]
    assert near.near
    resolved = resolve(near, article_context(found))
    assert resolved.geo_precision == 2


def test_governorate_word_resolves_to_the_governorate():
    text, found = mentions("غارات على ريف إدلب الجنوبي")
    p = [m for m in found if m.name == "ادلب"][0]
    r = resolve(p, article_context(found))
    assert r.admin1 == "Idlib" and r.geo_precision == 3 and r.country == "Syria"


def test_article_context_picks_the_syrian_namesake():
    # ذيبان is a town in Syria and in Jordan; the article is about Deir ez-Zor
    text, found = mentions("هجوم في بلدة ذيبان بريف دير الزور الشرقي")
    ctx = article_context(found)
    p = [m for m in found if m.name == "ذيبان"][0]
    r = resolve(p, ctx, "Deir ez-Zor")
    assert r.country == "Syria" and r.admin1 == "Deir ez-Zor"
    assert abs(r.latitude - 35.01) < 0.1


def test_unknown_village_takes_the_governorate_from_context():
    text, found = mentions("مداهمة في قرية الكرمشية بريف دير الزور الشرقي")   # a name no source has
    p = [m for m in found if m.name == "الكرمشيه"][0]
    r = resolve(p, article_context(found), "Deir ez-Zor")
    assert r.place is None and r.admin1 == "Deir ez-Zor" and r.geo_precision == 2
    assert r.latitude is not None and "centroid" in r.coord_source  # the governorate's centroid stands in


def test_supplement_village_without_coordinates_sits_at_its_subdistrict():
    text, found = mentions("مداهمة في قرية الزر بريف دير الزور الشرقي")
    p = [m for m in found if m.name == "الزر"][0]
    r = resolve(p, article_context(found), "Deir ez-Zor")
    assert r.place is not None and r.place.source.startswith("places_sy")
    assert (r.admin1, r.admin3, r.geo_precision) == ("Deir ez-Zor", r.place.admin3, 2)
    sub = next(c for c in Gazetteer.load().lookup(normalize(r.place.admin3_ar)) if c.kind == "admin3")
    assert (r.latitude, r.longitude) == (sub.latitude, sub.longitude)


def test_transliteration_of_unknown_names_is_readable_latin():
    assert transliterate("الزر") == "Al-Zr"
    assert transliterate("أم الخرز").startswith("Am")
