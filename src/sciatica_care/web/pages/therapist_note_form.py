"""From the session-note form to the note's fields, and the note's errors back to the controls.

The form posts the note's own field names where it can. Areas worked are body-map toggles
(``area=REGION:SIDE``); a region ticked on both sides is one area worked on "both" sides.
The pain-after sliders always post a number, so a tick box says when pain was not asked after
the session. Conversion problems (a word where a number should be) are named here; everything
else is left to ``parse_session_note`` so the page and the API refuse the same things.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sciatica_care.domain.assessment import FieldError
from sciatica_care.domain.session_notes import (
    SessionNoteError,
    SessionNoteInput,
    parse_session_note,
)
from sciatica_care.domain.vocabulary import REGIONS
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translator
from sciatica_care.web.pages.wizard_form import (
    Answers,
    PageError,
    last_answer,
    optional_whole_number,
)

#: What each field of a note is called (to name it in an error or a change), in English:
#: the page shows it in its own language.
NOTE_FIELDS: dict[str, str] = {
    "session_at": N_("Session time"),
    "subjective": N_("Subjective"),
    "objective": N_("Objective"),
    "assessment": N_("Assessment"),
    "plan": N_("Plan"),
    "techniques": N_("Techniques used"),
    "areas_worked": N_("Areas worked"),
    "pressure": N_("Pressure"),
    "duration_minutes": N_("Duration"),
    "leg_pain_before": N_("Leg pain before"),
    "back_pain_before": N_("Back pain before"),
    "leg_pain_after": N_("Leg pain after"),
    "back_pain_after": N_("Back pain after"),
    "reactions": N_("Reactions"),
    "reactions_note": N_("Reactions, in words"),
    "home_care": N_("Home-care stretches"),
    "home_care_note": N_("Home-care advice, in words"),
    "reason": N_("Reason for the amendment"),
}
THE_NOTE = N_("The note")
TEXT_FIELDS = ("subjective", "objective", "assessment", "plan", "reactions_note", "home_care_note")
PAIN_FIELDS = ("leg_pain_before", "back_pain_before", "leg_pain_after", "back_pain_after")
AFTER_NOT_ASKED = "after_not_asked"


def areas_worked(values: Collection[str]) -> list[dict[str, str]]:
    """``REGION:SIDE`` toggles as areas worked, in vocabulary order (both sides: "both")."""
    sides: dict[str, set[str]] = {}
    for value in values:
        region, _, side = value.partition(":")
        sides.setdefault(region, set()).add(side)
    out = []
    for region in [*REGIONS, *sorted(set(sides) - set(REGIONS))]:
        if region in sides:
            both = {"left", "right"} <= sides[region] or "both" in sides[region]
            side = "both" if both else next(iter(sorted(sides[region])))
            out.append({"region": region, "side": side})
    return out


def note_data(answers: Mapping[str, list[str]]) -> tuple[dict[str, Any], list[FieldError]]:
    """The form's answers as the note's fields, and the numbers that could not be read."""
    errors: list[FieldError] = []
    data: dict[str, Any] = {name: last_answer(answers, name).strip() for name in TEXT_FIELDS}
    data["techniques"] = [v for v in answers.get("techniques", []) if v]
    data["areas_worked"] = areas_worked([v for v in answers.get("area", []) if v])
    data["reactions"] = [v for v in answers.get("reactions", []) if v]
    data["home_care"] = [v for v in answers.get("home_care", []) if v]
    pressure = last_answer(answers, "pressure")
    if pressure:
        data["pressure"] = pressure
    for name in ("duration_minutes", *PAIN_FIELDS):
        value = optional_whole_number(answers, name, errors)
        if value is not None:
            data[name] = value
    if last_answer(answers, AFTER_NOT_ASKED) == "yes":
        data["leg_pain_after"] = data["back_pain_after"] = None
    return data, errors


def field_name(field: str, language: str = DEFAULT_LANGUAGE) -> str:
    """What a note's field is called on the page, in ``language``."""
    if field in NOTE_FIELDS:
        return translator(language)(NOTE_FIELDS[field])
    return field.replace("_", " ").capitalize() or translator(language)(THE_NOTE)


def page_error(error: FieldError, language: str = DEFAULT_LANGUAGE) -> PageError:
    """Name the control of a note field's error (in ``language``); link to it by its anchor."""
    head = error.field.split(".")[0]
    anchor = "field-area" if head == "areas_worked" else f"field-{head or 'form'}"
    return PageError(error.field, anchor, field_name(head, language), error.message)


def read_note(
    answers: Mapping[str, list[str]],
    *,
    stretches: Collection[str] | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> tuple[SessionNoteInput | None, dict[str, Any], list[PageError]]:
    """Validate the note form: the note's fields (or None) with the data and named errors
    (the fields named in ``language``)."""
    data, errors = note_data(answers)
    named = {e.field for e in errors}
    try:
        note = parse_session_note(data, stretches=stretches)
    except SessionNoteError as exc:
        errors += [e for e in exc.errors if e.field.split(".")[0] not in named]
        note = None
    if errors:
        return None, data, [page_error(e, language) for e in errors]
    return note, data, []


def answers_of_note(fields: SessionNoteInput) -> Answers:
    """A stored note's fields as the form's answers, to edit it."""
    values = fields.model_dump(mode="json")
    answers: Answers = {name: [values[name] or ""] for name in TEXT_FIELDS}
    answers["techniques"] = list(values["techniques"])
    answers["reactions"] = list(values["reactions"])
    answers["home_care"] = list(values["home_care"])
    answers["pressure"] = [values["pressure"]]
    answers["duration_minutes"] = [str(values["duration_minutes"])]
    for name in PAIN_FIELDS:
        if values[name] is not None:
            answers[name] = [str(values[name])]
    if values["leg_pain_after"] is None and values["back_pain_after"] is None:
        answers[AFTER_NOT_ASKED] = ["yes"]
    area: list[str] = []
    for worked in values["areas_worked"]:
        side = worked.get("side") or "both"
        sides = ("left", "right") if side == "both" else (side,)
        area += [f"{worked['region']}:{s}" for s in sides]
    answers["area"] = area
    return answers
