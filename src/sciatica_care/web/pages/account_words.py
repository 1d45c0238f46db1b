"""The account services' refusals in the reader's language.

The services (accounts, passwords, erase, reminders) word their refusals in English for the API;
the pages show them in the page's language. Each refusal is matched here, whole, and given as a
whole sentence of the catalog (numbers and choices passed in), never glued from fragments.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sciatica_care.i18n import N_
from sciatica_care.services.errors import FieldProblem

Translate = Callable[[str], str]

#: Refusals with something in them (a number, a phrase): the pattern, and its sentence.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"must be at least (?P<n>\d+) characters"),
        N_("must be at least %(n)s characters"),
    ),
    (re.compile(r"must be at most (?P<n>\d+) characters"), N_("must be at most %(n)s characters")),
    (
        re.compile(r"must be at most (?P<n>\d+) plain characters"),
        N_("must be at most %(n)s plain characters"),
    ),
    (re.compile(r"must be one of: .*"), N_("choose one of the languages in the list")),
    (
        re.compile(r"choose no reminders, or (?P<choices>[\d, ]+) hours"),
        N_("choose no reminders, or %(choices)s hours"),
    ),
    (
        re.compile(r"too many failed sign-ins; try again in (?P<minutes>\d+) minutes"),
        N_("too many failed sign-ins; try again in %(minutes)s minutes"),
    ),
)
#: Refusals said the same way every time (marked so that ``make i18n`` finds them).
_WHOLE = (
    N_("must be an email address like name@example.org"),
    N_("must not contain control characters"),
    N_(
        "is one of the most commonly used passwords, which are tried first; "
        "choose another (a few unrelated words make a good one)"
    ),
    N_("must be an IANA time zone name such as Europe/London"),
    N_("the account no longer exists"),
    N_("is not your current password"),
    N_("is not your password"),
    N_("wrong email or password"),
)
#: The phrase typed to confirm erasing an account, in each language ("delete my account").
ERASE_PHRASES: dict[str, str] = {"en": "delete my account", "ko": "계정 삭제"}
_ERASE_REFUSAL = re.compile(r"type the words '.*' to confirm")


def erase_phrase(language: str) -> str:
    """The phrase a reader of ``language`` types to confirm erasing their account."""
    return ERASE_PHRASES.get(language, ERASE_PHRASES["en"])


def refusal_words(message: str, _: Translate, *, language: str = "en") -> str:
    """A service's refusal ``message`` in the words of the translator ``_``."""
    if _ERASE_REFUSAL.fullmatch(message):
        return _("type the words ‘%(phrase)s’ to confirm") % {"phrase": erase_phrase(language)}
    for pattern, sentence in _PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            return _(sentence) % found.groupdict()
    return _(message)


def problem_words(problem: FieldProblem, _: Translate, *, language: str = "en") -> str:
    """What is wrong with one field, in the words of ``_``."""
    return refusal_words(problem.message, _, language=language)
