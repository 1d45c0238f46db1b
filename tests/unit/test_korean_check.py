"""The rule the Korean page check counts English by (tests/web/browser/korean.py)."""

from __future__ import annotations

from tests.web.browser.korean import latin_words


def test_english_words_are_counted() -> None:
    assert latin_words("오늘의 통증 Save your diary") == ["Save", "your", "diary"]


def test_ids_numbers_the_product_name_and_korean_abbreviations_are_not_english() -> None:
    text = "Sciatica Care 7/10 CI-PREGNANCY saddle_numbness PDF FHIR 2026-12-06 A 14:05 v2"
    assert latin_words(text) == []


def test_a_lowercase_abbreviation_or_a_word_in_capitals_still_counts() -> None:
    assert latin_words("pdf SAVE") == ["pdf", "SAVE"]
