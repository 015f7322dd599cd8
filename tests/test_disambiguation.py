"""Choosing among places of the same name, and telling places from ordinary words, as a coder would."""
from __future__ import annotations

from datetime import date

import pytest

from marsad import extract
from marsad.places import PlaceContext, PlaceMention, article_context, dateline_end, find_places, resolve
from marsad.text import NormalizedText


def located(text: str, published: date = date(2025, 5, 20)):
    return [(e.location, e.country, e.admin1) for e in extract(text, published=published)]


def place_names(text: str) -> list[str]:
    nt = NormalizedText(text)
    return [p.name for p in find_places(nt.text)]


def resolved(text: str, name: str):
    nt = NormalizedText(text)
    found = find_places(nt.text)
    ctx = article_context(found, dateline_end(nt.text))
    p = next(m for m in found if m.name == name)
    return resolve(p, ctx)


# -- names shared across countries ---------------------------------------------------------------

def test_dhiban_in_syria_by_its_governorate():
    assert located("قتل عنصران من قسد أمس الاثنين بهجوم مسلح على حاجز في بلدة ذيبان بريف دير الزور الشرقي.") == [
        ("Dhiban", "Syria", "Deir ez-Zor")]


def test_dhiban_in_jordan_by_its_governorate():
    r = resolved("أصيب شرطي أمس في مشاجرة في بلدة ذيبان جنوب مادبا.", "ذيبان")
    assert (r.country, r.admin1) == ("Jordan", "Madaba")


def test_dateline_tells_the_country():
    text = "عمّان - أعلنت مديرية الأمن العام القبض على مطلوبين في ذيبان بعد مداهمة."
    assert dateline_end(NormalizedText(text).text) > 0
    r = resolved(text, "ذيبان")
    assert r.country == "Jordan"
    r = resolved("دير الزور - عنب بلدي\nداهمت قوات قسد منازل في ذيبان واعتقلت شابين.", "ذيبان")
    assert (r.country, r.admin1) == ("Syria", "Deir ez-Zor")


def test_no_dateline_in_an_ordinary_first_sentence():
    assert dateline_end(NormalizedText("قتل ثلاثة مدنيين وأصيب خمسة آخرون في قصف على مدينة إدلب.").text) == 0


# -- names that are also ordinary words ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "فتح الاتفاق الباب أمام عودة المهجرين إلى منازلهم.",
    "تحصن المسلحون على التل المطل على الطريق قبل انسحابهم.",
    "خرج آلاف المتظاهرين إلى الميادين في دمشق للمطالبة بالحرية.",
    "طالب المحتجون بالحرية والكرامة في ساحة الحرية وسط المدينة.",
])
def test_ordinary_words_are_not_places(text):
    assert not {"الباب", "التل", "الميادين", "الحريه"} & set(place_names(text))


@pytest.mark.parametrize("text, name, where", [
    ("قتل مدنيان بانفجار سيارة مفخخة في مدينة الباب.", "Al-Bab", "Aleppo"),
    ("انفجرت عبوة ناسفة في الباب شرقي حلب صباح اليوم.", "Al-Bab", "Aleppo"),
    ("اعتقلت الأجهزة الأمنية ثلاثة شبان في مدينة التل بريف دمشق.", "Al-Tall", "Rif Dimashq"),
    ("هاجم مسلحون حاجزا لقسد في الميادين شرقي دير الزور.", "Al-Mayadin", "Deir ez-Zor"),
    ("داهمت قوة إسرائيلية قرية الحرية بريف القنيطرة الشمالي.", "Al-Hurriyah", "Quneitra"),
])
def test_the_same_words_as_places_when_the_text_says_so(text, name, where):
    assert (name, "Syria", where) in located(text)


def test_a_town_of_the_articles_governorate_needs_no_qualifier():
    text = ("شنت قوات قسد حملة دهم في ريف دير الزور الشرقي أمس. "
            "وقال ناشطون إن مسلحين هاجموا نقطة عسكرية في الميادين.")
    assert ("Al-Mayadin", "Syria", "Deir ez-Zor") in located(text)


# -- the place word asks for a kind of place -----------------------------------------------------

def test_nahiya_means_the_subdistrict():
    r = resolved("فرضت قوات قسد حظر تجول في ناحية ذيبان بريف دير الزور.", "ذيبان")
    assert r.place.kind == "admin3" and r.admin1 == "Deir ez-Zor" and r.geo_precision == 2


def test_town_word_means_the_town():
    r = resolved("فرضت قوات قسد حظر تجول في بلدة ذيبان بريف دير الزور.", "ذيبان")
    assert r.place.kind == "city" and r.geo_precision == 1


# -- nearness to the other places of the article --------------------------------------------------

def _zara(anchor: tuple[float, float]):
    nt = NormalizedText("قصف على قرية الزارة")
    [p] = [m for m in find_places(nt.text) if m.name == "الزاره"]
    ctx = PlaceContext(anchors=[("other", *anchor)])
    ctx.country_votes["Syria"] += 1
    return resolve(p, ctx)


def test_namesakes_in_one_country_are_told_apart_by_the_places_around_them():
    assert _zara((34.68, 36.25)).admin1 == "Homs"   # beside Talkalakh
    assert _zara((35.05, 36.60)).admin1 == "Hama"   # beside Mhardeh


def test_city_outskirts_after_a_countryside():
    [ev] = extract("قتل عامل الخميس بغارات روسية على مناطق ريف إدلب، حيث استهدفت الطائرات ورشة في الأطراف "
                   "الغربية للمدينة.", published=date(2024, 2, 29))
    assert (ev.location, ev.geo_precision) == ("Idlib", 2)
    assert abs(ev.latitude - 35.93) < 0.05   # the city, not the governorate's centroid


# -- what every event carries --------------------------------------------------------------------

def test_events_carry_the_admin_hierarchy_in_both_languages_and_identifiers():
    [ev] = extract("قتل عنصران من قسد أمس الاثنين بهجوم مسلح على حاجز في بلدة ذيبان بريف دير الزور الشرقي.",
                   published=date(2025, 5, 20))
    assert (ev.country, ev.admin1, ev.admin1_ar) == ("Syria", "Deir ez-Zor", "دير الزور")
    assert ev.admin2 and ev.admin2_ar and ev.admin3 and ev.admin3_ar
    assert ev.geonameid == 170691 and ev.coord_source.startswith("https://www.geonames.org/")


def test_unknown_unit_word_mention_keeps_a_plain_mention():
    # A PlaceMention built by hand with no candidates resolves to nothing invented.
    p = PlaceMention(0, 5, "كرمشيه", [])
    r = resolve(p, PlaceContext())
    assert r.place is None and r.latitude is None and r.pcode is None


def test_the_village_named_earlier_is_the_place_of_an_attack_around_it():
    text = ("قال مختار من سكان قرية الكرمشية في ديالى إن مسلحين هاجموا مساء أمس الاثنين نقطة للجيش "
            "بمحيط القرية قرب بلدة خانقين، ما أدى إلى مقتل جنديين.")
    [ev] = extract(text, published=date(2025, 5, 20))
    assert (ev.location_ar, ev.admin1, ev.geo_precision) == ("الكرمشية", "Diyala", 2)
    assert text[ev.location_span[0]:ev.location_span[1]] == "الكرمشية"


def test_a_direction_from_the_capital_does_not_move_a_town_into_it():
    [ev] = extract("داهمت دوريات أمنية أمس منازل في مدينة التل شمالي دمشق واعتقلت 14 شابا.",
                   published=date(2022, 2, 16))
    assert (ev.location, ev.admin1) == ("Al-Tall", "Rif Dimashq")


def test_a_namesake_abroad_is_not_taken_for_an_unlisted_neighbourhood():
    r = resolved("غزة - قتل ثلاثة فلسطينيين بقصف إسرائيلي على منزل في حي الأمل غرب خان يونس.", "الامل")
    assert r.country == "Palestine" and r.place is None or r.place.country == "Palestine"


def test_a_village_in_a_mountain_region_is_coded_at_the_village():
    [ev] = extract("قصفت قوات النظام أمس الاثنين بقذائف محملة بالكلور محور الكبينة في جبل الأكراد بريف اللاذقية.",
                   published=date(2019, 5, 21))
    assert ev.location == "Kabani" and ev.admin1 == "Latakia"
