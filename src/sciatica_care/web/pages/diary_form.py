"""From the check-in and SBI forms to the diary's input models, and their errors to the fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from sciatica_care.domain.assessment import FieldError, field_errors
from sciatica_care.domain.diary import DiaryChanges, DiaryInput
from sciatica_care.domain.outcomes import SBI_ITEMS, SbiInput
from sciatica_care.web.pages.wizard_form import PageError, last_answer, optional_whole_number

CHECKIN_NAMES: dict[str, str] = {
    "leg_pain": "Leg pain",
    "back_pain": "Back pain",
    "stretches": "Stretches",
    "massage": "Massage",
    "walk_minutes": "Minutes walked",
    "sleep_quality": "Sleep",
    "note": "Note",
    "soreness_48h": "Sore after a massage",
}


def _error(error: FieldError, names: Mapping[str, str]) -> PageError:
    head = error.field.split(".")[0]
    name = names.get(head, head.replace("_", " ").capitalize() or "Your answers")
    return PageError(error.field, f"field-{head or 'form'}", name, error.message)


def checkin_data(answers: Mapping[str, list[str]]) -> tuple[dict[str, Any], list[FieldError]]:
    """The check-in as the diary's fields (every field given: a full replacement on edit)."""
    errors: list[FieldError] = []
    data: dict[str, Any] = {
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
            errors.append(FieldError(name, "choose a number from 0 to 10"))
    return data, errors


def read_checkin(
    answers: Mapping[str, list[str]], *, changes: bool = False
) -> tuple[DiaryInput | DiaryChanges | None, list[PageError]]:
    """Validate a check-in form: the input model, or the errors with each field named."""
    data, errors = checkin_data(answers)
    model = DiaryChanges if changes else DiaryInput
    named = {e.field for e in errors}
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        errors += [e for e in field_errors(exc) if e.field not in named]
        parsed = None
    if errors:
        return None, [_error(e, CHECKIN_NAMES) for e in errors]
    return parsed, []


def read_safety(
    answers: Mapping[str, list[str]], questions: list[tuple[str, str]]
) -> tuple[dict[str, bool] | None, list[PageError]]:
    """The safety re-check form: a yes or a no for every question (``sc_<id>``), or the errors
    naming each question left unanswered."""
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
                    f"Safety question “{text}”",
                    "please answer yes or no",
                )
            )
    return (None, errors) if errors else (out, [])


def safety_summary(errors: list[PageError]) -> list[PageError]:
    """The error summary of the re-check: several unanswered questions make one line."""
    if len(errors) < 2:
        return errors
    return [
        PageError(
            "safety_check",
            errors[0].anchor,
            "Safety questions",
            f"{len(errors)} are not answered yet: please answer yes or no to each",
        )
    ]


def read_sbi(answers: Mapping[str, list[str]]) -> tuple[SbiInput | None, list[PageError]]:
    """Validate the weekly SBI form (four answers, 0-6 each)."""
    errors: list[FieldError] = []
    data = {item: optional_whole_number(answers, item, errors) for item in SBI_ITEMS}
    for item, value in data.items():
        if value is None and not any(e.field == item for e in errors):
            errors.append(FieldError(item, "please choose an answer"))
    if errors:
        return None, [_error(e, SBI_ITEMS) for e in errors]
    try:
        return SbiInput.model_validate(data), []
    except ValidationError as exc:
        return None, [_error(e, SBI_ITEMS) for e in field_errors(exc)]
