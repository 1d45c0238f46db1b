"""Days and times of the booking pages as a reader of the page's language writes them: English
as the pages always wrote them ("Tue 3 Jun, 09:00"), other languages by Babel's patterns for
the language ("6월 3일 (화) 09:00" in Korean)."""

from __future__ import annotations

from datetime import date, datetime

from sciatica_care import i18n


def day_words(day: date, language: str, *, long: bool = False, year: bool = False) -> str:
    """A day as a reader of ``language`` writes it: "Tue 3 Jun" ("Tuesday 3 June" when
    ``long``, with the year when ``year``); in Korean "6월 3일 (화)" ("6월 3일 화요일")."""
    if language == i18n.DEFAULT_LANGUAGE:
        if long:
            return f"{day:%A} {day.day} {day:%B}"
        return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if year else "")
    from babel.dates import format_skeleton

    skeleton = "MMMMEEEEd" if long else "yMMMEd" if year else "MMMEd"
    return str(format_skeleton(skeleton, day, locale=i18n.locale(language)))


def when_words(local: datetime, language: str, *, year: bool) -> str:
    """A local time with its day: "Tue 3 Jun, 09:00" (the year after the month when
    ``year``); in Korean "6월 3일 (화) 09:00"."""
    if language == i18n.DEFAULT_LANGUAGE:
        return f"{day_words(local.date(), language, year=year)}, {local:%H:%M}"
    return f"{day_words(local.date(), language, year=year)} {local:%H:%M}"
