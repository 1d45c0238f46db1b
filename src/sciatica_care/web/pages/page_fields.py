"""How the pages read posted fields and name their errors: the posted form as name -> values,
the name and wizard step of each assessment field, and errors as the page shows them (each
linked to its control by an anchor, summarised at the top).

Every form page uses these (the wizard, the check-in, the notes, accounts and settings); the
wizard's own reading of its fields is in ``wizard_form.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sciatica_care.domain.assessment import FieldError
from sciatica_care.domain.red_flag_groups import GROUP_OF, GROUPS_BY_ID
from sciatica_care.domain.vocabulary import LABELS, RED_FLAGS, TECHNIQUES

Answers = dict[str, list[str]]

#: What each assessment field is called on the page (used to name it in error messages).
FIELD_NAMES: dict[str, str] = {
    "age": "Your age",
    "sex": "Sex",
    "pregnant": "Pregnancy",
    "back_pain": "Back pain",
    "leg_pain": "Leg pain",
    "side": "Which leg",
    "areas": "Where you feel it",
    "area_sides": "Where you feel it",
    "duration_weeks": "How long it has lasted",
    "trend": "How it is changing",
    "first_episode": "First time",
    "seen_clinician": "Seen a doctor or physiotherapist",
    "diagnosis": "What you were told the cause is",
    "symptoms": "What you feel",
    "aggravated_by": "What makes it worse",
    "red_flags": "Safety questions",
    "conditions": "Health conditions and medicines",
    "pressure_preference": "Pressure you like",
    "goals": "What you want from massage",
    "prior_response": "How earlier massage went",
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


def page_error(error: FieldError) -> PageError:
    """Turn a domain FieldError into an error the page can link to and name."""
    head, _, rest = error.field.partition(".")
    name = FIELD_NAMES.get(head, head.replace("_", " ").capitalize() or "Your answers")
    if head == "red_flags" and rest in RED_FLAGS:
        name = f"Safety question “{LABELS['red_flags'][rest]}”"
    if head == "red_flags" and rest in GROUPS_BY_ID:
        name = f"Safety questions “{GROUPS_BY_ID[rest].title}”"
    if head == "prior_response" and rest in TECHNIQUES:
        name = f"How {LABELS['techniques'][rest]} went"
    return PageError(error.field, anchor_of(error.field), name, error.message)


def summarised(errors: list[PageError]) -> list[PageError]:
    """The error summary: unanswered safety questions, when several, make one line."""
    unanswered = [e for e in errors if e.field.startswith("red_flags.") and "answer" in e.message]
    if len(unanswered) < 2:
        return errors
    line = PageError(
        "red_flags",
        unanswered[0].anchor,
        "Safety questions",
        f"{len(unanswered)} are not answered yet: please answer yes or no to each",
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
        errors.append(FieldError(name, f"enter a whole number (you entered {value!r})"))
        return None
