"""Languages: which ones the product speaks, how a person's is chosen, and the message catalogs.

English is the source language (the text in the code and templates); Korean comes from the
catalog ``locale/ko/LC_MESSAGES/messages.mo``, made from ``messages.po`` by ``make i18n``
(pybabel extract, update and compile). Dates, times and numbers are formatted by Babel for the
language. The knowledge base has its own translations (``knowledge/data/<language>/``).
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

# Babel is imported where it is used: the CLI's cold start does not pay for it.
if TYPE_CHECKING:
    from babel import Locale

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
#: Every language a person may choose, with its name in that language (for the switch).
LANGUAGES: dict[str, str] = {"en": "English", "ko": "한국어"}


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is written (a label in a table) and translate
    it where it is shown (``_(message)`` in a template, or a translator): ``make i18n`` finds it."""
    return message


def is_language(code: str | None) -> bool:
    """Whether ``code`` is a language the product speaks."""
    return code in LANGUAGES


@cache
def translations(language: str) -> stdlib_gettext.NullTranslations:
    """The message catalog of ``language`` (English and unknown codes: the source text)."""
    from babel.support import NullTranslations, Translations

    if language == DEFAULT_LANGUAGE or not is_language(language):
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], DOMAIN)


def gettext(language: str, message: str) -> str:
    """``message`` in ``language``."""
    return translations(language).gettext(message)


def translator(language: str) -> Callable[[str], str]:
    """The gettext of ``language``, to be named ``_`` where it is used so that ``make i18n``
    finds the words: ``_ = translator(language); _("Language")``."""
    return translations(language).gettext


def pgettext(language: str, context: str, message: str) -> str:
    """``message`` in ``language`` where the same English words mean different things (the
    back of the body, a Back button): ``context`` tells them apart in the catalog."""
    return translations(language).pgettext(context, message)


def ngettext(language: str, singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message in ``language``, by its plural rules."""
    return translations(language).ngettext(singular, plural, n)


def _accepted(header: str) -> list[tuple[float, str]]:
    """The languages of an ``Accept-Language`` header with their weights, best first."""
    found: list[tuple[float, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and 0 < weight <= 1:
            found.append((weight - position * 1e-6, tag.strip()))
    return sorted(found, reverse=True)


def negotiate(accept_language: str | None) -> str:
    """The language to answer in for an ``Accept-Language`` header: the best-weighted one the
    product speaks ("ko-KR" counts as "ko"), else English."""
    for _, tag in _accepted(accept_language or ""):
        code = tag.replace("_", "-").split("-")[0].lower()
        if code == "*":
            return DEFAULT_LANGUAGE
        if is_language(code):
            return code
    return DEFAULT_LANGUAGE


@cache
def locale(language: str) -> Locale:
    """Babel's locale for ``language`` (English for an unknown code)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language if is_language(language) else DEFAULT_LANGUAGE)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)


def format_when(value: datetime | date, language: str, zone: tzinfo | None = None) -> str:
    """A date or a time as a reader of ``language`` writes it: "3 Mar 2026, 14:05" in English,
    "2026. 3. 3. 14:05" in Korean. A time is shown in ``zone`` (the caller's zone choice)."""
    from babel.dates import format_date, format_datetime

    if language == DEFAULT_LANGUAGE:
        if isinstance(value, datetime):
            local = value.astimezone(zone) if zone else value
            return f"{local.day} {local:%b %Y, %H:%M}"
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, datetime):
        local = value.astimezone(zone) if zone else value
        return format_datetime(local, "medium", locale=locale(language)).rsplit(":", 1)[0]
    return format_date(value, "medium", locale=locale(language))
