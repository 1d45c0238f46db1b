"""The languages a therapist speaks, as written on their profile ("Korean", "English", or a
code such as "ko"), known by their ISO code where Babel knows the name, so that the directory
can name them in the reader's language ("한국어", "영어") and a search for "Korean", "한국어" or
"ko" finds the same therapists. A name Babel does not know is kept as written.
"""

from __future__ import annotations

from functools import cache

from sciatica_care import i18n


@cache
def _codes_by_name() -> dict[str, str]:
    """Every language name Babel knows in the product's languages (folded) -> its code."""
    found: dict[str, str] = {}
    for language in i18n.LANGUAGES:
        for code, name in i18n.locale(language).languages.items():
            if "_" not in str(code):
                found.setdefault(str(name).casefold(), str(code))
    for code in i18n.locale(i18n.DEFAULT_LANGUAGE).languages:
        if "_" not in str(code):
            found.setdefault(str(code).casefold(), str(code))
    return found


def language_code(written: str) -> str | None:
    """The ISO code of a language written as its name (in English or a product language) or
    as its code; None when it is not a language Babel knows."""
    return _codes_by_name().get(written.strip().casefold())


def language_key(written: str) -> str:
    """What two ways of writing a language compare by: the code when known, else the text."""
    return language_code(written) or written.strip().casefold()


def language_name(written: str, language: str) -> str | None:
    """The name of a spoken language in the reader's ``language`` ("Korean" -> "한국어" in
    Korean); None when the language is not known (the page then shows it as written)."""
    code = language_code(written)
    if code is None:
        return None
    name = i18n.locale(language).languages.get(code)
    return str(name) if name else None
