"""The assessment: what a person tells us, validated strictly against the public vocabulary.

Unknown fields, ids outside the lists, wrong types and out-of-range numbers are refused with a
message naming the field; nothing is silently dropped, coerced or clamped.
"""

# No ``from __future__ import annotations`` (as in kb.py): pydantic would evaluate each field's
# string annotation again when it makes the model classes.

import math
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from sciatica_care.domain.vocabulary import (
    FOOT_REGIONS,
    LEG_REGIONS,
    Aggravator,
    Condition,
    Diagnosis,
    Goal,
    Pressure,
    RedFlag,
    Region,
    Response,
    Sex,
    Side,
    Symptom,
    TechniqueId,
    Trend,
)
from sciatica_care.i18n import N_

PainScore = Annotated[int, Field(ge=0, le=10)]
T = TypeVar("T")


def _unique(values: list[T]) -> list[T]:
    """Keep the first of each repeated id; a repeat says nothing new, so nothing is lost."""
    return list(dict.fromkeys(values))


def _default_goals() -> list[Goal]:
    return ["pain_relief"]


# Empty defaults made by plain functions rather than ``list`` and ``dict``: pydantic reads the
# signature of every default factory, and for a built-in type that means compiling the
# tokenizer's patterns, a tenth of the command line's work after its imports.
def _no_items() -> list[Any]:
    return []


def _no_pairs() -> dict[Any, Any]:
    return {}


def _sides_in_areas(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    """A region's side names a region that is marked too."""
    areas = info.data.get("areas") or []
    stray = [region for region in value if region not in areas]
    if stray:
        raise ValueError(f"names {', '.join(stray)}, which is not in areas; mark it there too")
    return value


class Assessment(BaseModel):
    """One person's answers. Field names and ids are the contract of ``assessment.md``."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    age: int = Field(ge=12, le=110, description="years")
    sex: Sex | None = None
    pregnant: bool = False
    back_pain: PainScore = Field(description="lower-back pain now, 0-10")
    leg_pain: PainScore = Field(description="leg pain now, 0-10")
    side: Side = Field(description="which leg")
    areas: list[Region] = Field(default_factory=_no_items)
    area_sides: dict[Region, Side] = Field(
        default_factory=_no_pairs,
        description="optional side for each marked region (the web body map records one)",
    )
    duration_weeks: float = Field(ge=0, description="how long this episode has lasted, weeks")
    trend: Trend = "stable"
    first_episode: bool = True
    seen_clinician: bool = False
    diagnosis: Diagnosis = "unknown"
    symptoms: list[Symptom] = Field(default_factory=_no_items)
    aggravated_by: list[Aggravator] = Field(default_factory=_no_items)
    red_flags: list[RedFlag] = Field(default_factory=_no_items)
    conditions: list[Condition] = Field(default_factory=_no_items)
    pressure_preference: Pressure = "medium"
    goals: list[Goal] = Field(default_factory=_default_goals)
    prior_response: dict[TechniqueId, Response] = Field(default_factory=_no_pairs)

    @field_validator("duration_weeks")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number of weeks")
        return value

    @field_validator("areas", "symptoms", "aggravated_by", "red_flags", "conditions", "goals")
    @classmethod
    def _dedupe(cls, values: list[Any]) -> list[Any]:
        return _unique(values)

    _sides_belong_to_areas = field_validator("area_sides")(_sides_in_areas)


class LegAnswers(BaseModel):
    """The four answers "both legs" is made of, read from a stored assessment without the rest
    (the therapist's client list): validated as :class:`Assessment` validates them."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    side: Side
    areas: list[Region] = Field(default_factory=_no_items)
    area_sides: dict[Region, Side] = Field(default_factory=_no_pairs)
    conditions: list[Condition] = Field(default_factory=_no_items)

    _sides_belong_to_areas = field_validator("area_sides")(_sides_in_areas)


def both_legs(a: Assessment | LegAnswers) -> bool:
    """True when the person has symptoms in both legs, by any of its three sources.

    ``side`` both; or the body map records a leg region on both sides (``area_sides`` both), or
    leg regions on opposite sides (a region without a recorded side takes ``side``). The lower
    back, buttocks, hips and groin are not legs, and numb feet alone in a person with
    peripheral neuropathy (a symmetric neuropathy, not sciatica) are not "both legs"
    (triage.md v2). Triage, the therapist brief and the client list all ask this function.
    """
    if a.side == "both":
        return True
    if not a.area_sides:  # every region takes ``side``, left or right: one leg
        return False
    legs = LEG_REGIONS
    if "peripheral_neuropathy" in a.conditions:
        legs = LEG_REGIONS - FOOT_REGIONS
    sides = {a.area_sides.get(region, a.side) for region in a.areas if region in legs}
    return "both" in sides or {"left", "right"} <= sides


@dataclass(frozen=True, slots=True)
class FieldError:
    """One refused value: the dotted field path and a plain message."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class AssessmentError(ValueError):
    """The input is not a valid assessment; ``errors`` names every field that is wrong."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


#: What a value of each of pydantic's kinds is, in a person's words ("must be a whole number"),
#: marked for translation (the pages and the command line say them in the reader's language).
KIND_WORDS: dict[str, str] = {
    "int": N_("a whole number"),
    "float": N_("a number"),
    "decimal": N_("a number"),
    "bool": N_("true or false"),
    "string": N_("text"),
    "list": N_("a list"),
    "dict": N_("an object"),
    "model": N_("an object"),
    "time": N_("a time of day such as 09:30"),
    "date": N_("a date such as 2026-12-31"),
    "datetime": N_("a date and time such as 2026-12-31T09:30"),
}


def _message(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    if kind == "extra_forbidden":
        return "is not a field of the assessment"
    if kind == "missing":
        return "is required"
    if got == "" and (kind.endswith("_parsing") or kind == "string_too_short"):
        return "please fill this in"
    if kind == "string_too_short":
        return f"must be at least {ctx.get('min_length')} characters"
    if kind == "too_short":
        least = ctx.get("min_length")
        return "choose at least one" if least == 1 else f"choose at least {least}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')} (got {got!r})"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return f"must be {'at least' if 'greater' in kind else 'at most'} " + (
            f"{ctx.get('ge', ctx.get('le'))} (got {got!r})"
        )
    if kind.endswith("_type") or kind.endswith("_parsing"):
        expected = kind.removesuffix("_type").removesuffix("_parsing")
        words = KIND_WORDS.get(expected, expected.replace("_", " "))
        return f"must be {words} (got {got!r})"
    return str(error["msg"]).removeprefix("Value error, ")


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Turn pydantic's errors into field-named messages a person can act on."""
    out = []
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"] if not str(part).startswith("function"))
        # Dict keys that are not allowed come back as "[key]" locations.
        path = path.replace(".[key]", "")
        out.append(FieldError(path, _message(error)))
    return out


def parse_assessment(data: Any) -> Assessment:
    """Validate ``data`` (a mapping, as decoded from JSON) into an Assessment.

    Raises AssessmentError naming every wrong field; never coerces or clamps.
    """
    if not isinstance(data, dict):
        raise AssessmentError([FieldError("", "the assessment must be a JSON object")])
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:
        raise AssessmentError(field_errors(exc)) from None
