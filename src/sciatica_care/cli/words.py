"""The command line's refusals of an assessment file in the chosen language: each wrong field
named in words (its JSON key kept in brackets, to find it in the file) with what is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable

from sciatica_care.domain.assessment import KIND_WORDS, FieldError
from sciatica_care.i18n import N_

#: The assessment's fields as a person names them (the JSON keys are domain/assessment.py's).
FIELD_NAMES: dict[str, str] = {
    "age": N_("Age"),
    "sex": N_("Sex"),
    "pregnant": N_("Pregnant"),
    "back_pain": N_("Back pain"),
    "leg_pain": N_("Leg pain"),
    "side": N_("Which leg"),
    "areas": N_("Where it hurts"),
    "area_sides": N_("Side of each place"),
    "duration_weeks": N_("How long (weeks)"),
    "trend": N_("Getting better or worse"),
    "first_episode": N_("First episode"),
    "seen_clinician": N_("Seen a clinician"),
    "diagnosis": N_("Diagnosis"),
    "symptoms": N_("Symptoms"),
    "aggravated_by": N_("Worse with"),
    "red_flags": N_("Safety questions"),
    "conditions": N_("Conditions and medicines"),
    "pressure_preference": N_("Pressure you prefer"),
    "goals": N_("Goals"),
    "prior_response": N_("Massage before"),
}


def _message(message: str, _: Callable[[str], str]) -> str:
    fixed = {
        "is not a field of the assessment": _("is not a field of the assessment"),
        "is required": _("is required"),
        "please fill this in": _("please fill this in"),
        "choose at least one": _("choose at least one"),
        "the assessment must be a JSON object": _("the assessment must be a JSON object"),
        "must be a finite number of weeks": _("must be a finite number of weeks"),
    }
    if message in fixed:
        return fixed[message]
    if found := re.fullmatch(r"must be at least (\S+) characters", message):
        return _("must be at least %(n)s characters") % {"n": found[1]}
    if found := re.fullmatch(r"choose at least (\d+)", message):
        return _("choose at least %(n)s") % {"n": found[1]}
    if found := re.fullmatch(r"must be one of (.*) \(got (.*)\)", message):
        return _("must be one of %(choices)s (got %(got)s)") % {
            "choices": found[1],
            "got": found[2],
        }
    if found := re.fullmatch(r"must be at least (\S+) \(got (.*)\)", message):
        return _("must be at least %(n)s (got %(got)s)") % {"n": found[1], "got": found[2]}
    if found := re.fullmatch(r"must be at most (\S+) \(got (.*)\)", message):
        return _("must be at most %(n)s (got %(got)s)") % {"n": found[1], "got": found[2]}
    found = re.fullmatch(r"must be (.+?) \(got (.*)\)", message)
    if found and found[1] in KIND_WORDS.values():
        return _("must be %(kind)s (got %(got)s)") % {"kind": _(found[1]), "got": found[2]}
    return message


def describe(error: FieldError, translate: Callable[[str], str]) -> str:
    """One refused field in the chosen language: "나이 (age): 12 이상이어야 합니다 (입력값 5)"."""
    _ = translate
    message = _message(error.message, _)
    if not error.field:
        return message
    top = error.field.split(".")[0]
    name = FIELD_NAMES.get(top)
    if name is None:
        return f"{error.field}: {message}"
    return _("%(name)s (%(field)s): %(message)s") % {
        "name": _(name),
        "field": error.field,
        "message": message,
    }
