"""How a therapist reads a client's record: the brief's headings, the trend verdicts and
follow-up reasons worded for the therapist ("The client's leg pain ..."), days as headings,
and the note on clinical text translated and not yet reviewed; each in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import pass_context

from sciatica_care.domain.follow_up import FollowUp
from sciatica_care.i18n import DEFAULT_LANGUAGE, translator
from sciatica_care.i18n import locale as babel_locale
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.tracking_words import change_words, follow_up_reason_words
from sciatica_care.web.templating import templates


def heading_in(heading: str, language: str) -> str:
    """A section heading of the brief (an English id) in ``language``."""
    return translator(language)(heading)


def review_note(language: str) -> str:
    """Where Korean clinical text is shown: it is translated and not yet reviewed."""
    if language == DEFAULT_LANGUAGE or not knowledge_base(language).translation_review:
        return ""
    _ = translator(language)
    return _(
        "The clinical text on this page was translated into Korean and has not yet been "
        "reviewed by a Korean clinician."
    )


@pass_context
def follow_up_for_therapist(context: Any, reading: FollowUp | None) -> list[str]:
    """The follow-up reasons, written to the client ("Your leg pain ..."), as the therapist
    reads them ("The client's leg pain ..."); in another language, as the tracking pages say
    them (their words name no one)."""
    return reasons_for_therapist(reading, request_language(context.get("request")))


def reasons_for_therapist(reading: FollowUp | None, language: str) -> list[str]:
    """:func:`follow_up_for_therapist` in ``language``."""
    if reading is None:
        return []
    if language == DEFAULT_LANGUAGE:
        return [r.replace("Your ", "The client's ") for r in reading.reasons]
    return follow_up_reason_words(reading, language)


@pass_context
def trend_for_therapist(context: Any, change: Any) -> str:
    """A trend verdict written to the client ("... since you started") as the therapist reads
    it ("... since the first record"), capitalised; in another language, as the tracking pages
    say it."""
    language = request_language(context.get("request"))
    if language == DEFAULT_LANGUAGE:
        verdict = str(change.verdict)
        return verdict.replace("since you started", "since the first record").capitalize()
    return change_words(change, language)


@pass_context
def long_day(context: Any, day: date) -> str:
    """A day as a heading: "Monday 3 March 2026", "2026년 3월 3일 월요일"."""
    language = request_language(context.get("request"))
    if language == DEFAULT_LANGUAGE:
        return f"{day:%A} {day.day} {day:%B %Y}"
    from babel.dates import format_date

    return format_date(day, "full", locale=babel_locale(language))


templates.env.filters["follow_up_for_therapist"] = follow_up_for_therapist
templates.env.filters["trend_for_therapist"] = trend_for_therapist
templates.env.filters["long_day"] = long_day
