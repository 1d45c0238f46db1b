"""The result contract of ``clinical/assessment.md``, with the fields added compatibly.

``triage``, ``recommendations``, ``excluded`` and ``self_care`` are the contract every face
gives; the rest (targets, session, evidence, rules fired, knowledge-base version) is added.
"""

# No ``from __future__ import annotations`` here: with it every field's annotation is a string
# that pydantic evaluates again when it makes each model class, which costs the command line's
# start-up more than writing the few forward references in quotes.

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sciatica_care.domain.vocabulary import Pressure, TechniqueId, TriageLevel

#: How well an allowed technique fits (``domain/recommendation.py: FIT_RULES`` says when).
Fit = Literal["good_fit", "also_possible"]
#: The bands in words, for the faces that print them (text, brief).
FIT_WORDS: dict[str, str] = {
    "good_fit": "good fit",
    "also_possible": "also possible",
    "not_for_you_now": "not for you now",
}


def _no_reasons() -> list[str]:
    # Not ``list``: pydantic reads a default factory's signature, and a built-in's costs the
    # command line the compiling of the tokenizer's patterns (see domain/assessment.py).
    return []


class _Out(BaseModel):
    # Validators and serialisers are built on first use: the clinical core makes results with
    # ``trusted`` (no validation), so a run that prints text never builds them.
    model_config = ConfigDict(frozen=True, defer_build=True)


Out = TypeVar("Out", bound=_Out)
_new = object.__new__  # what a model's __new__ is (pydantic defines none), without looking it up
# The setters of the four slots of every pydantic model, called directly (object.__setattr__
# would look each up by name first).
_set_dict, _set_fields_set, _set_extra, _set_private = (
    BaseModel.__dict__[slot].__set__ for slot in BaseModel.__slots__
)
#: Per model, the set of all its field names: the fields set of every trusted instance.
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}


def _all_fields(model: type[BaseModel]) -> set[str]:
    """The set of all of ``model``'s field names, made once and kept (``_ALL_FIELDS``)."""
    every = _ALL_FIELDS[model] = set(model.model_fields)
    return every


def trusted(model: type[Out], fields: dict[str, Any]) -> Out:
    """An instance of ``model`` from values the clinical core itself produced, not checked again.

    What ``model_construct`` does (no validation), without its per-field alias and default
    handling, which costs more than validating. Only for values already of the field's type:
    ``fields`` names every field of the model, in order, each a fresh value or one of another
    result's own (never a list of the knowledge base itself), so the result serialises exactly as
    a validated one (tests/unit/test_result_trusted.py checks it).

    The models are frozen, so pydantic never changes an instance's set of fields set (a copy
    with changes gets its own): every trusted instance of a model shares the one set of all
    its field names instead of making its own.
    """
    out = _new(model)
    _set_dict(out, fields)
    _set_fields_set(out, _ALL_FIELDS.get(model) or _all_fields(model))
    _set_extra(out, None)
    _set_private(out, None)
    return out


def trusted_each(model: type[Out], each: list[dict[str, Any]]) -> list[Out]:
    """:func:`trusted` for each of ``each``, in one loop: a result's recommendations or
    exclusions are made together, without a call per instance."""
    every = _ALL_FIELDS.get(model) or _all_fields(model)
    made: list[Out] = []
    add = made.append
    for fields in each:
        out = _new(model)
        _set_dict(out, fields)
        _set_fields_set(out, every)
        _set_extra(out, None)
        _set_private(out, None)
        add(out)
    return made


class TriageFinding(_Out):
    """One triage rule that matched, with its reason in the person's words."""

    id: str
    level: TriageLevel
    hold: bool
    reason: str
    tell_doctor: str
    sources: list[str]


class Triage(_Out):
    level: TriageLevel
    massage_hold: bool
    headline: str
    first_action: str = Field(
        description="what to do now, first: a rule's own instruction (ambulance, surgical team, "
        "cancer team) or the level's; `advice` begins with it"
    )
    advice: str
    reasons: list[str]
    then: list[str] = Field(description="what to do next, in order (e.g. do not drive)")
    tell_doctor: list[str] = Field(description="what to say at the desk or to the doctor")
    findings: list[TriageFinding]

    @model_validator(mode="before")
    @classmethod
    def _stored_before_v2(cls, data: Any) -> Any:
        """A result stored before v2 has no ``first_action``: its headline was the first line."""
        if isinstance(data, dict) and "first_action" not in data and "headline" in data:
            return {**data, "first_action": data["headline"]}
        return data


class EvidenceSummary(_Out):
    grade: str
    summary: str
    sources: list[str]


class Recommendation(_Out):
    technique: TechniqueId
    name: str
    rank: int
    score: int
    reasons: list[str]
    precautions: list[str]
    pressure: Pressure
    session_minutes: str
    how: str
    evidence: EvidenceSummary
    fit: Fit = Field(
        default="also_possible",
        description="good_fit: clearly favoured, nothing argues against it; also_possible: "
        "allowed, but weaker or cut back by a precaution (bands are monotone with rank)",
    )
    fit_reason: str = Field(default="", description="the one plain reason shown first")
    against: list[str] = Field(
        default_factory=_no_reasons,
        description="the reasons (a subset of `reasons`) that argue against this technique",
    )


class Exclusion(_Out):
    technique: TechniqueId
    name: str
    reasons: list[str]
    fit: Literal["not_for_you_now"] = "not_for_you_now"


class Target(_Out):
    region: str
    label: str
    side: str
    muscles: list[str]
    dermatome: str | None = None
    caution: str | None = None


class SelfCareAdvice(_Out):
    id: str
    kind: str
    title: str
    text: str
    dose: str
    stop_if: str
    notes: list[str]
    sources: list[str]


class AvoidedExercise(_Out):
    id: str
    title: str
    reasons: list[str]


class SessionAdvice(_Out):
    minutes: str
    frequency: str
    review: str
    soreness: str
    sources: list[str]


class EvidenceNote(_Out):
    id: str
    text: str
    sources: list[str]


class Result(_Out):
    """What the system answers for one assessment."""

    triage: Triage
    recommendations: list[Recommendation]
    excluded: list[Exclusion]
    self_care: list[str]
    provisional: bool = Field(description="true at see_clinician without a hold")
    self_care_plan: list[SelfCareAdvice]
    exercises_to_avoid: list[AvoidedExercise]
    targets: list[Target]
    session: SessionAdvice | None
    evidence: list[EvidenceNote]
    when_to_get_help: list[str]
    rules_fired: list[str]
    knowledge_version: str
