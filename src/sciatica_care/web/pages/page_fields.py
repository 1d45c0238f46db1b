"""How the pages read posted fields and name their errors: the posted form as name -> values,
the name and wizard step of each assessment field, and errors as the page shows them (each
linked to its control by an anchor, summarised at the top).

Every form page uses these (the wizard, the check-in, the notes, accounts and settings); the
wizard's own reading of its fields is in ``wizard_form.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import pass_context

from sciatica_care import i18n
from sciatica_care.domain.assessment import FieldError
from sciatica_care.domain.red_flag_groups import GROUP_OF, GROUPS_BY_ID
from sciatica_care.domain.safety_questions import QUESTION_TEXT
from sciatica_care.domain.vocabulary import LABELS, RED_FLAGS, TECHNIQUES
from sciatica_care.i18n import N_
from sciatica_care.web.language import request_language
from sciatica_care.web.templating import templates

Answers = dict[str, list[str]]

#: What each assessment field is called on the page (used to name it in error messages).
FIELD_NAMES: dict[str, str] = {
    "age": N_("Your age"),
    "sex": N_("Sex"),
    "pregnant": N_("Pregnancy"),
    "back_pain": N_("Back pain"),
    "leg_pain": N_("Leg pain"),
    "side": N_("Which leg"),
    "areas": N_("Where you feel it"),
    "area_sides": N_("Where you feel it"),
    "duration_weeks": N_("How long it has lasted"),
    "trend": N_("How it is changing"),
    "first_episode": N_("First time"),
    "seen_clinician": N_("Seen a doctor or physiotherapist"),
    "diagnosis": N_("What you were told the cause is"),
    "symptoms": N_("What you feel"),
    "aggravated_by": N_("What makes it worse"),
    "red_flags": N_("Safety questions"),
    "conditions": N_("Health conditions and medicines"),
    "pressure_preference": N_("Pressure you like"),
    "goals": N_("What you want from massage"),
    "prior_response": N_("How earlier massage went"),
}

#: Which wizard step holds each field (the script opens the step of the first error).
FIELD_STEPS: dict[str, int] = {
    "back_pain": 1,
    "leg_pain": 1,
    "side": 1,
    "areas": 2,
    "area_sides": 2,
    "age": 5,
    "sex": 5,
    "duration_weeks": 3,
    "trend": 3,
    "first_episode": 3,
    "seen_clinician": 3,
    "diagnosis": 3,
    "symptoms": 3,
    "aggravated_by": 3,
    "red_flags": 4,
    "conditions": 5,
    "pregnant": 5,
    "pressure_preference": 6,
    "goals": 6,
    "prior_response": 6,
}


@dataclass(frozen=True, slots=True)
class PageError:
    """One error as the page shows it: which control, its name, and the message."""

    field: str
    anchor: str
    name: str
    message: str

    @property
    def step(self) -> int:
        return FIELD_STEPS.get(self.field.split(".")[0], 1)


def errors_by_anchor(errors: list[PageError] | None) -> dict[str, list[PageError]]:
    """Errors by the anchor of the control they belong to (each control shows its own)."""
    by_anchor: dict[str, list[PageError]] = {}
    for e in errors or []:
        by_anchor.setdefault(e.anchor, []).append(e)
    return by_anchor


def anchor_of(field_path: str) -> str:
    """The id of the control an error links to, e.g. ``field-age`` or ``field-rf-fever``."""
    head, _, rest = field_path.partition(".")
    if head == "red_flags" and rest in GROUP_OF and GROUP_OF[rest].flags[0] == rest:
        return f"field-rf-group-{GROUP_OF[rest].id}"  # the first box of a group is the group's
    if head == "red_flags" and rest in RED_FLAGS:
        return f"field-rf-{rest}"
    if head == "red_flags" and rest in GROUPS_BY_ID:
        return f"field-rf-group-{rest}"
    if head == "prior_response" and rest in TECHNIQUES:
        return f"field-prior-{rest}"
    return f"field-{head or 'form'}"


def _field_name(head: str, rest: str, _: Callable[[str], str]) -> str | None:
    """The name of an assessment field (``head``, and ``rest`` of its dotted path) in the
    language of ``_``; None for a field that is not the assessment's."""
    if head == "red_flags" and rest in RED_FLAGS:
        return _("Safety question “%(question)s”") % {"question": _(LABELS["red_flags"][rest])}
    if head == "red_flags" and rest in GROUPS_BY_ID:
        return _("Safety questions “%(group)s”") % {"group": _(GROUPS_BY_ID[rest].title)}
    if head == "prior_response" and rest in TECHNIQUES:
        return _("How %(technique)s went") % {"technique": _(LABELS["techniques"][rest])}
    if head == "safety_check" and rest in QUESTION_TEXT:
        return _("Safety question “%(question)s”") % {"question": _(QUESTION_TEXT[rest])}
    name = FIELD_NAMES.get(head)
    return _(name) if name else None


def _english(message: str) -> str:
    return message


def page_error(error: FieldError) -> PageError:
    """Turn a domain FieldError into an error the page can link to and name (in English; the
    page shows it in its own language, ``error_words``)."""
    head, _, rest = error.field.partition(".")
    name = _field_name(head, rest, _english)
    if name is None:
        name = head.replace("_", " ").capitalize() or N_("Your answers")
    return PageError(error.field, anchor_of(error.field), name, error.message)


#: Every error message the web forms give, with its variable parts named, so that a page can
#: say it in its language. The words are made from these (``MESSAGE % {...}``), here and in
#: ``domain/assessment.py`` (whose English the API and the CLI give as they are).
REQUIRED = N_("please answer this")
WHOLE_NUMBER = N_("enter a whole number (you entered %(value)s)")
NUMBER = N_("enter a number (you entered %(value)s)")
DURATION = N_("enter a number of days, weeks or months")
NOT_ON_MAP = N_("%(value)s is not a place on the body map")
PAIN_LEVEL = N_("choose a number from 0 (no pain) to 10")
YES_OR_NO = N_("please answer yes or no")
NONE_AND_TICKED = N_("you ticked “None of these” and a question as well: untick one")
TICK_OR_NONE = N_("tick what applies, or “None of these”")
HOW_IT_WENT = N_("choose how it went, or untick it")
NOT_ANSWERED = N_("%(count)s are not answered yet: please answer yes or no to each")
MESSAGES: list[str] = [
    REQUIRED,
    WHOLE_NUMBER,
    NUMBER,
    DURATION,
    NOT_ON_MAP,
    PAIN_LEVEL,
    YES_OR_NO,
    NONE_AND_TICKED,
    TICK_OR_NONE,
    HOW_IT_WENT,
    NOT_ANSWERED,
    # domain/assessment.py (parse_assessment's messages)
    N_("is not a field of the assessment"),
    N_("please fill this in"),
    N_("must be at least %(count)s characters"),
    N_("choose at least one"),
    N_("choose at least %(count)s"),
    N_("must be one of %(expected)s (got %(value)s)"),
    N_("must be at least %(limit)s (got %(value)s)"),
    N_("must be at most %(limit)s (got %(value)s)"),
    N_("must be a finite number of weeks"),
    N_("must be a whole number (got %(value)s)"),
    N_("must be a number (got %(value)s)"),
    N_("must be true or false (got %(value)s)"),
    N_("must be text (got %(value)s)"),
    N_("must be a list (got %(value)s)"),
    N_("must be an object (got %(value)s)"),
    N_("must be a time of day such as 09:30 (got %(value)s)"),
    N_("must be a date such as 2026-12-31 (got %(value)s)"),
    N_("must be a date and time such as 2026-12-31T09:30 (got %(value)s)"),
    N_("names %(regions)s, which is not in areas; mark it there too"),
    N_("the assessment must be a JSON object"),
]


def error_messages(*messages: str) -> None:
    """Add a form's own error messages with variable parts (each marked with ``N_``), so that
    its pages say them in their language: ``error_messages(N_("at most %(count)s hours"))``.
    A message without parts needs only its ``N_``."""
    MESSAGES.extend(m for m in messages if m not in MESSAGES)
    _message_patterns.cache_clear()


@cache
def _message_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each message with parts as a pattern that finds the parts in its English words."""
    patterns = []
    for message in MESSAGES:
        pattern = re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(message))
        patterns.append((re.compile(pattern), message))
    return tuple(patterns)


def message_in(language: str, message: str) -> str:
    """An error message (in English, as the code words it) in ``language``: a message of
    ``MESSAGES`` with its parts put back, any other message marked for translation, else as
    it is. The API's terse "is required" is a request on a page."""
    if message == "is required":
        message = REQUIRED
    if language == i18n.DEFAULT_LANGUAGE:
        return message
    _ = i18n.translator(language)
    for pattern, msgid in _message_patterns():
        found = pattern.fullmatch(message)
        if found:
            return _(msgid) % found.groupdict() if found.groupdict() else _(msgid)
    return _(message)


def name_in(language: str, error: PageError) -> str:
    """The name an error gives its field, in ``language``: an assessment field's name is made
    again in that language (when the error is the one ``page_error`` makes), any other name is
    looked up in the catalog (names marked with ``N_`` where they are written)."""
    if language == i18n.DEFAULT_LANGUAGE:
        return error.name
    head, _dot, rest = error.field.partition(".")
    if error.name == _field_name(head, rest, _english):
        return _field_name(head, rest, i18n.translator(language)) or error.name
    return i18n.gettext(language, error.name)


def error_words_in(language: str, error: PageError) -> str:
    """An error as the page says it: "Your age: must be at least 12 (got 5)"."""
    return f"{name_in(language, error)}: {message_in(language, error.message)}"


@pass_context
def error_words(context: Any, error: PageError) -> str:
    """``error_words(e)`` in a template: the error in the language of the page."""
    return error_words_in(request_language(context.get("request")), error)


@pass_context
def translated(context: Any, text: str) -> str:
    """``text | translated``: a text marked with ``N_`` where it is written (a label in a table),
    in the language of the page. Unlike ``_(text)``, whose result a template takes as its own
    safe markup, the result is escaped like any other value."""
    return i18n.gettext(request_language(context.get("request")), str(text))


templates.env.globals["error_words"] = error_words
templates.env.filters["translated"] = translated


def summarised(errors: list[PageError]) -> list[PageError]:
    """The error summary: unanswered safety questions, when several, make one line."""
    unanswered = [e for e in errors if e.field.startswith("red_flags.") and "answer" in e.message]
    if len(unanswered) < 2:
        return errors
    line = PageError(
        "red_flags",
        unanswered[0].anchor,
        FIELD_NAMES["red_flags"],
        NOT_ANSWERED % {"count": len(unanswered)},
    )
    out = [e for e in errors if e not in unanswered]
    out.insert(errors.index(unanswered[0]), line)
    return out


def answers_of(form: Iterable[tuple[str, Any]]) -> Answers:
    """Collect the posted fields as name -> list of strings (files and blanks ignored)."""
    out: Answers = {}
    for name, value in form:
        if isinstance(value, str):
            out.setdefault(name, []).append(value.strip())
    return out


def last_answer(answers: Mapping[str, list[str]], name: str) -> str:
    """The last value posted for ``name`` ("" when it was not posted)."""
    return (answers.get(name) or [""])[-1]


def optional_whole_number(
    answers: Mapping[str, list[str]], name: str, errors: list[FieldError]
) -> int | None:
    """``name`` as a whole number, None when blank; a wrong value adds an error naming it."""
    value = last_answer(answers, name).strip()
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        errors.append(FieldError(name, WHOLE_NUMBER % {"value": repr(value)}))
        return None
