"""Quantities: digits, number words, duals, vague words (EVENTS.md: "عدد من" = 3, "عشرات" = 12).

All sentences here are written for these tests.
"""
from __future__ import annotations

import pytest

from marsad.numbers import Quantity, is_person_noun, quantity_at
from marsad.text import NormalizedText, tokens


def quantity(phrase: str, i: int = 0) -> Quantity | None:
    t = NormalizedText(phrase).text
    return quantity_at(t, tokens(t), i)


def value(phrase: str, i: int = 0) -> int | None:
    q = quantity(phrase, i)
    return None if q is None else q.value


@pytest.mark.parametrize("phrase, expected", [
    ("7 عناصر", 7),
    ("12 مدنيا", 12),
    ("٣ أشخاص", 3),
    ("١٤ عنصراً", 14),
    ("۲۰ شخصا", 20),
])
def test_digits(phrase: str, expected: int) -> None:
    q = quantity(phrase)
    assert (q.value, q.kind) == (expected, "digits")


@pytest.mark.parametrize("phrase, expected", [
    ("واحد", 1), ("اثنان", 2), ("اثنين", 2), ("ثلاثة", 3), ("أربعة", 4), ("خمسة", 5),
    ("ستة", 6), ("سبعة", 7), ("ثمانية", 8), ("تسعة", 9), ("عشرة", 10),
    ("أحد عشر", 11), ("إحدى عشرة", 11), ("اثنا عشر", 12), ("ثلاثة عشر", 13),
    ("أربعة عشر", 14), ("خمسة عشر", 15),
    ("ثلاث", 3), ("خمس", 5), ("عشرين", 20),
])
def test_number_words(phrase: str, expected: int) -> None:
    q = quantity(phrase + " عنصرا")
    assert (q.value, q.kind) == (expected, "cardinal")


def test_compound_number_covers_both_words() -> None:
    t = NormalizedText("مقتل أحد عشر عنصرا").text
    toks = tokens(t)
    q = quantity_at(t, toks, 1)
    assert q.value == 11
    assert t[q.start:q.end] == "احد عشر"


def test_ahad_alone_is_one() -> None:
    assert value("أحد العناصر") == 1
    assert value("إحدى النساء") == 1


def test_sunday_is_not_one() -> None:
    # الأحد with the article is the day, not the number.
    assert value("الأحد") is None
    assert value("يوم الأحد", 1) is None


def test_thousands_separator() -> None:
    q = quantity("1,200 شخص")
    assert q.value == 1200
    t = NormalizedText("1,200 شخص").text
    assert t[q.start:q.end] == "1,200"


@pytest.mark.parametrize("phrase", ["وخمسة", "بخمسة", "لخمسة"])
def test_number_words_with_clitics(phrase: str) -> None:
    assert value(phrase) == 5


def test_number_written_with_diacritics() -> None:
    assert value("ثَلاثَةُ أشخاص") == 3


@pytest.mark.parametrize("word", ["عنصرين", "عنصران", "قتيلان", "قتيلين", "شخصين", "طفلان", "جنديين", "امرأتين"])
def test_dual_nouns_count_two(word: str) -> None:
    q = quantity(word)
    assert (q.value, q.kind) == (2, "dual")


def test_dual_with_article_and_clitic() -> None:
    assert value("والطفلين") == 2


@pytest.mark.parametrize("phrase, expected", [
    ("عدد من المدنيين", 3),
    ("عددا من العناصر", 3),
    ("عدة أشخاص", 3),
    ("بضعة عناصر", 3),
    ("عشرات المدنيين", 12),
    ("العشرات", 12),
    ("مئات", 120),
])
def test_vague_quantities_follow_the_spec(phrase: str, expected: int) -> None:
    q = quantity(phrase)
    assert (q.value, q.kind) == (expected, "vague")


def test_vague_phrase_covers_both_words() -> None:
    t = NormalizedText("عدد من العناصر").text
    q = quantity_at(t, tokens(t), 0)
    assert t[q.start:q.end] == "عدد من"


@pytest.mark.parametrize("word", ["المدنيين", "قرية", "الجيش", "من", "عناصر", "قتلى"])
def test_non_numbers(word: str) -> None:
    assert quantity(word) is None


def test_quantity_at_a_later_token() -> None:
    assert value("أسفر القصف عن مقتل ثلاثة", 4) == 3
    assert value("أسفر القصف عن مقتل ثلاثة", 3) is None


@pytest.mark.parametrize("word, kind", [
    ("عنصر", "singular"), ("عنصرا", "singular"), ("مدنيا", "singular"), ("شاب", "singular"),
    ("الطفل", "singular"), ("وطفل", "singular"),
    ("عنصرين", "dual"), ("طفلان", "dual"),
    ("عناصر", "plural"), ("المدنيين", "plural"), ("قتلى", "plural"), ("أطفال", "plural"), ("ضحايا", "plural"),
])
def test_person_nouns(word: str, kind: str) -> None:
    assert is_person_noun(NormalizedText(word).text) == kind


@pytest.mark.parametrize("word", ["سيارة", "منزل", "القرية", "قصف"])
def test_not_person_nouns(word: str) -> None:
    assert is_person_noun(NormalizedText(word).text) is None


@pytest.mark.parametrize("phrase, expected", [
    ("ثلاث عشرة امرأة", 13),
    ("اثنتا عشرة غارة", 12),
    ("أربع عشرة امرأة", 14),
    ("ستة عشر عنصرا", 16),
    ("تسع عشرة غارة", 19),
])
def test_feminine_and_teen_compounds(phrase: str, expected: int) -> None:
    assert value(phrase) == expected
