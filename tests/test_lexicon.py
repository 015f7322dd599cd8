"""Dictionary matching: PhraseMatcher (clitic-aware Aho-Corasick) and WordPatternMatcher
("اعتقل*" prefix patterns over clitic-stripped words).

All sentences here are written for these tests.
"""
from __future__ import annotations

import pytest

from marsad.lexicon import PhraseMatcher, read_tsv
from marsad.patterns import WordPatternMatcher, word_forms
from marsad.text import NormalizedText


def phrases(matcher: PhraseMatcher, sentence: str) -> list[tuple[str, list]]:
    t = NormalizedText(sentence).text
    return [(t[m.start:m.end], m.value) for m in matcher.find_all(t)]


@pytest.fixture(scope="module")
def forces() -> PhraseMatcher[str]:
    return PhraseMatcher([
        ("التحالف", "COALITION"),
        ("التحالف الدولي", "COALITION"),
        ("الجيش", "ARMY"),
        ("الجيش السوري", "SYRIAN_ARMY"),
        ("قسد", "SDF"),
        ("قوات سوريا الديمقراطية", "SDF"),
        ("سوريا", "PLACE"),
        ("النعمان", "PLACE"),
    ])


# --------------------------------------------------------------------------- PhraseMatcher


def test_phrase_found_as_is(forces) -> None:
    assert phrases(forces, "أعلن التحالف أمس") == [("التحالف", ["COALITION"])]


@pytest.mark.parametrize("sentence", [
    "قصفت طائرات تابعة للتحالف المنطقة",
    "هاجمت خلايا التنظيم مقرا والتحالف يرد",
    "قتل شاب بالتحالف",
    "اتصل وبالتحالف",
    "وللتحالف قاعدة هنا",
])
def test_phrase_found_after_clitics(forces, sentence: str) -> None:
    got = phrases(forces, sentence)
    assert [v for _, v in got] == [["COALITION"]]


def test_lil_form_reports_the_dictionary_key(forces) -> None:
    # Callers look the key up (places.py: the gazetteer), so it must be the entry, not "للتحالف".
    t = NormalizedText("غارة للتحالف").text
    (m,) = forces.find_all(t)
    assert t[m.token_start:m.end] == "للتحالف"
    assert m.key == "التحالف"


def test_clitic_match_offsets(forces) -> None:
    t = NormalizedText("اشتباكات والنعمان").text
    (m,) = forces.find_all(t)
    assert t[m.start:m.end] == "النعمان"
    assert t[m.token_start:m.end] == "والنعمان"


def test_quoted_name_with_clitic(forces) -> None:
    assert phrases(forces, 'قال مصدر لـ"قسد" إن') == [("قسد", ["SDF"])]


@pytest.mark.parametrize("sentence", [
    "الجيشان تبادلا القصف",       # suffix: not the word الجيش
    "قال مالجيش",                  # a non-clitic letter before it
    "التحالفات الاقليميه تتغير",
    "قسدي",
])
def test_phrase_not_found_inside_another_word(forces, sentence: str) -> None:
    assert phrases(forces, sentence) == []


def test_longest_match_wins(forces) -> None:
    assert phrases(forces, "هاجم الجيش السوري القرية") == [("الجيش السوري", ["SYRIAN_ARMY"])]
    assert phrases(forces, "قصفت طائرات التحالف الدولي") == [("التحالف الدولي", ["COALITION"])]


def test_longest_match_swallows_a_nested_phrase(forces) -> None:
    # "سوريا" sits inside "قوات سوريا الديمقراطية": only the long name is reported.
    assert phrases(forces, "تقدمت قوات سوريا الديمقراطية نحو القرية") == [("قوات سوريا الديمقراطيه", ["SDF"])]


def test_several_matches_in_text_order(forces) -> None:
    got = phrases(forces, "اشتبكت قسد مع الجيش قرب النعمان")
    assert [v for _, v in got] == [["SDF"], ["ARMY"], ["PLACE"]]


def test_spellings_match_after_normalisation(forces) -> None:
    got = phrases(forces, "قوات سورية الديمقراطيّة")
    assert got == []  # سورية is not سوريا: a different entry is needed
    m = PhraseMatcher([("الإدارة الذاتية", "AANES")])
    assert phrases(m, "أعلنت الادارة الذاتيه") == [("الاداره الذاتيه", ["AANES"])]


def test_one_phrase_several_values() -> None:
    m = PhraseMatcher([("الحشد", "PMF"), ("الحشد", "OTHER"), ("الحشد", "PMF")])
    assert phrases(m, "قوات الحشد") == [("الحشد", ["PMF", "OTHER"])]


def test_find_all_within_a_range(forces) -> None:
    t = NormalizedText("قسد والجيش والتحالف").text
    start = t.index("والجيش")
    got = [m.value for m in forces.find_all(t, start, start + len("والجيش"))]
    assert got == [["ARMY"]]


def test_empty_matcher() -> None:
    m = PhraseMatcher([])
    assert len(m) == 0
    assert m.find_all("اي نص") == []


def test_read_tsv_skips_comments() -> None:
    rows = list(read_tsv("numbers.tsv"))
    assert rows and all(not r["word"].startswith("#") for r in rows)
    assert {"word", "value", "kind"} <= set(rows[0])


# --------------------------------------------------------------------------- WordPatternMatcher


def words(matcher: WordPatternMatcher, sentence: str) -> list[tuple[str, object]]:
    t = NormalizedText(sentence).text
    return [(t[m.start:m.end], m.value) for m in matcher.find_all(t)]


@pytest.fixture(scope="module")
def arrests() -> WordPatternMatcher[str]:
    return WordPatternMatcher([
        ("اعتقل*", "arrest"),
        ("اعتقال*", "arrest"),
        ("قصف*", "shelling"),
        ("قصف* جوي*", "air"),
        ("عبو* ناسف*", "ied"),
        ("غارة", "air"),
        ("إلقاء القبض", "arrest"),
    ])


@pytest.mark.parametrize("sentence, word", [
    ("اعتقلت الشرطة شابا", "اعتقلت"),
    ("واعتقلوا ثلاثة أشخاص", "واعتقلوا"),
    ("حملة للاعتقالات في البلدة", "للاعتقالات"),
    ("بعد اعتقاله بيومين", "اعتقاله"),
    ("وبالاعتقال التعسفي", "وبالاعتقال"),
])
def test_prefix_pattern_matches_inflections_and_clitics(arrests, sentence: str, word: str) -> None:
    assert words(arrests, sentence) == [(word, "arrest")]


def test_prefix_pattern_needs_the_prefix_at_the_stem_start(arrests) -> None:
    assert words(arrests, "المعتقلين في السجن") == []


def test_multi_word_pattern(arrests) -> None:
    assert words(arrests, "انفجرت عبوة ناسفة") == [("عبوه ناسفه", "ied")]
    assert words(arrests, "بالعبوات الناسفة") == [("بالعبوات الناسفه", "ied")]


def test_multi_word_pattern_beats_its_first_word(arrests) -> None:
    assert words(arrests, "قصف جوي على المدينة") == [("قصف جوي", "air")]
    assert words(arrests, "قصفت الطائرات الحربية") == [("قصفت", "shelling")]


def test_exact_word_matches_only_itself_and_its_clitic_forms(arrests) -> None:
    assert words(arrests, "شنت غارة") == [("غاره", "air")]
    assert words(arrests, "قتل في الغارة") == [("الغاره", "air")]
    assert words(arrests, "وبغارة") == [("وبغاره", "air")]
    assert words(arrests, "غارتين") == []


def test_exact_multi_word_pattern_with_article(arrests) -> None:
    assert words(arrests, "تم إلقاء القبض على المطلوب") == [("القاء القبض", "arrest")]


def test_pattern_words_are_normalised() -> None:
    m = WordPatternMatcher([("مُسيَّرة", "drone")])
    assert words(m, "مسيّرة") == [("مسيره", "drone")]


def test_match_reports_token_position() -> None:
    m = WordPatternMatcher([("عبو* ناسف*", "ied")])
    t = NormalizedText("انفجرت عبوة ناسفة").text
    (w,) = m.find_all(t)
    assert (w.first_token, w.n_tokens) == (1, 2)


def test_word_forms_drop_clitics_and_article() -> None:
    forms = word_forms("وبالاعتقالات")
    assert "اعتقالات" in forms
    assert "الاعتقالات" in forms
