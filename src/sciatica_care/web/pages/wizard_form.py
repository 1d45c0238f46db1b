"""From the wizard's form fields to an assessment dict, and its errors back to the fields.

The form uses the assessment's own field names where it can. A few controls need a shape of
their own: each body-map box posts ``area=REGION:SIDE``; each safety question ticked posts
``rf_ID=yes`` and each "None of these" ticked posts ``rf_none=GROUP`` (an explicit no for every
question of the group; ``rf_ID=no`` is taken too); each kind of massage had posts
``prior_had=TECHNIQUE`` and how it went ``prior_TECHNIQUE=RESPONSE``; yes/no questions post
``yes`` or ``no``. Conversion problems (a word where a number should be, a group of safety
questions left unanswered) are reported here with the field named; everything else is left to
``parse_assessment`` so that the web, the API and the CLI refuse the same things with the same
words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sciatica_care.domain.assessment import (
    Assessment,
    AssessmentError,
    FieldError,
    both_legs,
    parse_assessment,
)
from sciatica_care.domain.red_flag_groups import RED_FLAG_GROUPS
from sciatica_care.domain.vocabulary import (
    CONDITIONS,
    RED_FLAGS,
    REGIONS,
    SIDES,
    TECHNIQUES,
)
from sciatica_care.web.pages.page_fields import (
    DURATION,
    HOW_IT_WENT,
    NONE_AND_TICKED,
    NOT_ON_MAP,
    NUMBER,
    PAIN_LEVEL,
    TICK_OR_NONE,
    WHOLE_NUMBER,
    YES_OR_NO,
)
from sciatica_care.web.pages.page_fields import FIELD_NAMES as FIELD_NAMES
from sciatica_care.web.pages.page_fields import FIELD_STEPS as FIELD_STEPS
from sciatica_care.web.pages.page_fields import Answers as Answers
from sciatica_care.web.pages.page_fields import PageError as PageError
from sciatica_care.web.pages.page_fields import anchor_of as anchor_of
from sciatica_care.web.pages.page_fields import answers_of as answers_of
from sciatica_care.web.pages.page_fields import errors_by_anchor as errors_by_anchor
from sciatica_care.web.pages.page_fields import last_answer as last_answer
from sciatica_care.web.pages.page_fields import optional_whole_number as optional_whole_number
from sciatica_care.web.pages.page_fields import page_error as page_error
from sciatica_care.web.pages.page_fields import summarised as summarised

DURATION_UNITS: dict[str, float] = {"days": 1 / 7, "weeks": 1.0, "months": 52 / 12}


@dataclass(slots=True)
class WizardOutcome:
    """The validated assessment, or the errors to show next to the fields."""

    answers: Answers
    assessment: Assessment | None = None
    errors: list[PageError] = field(default_factory=list)


def _yes_no(value: str) -> bool | str:
    return {"yes": True, "no": False}.get(value, value)


def _whole_number(value: str, name: str, errors: list[FieldError]) -> int | str:
    try:
        return int(value)
    except ValueError:
        errors.append(FieldError(name, WHOLE_NUMBER % {"value": repr(value)}))
        return value


def _areas(values: list[str], errors: list[FieldError]) -> tuple[list[str], dict[str, str]]:
    """Regions in vocabulary order, and the side of each (left and right together is both)."""
    sides: dict[str, set[str]] = {}
    for value in values:
        region, _, side = value.partition(":")
        if region not in REGIONS or side not in SIDES:
            errors.append(FieldError("areas", NOT_ON_MAP % {"value": repr(value)}))
            continue
        sides.setdefault(region, set()).add(side)
    areas: list[str] = [r for r in REGIONS if r in sides]
    area_sides = {
        r: next(iter(sides[r])) if len(sides[r]) == 1 else "both" for r in areas if sides[r]
    }
    return areas, area_sides


def _duration(answers: Mapping[str, list[str]], errors: list[FieldError]) -> float | str | None:
    value = last_answer(answers, "duration")
    if not value:
        return None
    unit = DURATION_UNITS.get(last_answer(answers, "duration_unit") or "weeks")
    try:
        number = float(value)
    except ValueError:
        errors.append(FieldError("duration_weeks", NUMBER % {"value": repr(value)}))
        return value
    if unit is None or not math.isfinite(number):
        errors.append(FieldError("duration_weeks", DURATION))
        return value
    return round(number * unit, 2)


#: Questions the wizard always asks and never fills in for the person: unanswered is an error
#: naming the field (the pain levels are never taken as 0; assessment.md v2 for the yes/no).
ASKED: dict[str, str] = {
    "back_pain": PAIN_LEVEL,
    "leg_pain": PAIN_LEVEL,
    "first_episode": YES_OR_NO,
    "seen_clinician": YES_OR_NO,
}


def assessment_data(answers: Mapping[str, list[str]]) -> tuple[dict[str, Any], list[FieldError]]:
    """Build the assessment dict from the form; also return the conversion errors.

    Questions the wizard asks and the person left unanswered are errors here, not defaults.
    """
    errors: list[FieldError] = []
    data: dict[str, Any] = {}
    for name in ("age", "back_pain", "leg_pain"):
        if value := last_answer(answers, name):
            data[name] = _whole_number(value, name, errors)
    for name in ("sex", "side", "trend", "diagnosis", "pressure_preference"):
        if value := last_answer(answers, name):
            data[name] = value
    for name in ("pregnant", "first_episode", "seen_clinician"):
        if value := last_answer(answers, name):
            data[name] = _yes_no(value)
    errors += [FieldError(name, why) for name, why in ASKED.items() if name not in data]
    duration = _duration(answers, errors)
    if duration is not None:
        data["duration_weeks"] = duration
    areas, area_sides = _areas(answers.get("area", []), errors)
    data["areas"], data["area_sides"] = areas, area_sides
    for name in ("symptoms", "aggravated_by", "conditions", "goals"):
        data[name] = [v for v in answers.get(name, []) if v]
    if not data["goals"]:
        del data["goals"]  # nothing ticked: the assessment's own default applies
    data["red_flags"] = _red_flags(answers, _both_legs(data), errors)
    data["prior_response"] = _prior_response(answers, errors)
    return data, errors


BILATERAL = "bilateral_leg_symptoms"


def _red_flags(
    answers: Mapping[str, list[str]], asked_apart: bool, errors: list[FieldError]
) -> list[str]:
    """The red flags answered yes; a group with nothing ticked (not even "None") is an error.

    In a group that is answered, a question not ticked is an explicit no. When both legs are
    seen, the both-legs question is asked on its own (yes or no) and no group answers it.
    """
    none_ticked = set(answers.get("rf_none", []))
    flags: list[str] = []
    for group in RED_FLAG_GROUPS:
        given = {f: last_answer(answers, f"rf_{f}") for f in group.flags}
        for flag, answer in given.items():
            if answer not in ("", "yes", "no"):
                errors.append(FieldError(f"red_flags.{flag}", YES_OR_NO))
        apart = [f for f in group.flags if f == BILATERAL and asked_apart]
        for flag in apart:
            if given[flag] not in ("yes", "no"):
                errors.append(FieldError(f"red_flags.{flag}", YES_OR_NO))
        listed = [f for f in group.flags if f not in apart]
        ticked = [f for f in listed if given[f] == "yes"]
        if group.id in none_ticked and ticked:
            errors.append(FieldError(f"red_flags.{group.id}", NONE_AND_TICKED))
        elif group.id not in none_ticked and not ticked and any(given[f] != "no" for f in listed):
            errors.append(FieldError(f"red_flags.{group.id}", TICK_OR_NONE))
        flags += [f for f in group.flags if given[f] == "yes"]
    return [f for f in RED_FLAGS if f in flags]


def _prior_response(answers: Mapping[str, list[str]], errors: list[FieldError]) -> dict[str, str]:
    """How each massage ticked as had went (every one posted, when the form has no "had" list)."""
    had_asked = "prior_had" in answers
    had = set(answers.get("prior_had", []))
    prior: dict[str, str] = {}
    for technique in TECHNIQUES:
        response = last_answer(answers, f"prior_{technique}")
        if had_asked and technique not in had:
            continue
        if response:
            prior[technique] = response
        elif had_asked:
            errors.append(FieldError(f"prior_response.{technique}", HOW_IT_WENT))
    return prior


def read_wizard(answers: Answers) -> WizardOutcome:
    """Validate the posted wizard; the outcome holds the assessment or every error, named."""
    data, errors = assessment_data(answers)
    named = {e.field for e in errors}
    try:
        assessment = parse_assessment(data)
    except AssessmentError as exc:
        errors += [e for e in exc.errors if e.field not in named]
        assessment = None
    if errors:
        shown = sorted((page_error(e) for e in errors), key=lambda e: e.step)
        return WizardOutcome(answers, errors=shown)
    return WizardOutcome(answers, assessment=assessment)


def answers_so_far(answers: Mapping[str, list[str]]) -> dict[str, Any]:
    """The answers given so far as a partial assessment (for the triage of the answers so far).

    Unanswered questions are simply absent; a wrong answer is left for the triage to ignore.
    No condition ticked cannot be told from the conditions step not reached yet, so it counts
    as unanswered (a condition, peripheral neuropathy, may still take numb feet out of "both
    legs"; the final submit decides).
    """
    data = assessment_data(answers)[0]
    if not data.get("conditions"):
        data.pop("conditions", None)
    return data


def both_legs_seen(answers: Mapping[str, list[str]]) -> bool:
    """Whether the answers so far show symptoms in both legs (``domain.assessment.both_legs``).

    The wizard's script mirrors this to ask the both-legs question the moment it is true.
    """
    return _both_legs(answers_so_far(answers))


def _both_legs(data: Mapping[str, Any]) -> bool:
    side = data.get("side") if data.get("side") in SIDES else "left"
    probe = {
        "side": side,
        "areas": data.get("areas", []),
        "area_sides": data.get("area_sides", {}),
        "conditions": [c for c in data.get("conditions", []) if c in CONDITIONS],
    }
    try:
        return both_legs(Assessment.model_construct(**probe))
    except (TypeError, ValueError):
        return False


def answers_from_assessment(assessment: Assessment) -> Answers:
    """The form fields that reproduce an assessment (to reassess starting from the last one)."""
    a = assessment
    out: Answers = {
        "age": [str(a.age)],
        "back_pain": [str(a.back_pain)],
        "leg_pain": [str(a.leg_pain)],
        "side": [a.side],
        "duration": [f"{a.duration_weeks:g}"],
        "duration_unit": ["weeks"],
        "trend": [a.trend],
        "first_episode": ["yes" if a.first_episode else "no"],
        "seen_clinician": ["yes" if a.seen_clinician else "no"],
        "pregnant": ["yes" if a.pregnant else "no"],
        "diagnosis": [a.diagnosis],
        "symptoms": list(a.symptoms),
        "aggravated_by": list(a.aggravated_by),
        "conditions": list(a.conditions),
        "pressure_preference": [a.pressure_preference],
        "goals": list(a.goals),
        "area": [],
    }
    if a.sex:
        out["sex"] = [a.sex]
    for region in a.areas:
        side = a.area_sides.get(region, a.side)
        sides = ["left", "right"] if side == "both" else [side]
        out["area"] += [f"{region}:{s}" for s in sides]
    for flag in RED_FLAGS:
        out[f"rf_{flag}"] = ["yes" if flag in a.red_flags else "no"]
    out["rf_none"] = [g.id for g in RED_FLAG_GROUPS if not any(f in a.red_flags for f in g.flags)]
    out["prior_had"] = list(a.prior_response)
    for technique, response in a.prior_response.items():
        out[f"prior_{technique}"] = [response]
    return out
