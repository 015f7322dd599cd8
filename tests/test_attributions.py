"""Who reports what: attribution verbs and the sources they name.

All sentences here are written for these tests.
"""
from __future__ import annotations


from marsad.actors import catalog
from marsad.attributions import SourceMention, find_sources
from marsad.text import NormalizedText, tokens


def sources(sentence: str, outlet: str | None = None, country: str | None = "Syria") -> list[SourceMention]:
    nt = NormalizedText(sentence)
    t = nt.text
    return find_sources(t, tokens(t), catalog().find(t, country=country), outlet=outlet, quotes=nt.quotes)


def names(sentence: str, outlet: str | None = None) -> list[str]:
    return [m.name for m in sources(sentence, outlet)]


def test_sohr_full_name() -> None:
    (m,) = sources("قال المرصد السوري لحقوق الإنسان إن طائرة مسيرة قصفت سيارة")
    assert (m.name, m.kind) == ("SOHR", "monitor")


def test_sohr_short_names() -> None:
    assert names("وفق المرصد السوري، قتل شاب") == ["SOHR"]
    assert names("وبحسب المرصد فإن القصف استمر") == ["SOHR"]


def test_sana_after_bihasab() -> None:
    (m,) = sources("بحسب وكالة سانا، انفجرت عبوة ناسفة")
    assert (m.name, m.kind) == ("SANA", "outlet")


def test_sana_full_arabic_name() -> None:
    assert names("وذكرت وكالة الأنباء السورية أن الجيش صد هجوما") == ["SANA"]


def test_correspondent_of_a_named_outlet() -> None:
    (m,) = sources("نقل مراسل عنب بلدي عن شهود عيان أن الاشتباكات توقفت")
    assert m.name == "Enab Baladi correspondent"
    t = NormalizedText("نقل مراسل عنب بلدي عن شهود عيان").text
    assert t[m.start:m.end] == "مراسل عنب بلدي"


def test_our_correspondent_takes_the_article_outlet() -> None:
    assert names("وقال مراسلنا إن القصف تجدد", outlet="Enab Baladi") == ["Enab Baladi correspondent"]
    assert names("وقال مراسلنا إن القصف تجدد") == ["correspondent"]


def test_quoted_page_name_after_safha() -> None:
    (m,) = sources('ذكرت صفحة "أخبار القرية" المحلية أن دورية تعرضت لهجوم')
    assert (m.name, m.kind) == ("اخبار القريه", "outlet")


def test_page_name_in_guillemets() -> None:
    assert names("نشرت شبكة «صوت البادية» أن انفجارا وقع. وأفادت شبكة «صوت البادية» بمقتل شاب") == ["صوت الباديه"]


def test_quoted_name_without_media_noun_is_not_a_source() -> None:
    assert names('قال "أبو محمد" إن القصف تجدد') == []


def test_known_outlet_in_quotes_keeps_its_english_name() -> None:
    assert names('ذكرت شبكة "فرات بوست" أن مسلحين هاجموا حاجزا') == ["Furat Post"]


def test_generic_sources() -> None:
    assert names("أفاد ناشطون بأن دوي انفجار سمع في المدينة") == ["activists"]
    assert names("قالت مصادر محلية لعنب بلدي إن الجيش انسحب") == ["local sources"]
    assert names("وأكد مصدر طبي وصول جثتين إلى المستشفى") == ["medical source"]


def test_actor_speaking_is_a_source() -> None:
    (m,) = sources("أعلنت قسد مقتل عنصرين من التنظيم")
    assert (m.name, m.kind) == ("SDF", "actor")


def test_victims_after_bayan_are_not_a_source() -> None:
    assert names("أعلنت قسد في بيان مقتل عنصرين من التنظيم") == ["SDF"]


def test_civilians_are_not_sources() -> None:
    assert names("قال أهالي القرية إن الطائرات حلقت فوقهم") == []


def test_verb_without_a_named_source_gives_nothing() -> None:
    assert names("وأضاف أن القصف استهدف منازل المدنيين") == []


def test_source_must_follow_the_verb_before_an_inna_clause() -> None:
    # The army is what was reported, not who reported it.
    assert names("وقال إن قوات النظام قصفت البلدة") == []


def test_source_name_is_not_taken_across_a_colon() -> None:
    assert names("وقال في بيانه: المرصد يتابع") == []


def test_several_sources_in_text_order() -> None:
    got = names("قال المرصد السوري إن شابا قتل. وبحسب وكالة سانا، فإن الشاب مدني.")
    assert got == ["SOHR", "SANA"]


def test_source_offsets_are_the_name() -> None:
    sentence = "أفادت وكالة سانا بأن الجيش صد هجوما"
    t = NormalizedText(sentence).text
    (m,) = sources(sentence)
    assert t[m.start:m.end] == "سانا"
