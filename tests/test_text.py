"""The text layer: normalisation with a map back to the original, sentences, clitics.

All sentences here are written for these tests.
"""
from __future__ import annotations

import pytest

from marsad.text import (
    NormalizedText, at_word_end, at_word_start, normalize, split_sentences, strip_clitics, tokens,
)


# --------------------------------------------------------------------------- character normalisation


@pytest.mark.parametrize("raw, expected", [
    ("أحمد", "احمد"),          # hamza above
    ("إدلب", "ادلب"),          # hamza below
    ("آليات", "اليات"),        # madda
    ("ٱلقرية", "القريه"),      # wasla + ta marbuta
    ("مدينة", "مدينه"),        # ta marbuta
    ("مستشفى", "مستشفي"),      # alef maqsura
    ("مسـؤول", "مسوول"),       # tatweel dropped, waw hamza
    ("رئيس", "رييس"),          # ya hamza
    ("قُتِلَ", "قتل"),          # harakat dropped
    ("الشّهداء", "الشهداء"),    # shadda dropped
    ("هٰذا", "هذا"),           # superscript alef dropped
    ("٢٠٢٤", "2024"),          # Arabic-Indic digits
    ("۱۲", "12"),              # Persian digits
    ("20٪", "20%"),
])
def test_normalize_forms(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert NormalizedText(raw).text == expected


def test_spellings_of_one_word_read_the_same() -> None:
    forms = ["الإدارة الذاتية", "الادارة الذاتيه", "الإدارة الـذاتـيـة", "الإِدارَةُ الذّاتِيّة"]
    assert len({NormalizedText(f).text for f in forms}) == 1


def test_nbsp_and_thin_spaces_become_spaces() -> None:
    assert NormalizedText("قوات\u00a0النظام").text == "قوات النظام"
    assert NormalizedText("قوات\u202fالنظام").text == "قوات النظام"
    assert NormalizedText("قوات\tالنظام").text == "قوات النظام"


def test_zero_width_and_direction_marks_are_dropped() -> None:
    assert NormalizedText("قس\u200bد").text == "قسد"
    assert NormalizedText("\u200fقسد\u200e").text == "قسد"
    assert NormalizedText("\ufeffدرعا").text == "درعا"


def test_normalize_collapses_spaces_and_strips() -> None:
    assert normalize("  قوات   النظام \u00a0 ") == "قوات النظام"


def test_latin_text_is_untouched() -> None:
    assert NormalizedText("SDF 2024").text == "SDF 2024"


# --------------------------------------------------------------------------- offsets back to the original


def _find(nt: NormalizedText, needle: str) -> tuple[int, int]:
    i = nt.text.index(needle)
    return i, i + len(needle)


def test_span_maps_back_through_diacritics_and_tatweel() -> None:
    raw = "قَصَفَت الطـائـرات الروسيّة قريةَ الباغوز"
    nt = NormalizedText(raw)
    s, e = _find(nt, "الطايرات الروسيه")
    assert nt.original_text(s, e) == "الطـائـرات الروسيّة"
    a, b = nt.span(s, e)
    assert raw[a:b] == "الطـائـرات الروسيّة"


def test_span_maps_back_after_quotes_and_zero_width() -> None:
    raw = 'قال «المرصد» إن\u200b مسلحين "مجهولين" اغتالوا شاباً في درعا'
    nt = NormalizedText(raw)
    s, e = _find(nt, "درعا")
    assert nt.original_text(s, e) == "درعا"
    s, e = _find(nt, "مجهولين")
    assert nt.original_text(s, e) == "مجهولين"


def test_span_of_arabic_indic_digits() -> None:
    raw = "مقتل ١٢ عنصراً"
    nt = NormalizedText(raw)
    s, e = _find(nt, "12")
    assert nt.original_text(s, e) == "١٢"


def test_span_over_a_dropped_quote_keeps_the_original_quote_inside() -> None:
    raw = 'هاجم تنظيم "الدولة" حاجزاً'
    nt = NormalizedText(raw)
    s, e = _find(nt, "تنظيم الدوله")
    assert nt.original_text(s, e) == 'تنظيم "الدولة'


def test_empty_span() -> None:
    nt = NormalizedText("قصف مدفعي")
    assert nt.span(3, 3) == (3, 3)


def test_norm_offset_inverts_orig() -> None:
    raw = "قُتِلَ شابٌّ في إدلب"
    nt = NormalizedText(raw)
    i = raw.index("إدلب")
    n = nt.norm_offset(i)
    assert nt.text[n:n + 4] == "ادلب"
    assert nt.orig(n) == i


# --------------------------------------------------------------------------- quotes


def test_quotes_are_dropped_and_clitic_joins_name() -> None:
    nt = NormalizedText('قال مصدر لـ"قسد" إن')
    assert "لقسد" in nt.text.split()
    assert '"' not in nt.text


def test_quote_after_bi_with_article() -> None:
    assert NormalizedText('بـ"الدولة"').text == "بالدوله"


def test_guillemets_are_dropped() -> None:
    assert NormalizedText("ذكرت قناة «الإخبارية» أن").text == "ذكرت قناه الاخباريه ان"


def test_quote_glued_between_two_words_becomes_a_space() -> None:
    assert NormalizedText('قال"المرصد"').text == "قال المرصد"
    assert NormalizedText('هاجمت"قسد"مواقع').text == "هاجمت قسد مواقع"


def test_quote_positions_are_kept() -> None:
    nt = NormalizedText('ذكرت صفحة "فرات بوست" أن')
    assert len(nt.quotes) == 2
    a, b = nt.quotes
    assert nt.text[a:b].strip() == "فرات بوست"


def test_glued_quote_after_word_ending_like_a_clitic() -> None:
    # The whole previous word decides, not its last letters: جبال ends like the clitic بال.
    assert NormalizedText('في جبال"الأكراد"').text == "في جبال الاكراد"


# --------------------------------------------------------------------------- sentences and headings


def test_sentences_split_on_stops_and_question_and_exclamation_marks() -> None:
    nt = NormalizedText("قصفت المدفعية القرية. قتل شخصان! هل توقف القصف؟ لا")
    got = [nt.text[s.start:s.end] for s in nt.sentences]
    assert got == ["قصفت المدفعيه القريه.", "قتل شخصان!", "هل توقف القصف؟", "لا"]
    assert [s.index for s in nt.sentences] == [0, 1, 2, 3]
    assert {s.paragraph for s in nt.sentences} == {0}


def test_decimal_point_does_not_split() -> None:
    nt = NormalizedText("سقطت القذيفة على بعد 2.5 كيلومتر من المدرسة وأصيب طفل في المكان.")
    assert len(nt.sentences) == 1


def test_line_breaks_split_paragraphs() -> None:
    text = "قصفت الطائرات أطراف البلدة منذ الصباح وحتى المساء\nوأفاد ناشطون بمقتل مدني في القصف المدفعي على البلدة"
    sents = split_sentences(NormalizedText(text).text)
    assert [s.paragraph for s in sents] == [0, 1]
    assert not any(s.is_heading for s in sents)


def test_short_unpunctuated_line_is_a_heading() -> None:
    nt = NormalizedText("قرية الشعفة\nاستهدفت مسيرة سيارة عند مدخل القرية صباح اليوم.")
    first, second = nt.sentences
    assert nt.text[first.start:first.end] == "قريه الشعفه"
    assert first.is_heading
    assert not second.is_heading


def test_short_line_with_final_stop_is_not_a_heading() -> None:
    nt = NormalizedText("قتل شاب.\nوأصيب آخر")
    assert not nt.sentences[0].is_heading
    assert nt.sentences[1].is_heading  # short and without punctuation


def test_blank_lines_are_skipped_and_sentences_trimmed() -> None:
    nt = NormalizedText("  قصف مدفعي على البلدة الصغيرة اليوم.  \n\n\n   اشتباكات في المدينة بين الطرفين منذ الصباح.")
    got = [nt.text[s.start:s.end] for s in nt.sentences]
    assert got == ["قصف مدفعي علي البلده الصغيره اليوم.", "اشتباكات في المدينه بين الطرفين منذ الصباح."]
    assert [s.paragraph for s in nt.sentences] == [0, 1]


# --------------------------------------------------------------------------- tokens and clitics


def test_tokens_are_words_in_normalised_text() -> None:
    t = NormalizedText("قُتل 3 أشخاص، وأصيب آخرون.").text
    assert [t[a:b] for a, b in tokens(t)] == ["قتل", "3", "اشخاص", "واصيب", "اخرون"]


def test_tokens_within_a_range() -> None:
    t = normalize("قصف مدفعي على البلدة")
    assert [t[a:b] for a, b in tokens(t, 4, 13)] == ["مدفعي", "علي"]


@pytest.mark.parametrize("word, stem", [
    ("وبالمدينه", "المدينه"),
    ("للتحالف", "التحالف"),
    ("والنعمان", "النعمان"),
    ("بقصف", "قصف"),
    ("فالجيش", "الجيش"),
    ("ولقسد", "قسد"),
])
def test_strip_clitics_offers_the_stem(word: str, stem: str) -> None:
    forms = strip_clitics(word)
    assert forms[0] == word
    assert stem in forms


def test_strip_clitics_keeps_stems_of_two_letters_at_least() -> None:
    assert "ل" not in strip_clitics("بل")
    assert strip_clitics("و") == ["و"]


def test_at_word_start() -> None:
    text = "قصفت وبالمدفعيه المدفعيه"
    i = text.index("المدفعيه")          # after the clitics وب
    assert at_word_start(text, i) == text.index("وبالمدفعيه")
    assert at_word_start(text, 0) == 0
    last = text.rindex("المدفعيه")
    assert at_word_start(text, last) == last
    assert at_word_start(text, text.index("فت")) is None  # inside قصفت


def test_at_word_end() -> None:
    text = "قوات الجيش"
    assert at_word_end(text, 4)
    assert at_word_end(text, len(text))
    assert not at_word_end(text, 3)
