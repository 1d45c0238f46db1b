"""From the check-in and SBI forms to the diary's input models, and their errors to the fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from pydantic import ValidationError

from sciatica_care.domain.assessment import FieldError, field_errors
from sciatica_care.domain.diary import DiaryChanges, DiaryInput
from sciatica_care.domain.outcomes import SBI_ITEMS, SbiInput
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translator
from sciatica_care.services.errors import FieldProblem, InvalidInput
from sciatica_care.web.pages.wizard_form import PageError, last_answer, optional_whole_number

CHECKIN_NAMES: dict[str, str] = {
    "recorded_at": N_("When"),
    "leg_pain": N_("Leg pain"),
    "back_pain": N_("Back pain"),
    "stretches": N_("Stretches"),
    "massage": N_("Massage"),
    "walk_minutes": N_("Minutes walked"),
    "sleep_quality": N_("Sleep"),
    "note": N_("Note"),
    "soreness_48h": N_("Sore after a massage"),
}

#: The messages of these forms (said in the reader's language where they are shown).
ENTER_DATE_TIME = N_("enter a date and a time")
CHOOSE_0_TO_10 = N_("choose a number from 0 to 10")
ANSWER_YES_NO = N_("please answer yes or no")
CHOOSE_AN_ANSWER = N_("please choose an answer")
#: The validation messages the diary's models give (``domain/assessment.py`` _message and
#: ``domain/time_bounds.py``) that these forms can show, as they are and with their numbers.
PLAIN_MESSAGES = (
    N_("is required"),
    N_("please fill this in"),
    N_("must not be in the future"),
    N_("must be from 1900 to 2999"),
    N_("choose at least one"),
)
_NUMBERED: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^must be at most (?P<limit>\S+) \(got (?P<got>.*)\)$"),
        N_("must be at most %(limit)s (got %(got)s)"),
    ),
    (
        re.compile(r"^must be at least (?P<limit>\S+) \(got (?P<got>.*)\)$"),
        N_("must be at least %(limit)s (got %(got)s)"),
    ),
    (
        re.compile(r"^enter a whole number \(you entered (?P<got>.*)\)$"),
        N_("enter a whole number (you entered %(got)s)"),
    ),
    (
        re.compile(r"^String should have at most (?P<limit>\d+) characters?$"),
        N_("must be at most %(limit)s characters"),
    ),
)


def say(message: str, language: str) -> str:
    """A form's error message in ``language``: a known message with its numbers kept, else the
    catalog's words for it (the English when there are none)."""
    _ = translator(language)
    for pattern, words in _NUMBERED:
        found = pattern.match(message)
        if found:
            return _(words) % found.groupdict()
    return _(message)


def _error(
    error: FieldError, names: Mapping[str, str], language: str = DEFAULT_LANGUAGE
) -> PageError:
    _ = translator(language)
    head = error.field.split(".")[0]
    name = _(names[head]) if head in names else head.replace("_", " ").capitalize()
    return PageError(
        error.field,
        f"field-{head or 'form'}",
        name or _("Your answers"),
        say(error.message, language),
    )


def recorded_at(
    answers: Mapping[str, list[str]], zone: tzinfo, errors: list[FieldError]
) -> datetime | None:
    """The check-in's "when" (a ``datetime-local`` value in the person's zone) as an aware time;
    None when it was left as the form showed it (now for a new check-in, unchanged on edit) or
    not sent (the quick log). The diary's own rules then refuse a time in the future."""
    value = last_answer(answers, "recorded_at").strip()
    if value == "" or value == last_answer(answers, "recorded_at_shown").strip():
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        errors.append(FieldError("recorded_at", ENTER_DATE_TIME))
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    return at


def checkin_data(
    answers: Mapping[str, list[str]], zone: tzinfo = UTC
) -> tuple[dict[str, Any], list[FieldError]]:
    """The check-in as the diary's fields (every field given: a full replacement on edit)."""
    errors: list[FieldError] = []
    data: dict[str, Any] = {
        "recorded_at": recorded_at(answers, zone, errors),
        "leg_pain": optional_whole_number(answers, "leg_pain", errors),
        "back_pain": optional_whole_number(answers, "back_pain", errors),
        "stretches": [v for v in answers.get("stretches", []) if v],
        "massage": [v for v in answers.get("massage", []) if v],
        "heat": "yes" in answers.get("heat", []),
        "cold": "yes" in answers.get("cold", []),
        "medicine": "yes" in answers.get("medicine", []),
        "walk_minutes": optional_whole_number(answers, "walk_minutes", errors),
        "sleep_quality": optional_whole_number(answers, "sleep_quality", errors),
        "note": last_answer(answers, "note"),
        "soreness_48h": "yes" in answers.get("soreness_48h", []),
    }
    for name in ("leg_pain", "back_pain"):
        # Never a silent 0: an unset pain level is refused, naming the field.
        if data[name] is None and not any(e.field == name for e in errors):
            errors.append(FieldError(name, CHOOSE_0_TO_10))
    return data, errors


def read_checkin(
    answers: Mapping[str, list[str]],
    *,
    changes: bool = False,
    zone: tzinfo = UTC,
    language: str = DEFAULT_LANGUAGE,
) -> tuple[DiaryInput | DiaryChanges | None, list[PageError]]:
    """Validate a check-in form: the input model, or the errors with each field named (in
    ``language``). Times without a zone are in ``zone``, the person's own."""
    data, errors = checkin_data(answers, zone)
    if data["recorded_at"] is None:
        del data["recorded_at"]  # now for a new check-in; unchanged on an edit
    model = DiaryChanges if changes else DiaryInput
    named = {e.field for e in errors}
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        errors += [e for e in field_errors(exc) if e.field not in named]
        parsed = None
    if errors:
        return None, [_error(e, CHECKIN_NAMES, language) for e in errors]
    return parsed, []


def read_safety(
    answers: Mapping[str, list[str]],
    questions: list[tuple[str, str]],
    language: str = DEFAULT_LANGUAGE,
) -> tuple[dict[str, bool] | None, list[PageError]]:
    """The safety re-check form: a yes or a no for every question (``sc_<id>``), or the errors
    naming each question left unanswered (in ``language``)."""
    _ = translator(language)
    out: dict[str, bool] = {}
    errors: list[PageError] = []
    for question, text in questions:
        answer = last_answer(answers, f"sc_{question}")
        if answer in ("yes", "no"):
            out[question] = answer == "yes"
        else:
            errors.append(
                PageError(
                    f"safety_check.{question}",
                    f"field-sc-{question}",
                    _("Safety question “%(question)s”") % {"question": _(text)},
                    _(ANSWER_YES_NO),
                )
            )
    return (None, errors) if errors else (out, [])


def safety_summary(errors: list[PageError], language: str = DEFAULT_LANGUAGE) -> list[PageError]:
    """The error summary of the re-check: several unanswered questions make one line."""
    if len(errors) < 2:
        return errors
    _ = translator(language)
    return [
        PageError(
            "safety_check",
            errors[0].anchor,
            _("Safety questions"),
            _("%(count)s are not answered yet: please answer yes or no to each")
            % {"count": len(errors)},
        )
    ]


def read_sbi(
    answers: Mapping[str, list[str]], language: str = DEFAULT_LANGUAGE
) -> tuple[SbiInput | None, list[PageError]]:
    """Validate the weekly SBI form (four answers, 0-6 each); errors in ``language``."""
    errors: list[FieldError] = []
    data = {item: optional_whole_number(answers, item, errors) for item in SBI_ITEMS}
    for item, value in data.items():
        if value is None and not any(e.field == item for e in errors):
            errors.append(FieldError(item, CHOOSE_AN_ANSWER))
    if errors:
        return None, [_error(e, SBI_ITEMS, language) for e in errors]
    try:
        return SbiInput.model_validate(data), []
    except ValidationError as exc:
        return None, [_error(e, SBI_ITEMS, language) for e in field_errors(exc)]


def whole_number_query(
    value: str | None, name: str, *, default: int, language: str = DEFAULT_LANGUAGE
) -> int:
    """A page number in the address (``?page=2``): a whole number from 1, else refused naming
    it (``name``, already in ``language``, and the message in ``language``); ``default`` when
    it is not given."""
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < 1 or len(value) > 9:
        _ = translator(language)
        raise InvalidInput([FieldProblem(name, _("must be a whole number from 1"))])
    return int(value)
