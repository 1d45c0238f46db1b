"""Refusals in the reader's language.

The services say why they refuse in English (``FieldProblem.message``, ``str(Conflict)``), each
text marked with ``N_`` where it is written. A page shows it through :func:`refusal_words`: a
fixed text is looked up in the catalog; a text with values in it ("cancelling less than 24 h
before…") is matched against its template, and the template's translation is filled with the
same values. A text neither way knows is shown as it is.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from sciatica_care import i18n
from sciatica_care.i18n import N_, translator
from sciatica_care.services import booking, booking_actions, series, slots, waitlist
from sciatica_care.web.pages.slot_words import when_words

#: The booking pages' own refusals (the web reads these fields itself).
CHOOSE_LENGTH = N_("choose one of {lengths} minutes")
GIVE_A_DAY = N_("give a date such as 2026-06-03")
CHOOSE_A_TIME = N_("choose one of the free times")
RELOAD = N_("reload the page and try again")
WHOLE_NUMBER = N_("enter a whole number")

#: Every refusal with values in it, as written in the code (``{name}`` marks a value).
TEMPLATES: tuple[str, ...] = (
    booking_actions.POLICY,
    booking.BETWEEN,
    slots.ONE_OF_LENGTHS,
    series.WORDS["count"],
    series.WORDS["every_weeks"],
    series.WORDS["leave_out"],
    series.WORDS["taken"],
    waitlist.WORDS["length"],
    CHOOSE_LENGTH,
)
#: Values that are themselves refusals (said in the reader's language too).
SAID_AGAIN = frozenset({"why"})
#: A time as the services write it in a refusal: "Tue 3 Jun 2026, 09:00 (Europe/London)".
_SAID_WHEN = re.compile(r"\w{3} (\d{1,2} \w{3} \d{4}, \d\d:\d\d) \(([^()]+)\)\Z")


def _when_again(value: str, language: str) -> str:
    """A time written by the services (series.say_when) as ``language`` writes it, the zone
    still named; the value as it is when it is not such a time."""
    found = _SAID_WHEN.match(value)
    if found is None:
        return value
    try:
        local = datetime.strptime(found.group(1), "%d %b %Y, %H:%M")
    except ValueError:
        return value
    return f"{when_words(local, language, year=True)} ({found.group(2)})"


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for template in TEMPLATES:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(
            f"(?P<{part}>.+?)" if odd else re.escape(part)
            for odd, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
        )
        found.append((template, re.compile(regex + r"\Z", re.DOTALL)))
    return found


def refusal_words(message: str, language: str) -> str:
    """``message`` (a refusal of a service or a page, in English) in ``language``."""
    if language == i18n.DEFAULT_LANGUAGE or not message:
        return message
    _ = translator(language)
    said = _(message)
    if said != message:
        return said
    for template, pattern in _patterns():
        found = pattern.match(message)
        if found is None:
            continue
        values = {
            name: refusal_words(value, language)
            if name in SAID_AGAIN
            else _when_again(value, language)
            if name == "when"
            else value
            for name, value in found.groupdict().items()
        }
        return _(template).format(**values)
    return message


def sentence(message: str, language: str) -> str:
    """A refusal as a sentence on its own: translated, its first letter a capital, and a full
    stop at its end ("This therapist does not take bookings online.")."""
    said = refusal_words(message, language)
    if not said:
        return said
    said = said[0].upper() + said[1:]
    return said if said.endswith((".", "!", "?", "。")) else f"{said}."
