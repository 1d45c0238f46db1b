"""The session note of a massage session: SOAP text, structured fields, and its history.

A note can be corrected freely for 24 hours after it was written; after that a change is an
amendment that needs a reason. Every change adds a revision, so the earlier text always stays
visible (a correction is marked as such, an amendment carries its reason). Times are
timezone-aware UTC datetimes passed in by the caller; nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from sciatica_care.domain.assessment import FieldError, field_errors
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.time_bounds import PastTime
from sciatica_care.domain.vocabulary import Pressure, Region, Side, TechniqueId
from sciatica_care.i18n import N_

#: How long after writing a note its author may still correct it without giving a reason.
FREE_EDIT_WINDOW = timedelta(hours=24)
#: A session time may be this far ahead of "now" (clocks on tablets drift).
CLOCK_SLACK = timedelta(minutes=5)

Reaction = Literal[
    "none",
    "soreness_next_day",
    "bruising",
    "increased_leg_symptoms",
    "numbness_or_tingling",
    "dizziness",
    "headache",
    "fatigue",
]
REACTIONS: tuple[Reaction, ...] = get_args(Reaction)
#: Each reaction in words (English; shown translated: ``_(text)``).
REACTION_LABELS: dict[str, str] = {
    "none": N_("No reaction"),
    "soreness_next_day": N_("Sore the next day"),
    "bruising": N_("Bruising"),
    "increased_leg_symptoms": N_("More leg symptoms afterwards"),
    "numbness_or_tingling": N_("Numbness or tingling afterwards"),
    "dizziness": N_("Dizziness"),
    "headache": N_("Headache"),
    "fatigue": N_("Tiredness"),
}
RevisionKind = Literal["original", "correction", "amendment"]

PainScore = Annotated[int, Field(ge=0, le=10)]
# Free text: long enough for a real note, short enough to stay a note. No NUL characters
# (PostgreSQL refuses them in text columns).
SoapText = Annotated[str, StringConstraints(max_length=4000, pattern=r"^[^\x00]*$")]
ShortText = Annotated[str, StringConstraints(max_length=1000, pattern=r"^[^\x00]*$")]
StretchId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class AreaWorked(BaseModel):
    """One body region worked on, with the side when it matters."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    region: Region
    side: Side | None = None


class SessionNoteInput(BaseModel):
    """The fields of a session note, as the therapist enters them. Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    session_at: PastTime | None = Field(
        default=None,
        strict=False,
        description="when the session took place (from 1900 to now); default now",
    )
    subjective: SoapText = Field(default="", description="S: what the client reports")
    objective: SoapText = Field(default="", description="O: what the therapist found")
    assessment: SoapText = Field(default="", description="A: the therapist's impression")
    plan: SoapText = Field(default="", description="P: what next")
    techniques: list[TechniqueId] = Field(default_factory=list, max_length=5)
    areas_worked: list[AreaWorked] = Field(default_factory=list, max_length=15)
    pressure: Pressure
    duration_minutes: int = Field(ge=1, le=240)
    leg_pain_before: PainScore
    back_pain_before: PainScore
    leg_pain_after: PainScore | None = None
    back_pain_after: PainScore | None = None
    reactions: list[Reaction] = Field(default_factory=list, max_length=len(REACTIONS))
    reactions_note: ShortText = ""
    home_care: list[StretchId] = Field(
        default_factory=list, max_length=20, description="stretch ids from the knowledge base"
    )
    home_care_note: ShortText = ""

    @field_validator("session_at")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    @field_validator("techniques", "reactions", "home_care")
    @classmethod
    def _dedupe(cls, values: list[Any]) -> list[Any]:
        return list(dict.fromkeys(values))

    @field_validator("areas_worked")
    @classmethod
    def _one_entry_per_region(cls, values: list[AreaWorked]) -> list[AreaWorked]:
        seen = [area.region for area in values]
        repeated = sorted({r for r in seen if seen.count(r) > 1})
        if repeated:
            raise ValueError(f"names {', '.join(repeated)} more than once")
        return values

    @field_validator("reactions")
    @classmethod
    def _none_stands_alone(cls, values: list[str]) -> list[str]:
        if "none" in values and len(values) > 1:
            raise ValueError(N_("'none' cannot be combined with a reaction"))
        return values

    @field_validator("home_care")
    @classmethod
    def _known_stretches(cls, values: list[str], info: ValidationInfo) -> list[str]:
        known = (info.context or {}).get("stretch_ids")
        if known is not None:
            unknown = [v for v in values if v not in known]
            if unknown:
                raise ValueError(
                    f"{', '.join(unknown)} is not a stretch of the knowledge base "
                    f"(one of {', '.join(sorted(known))})"
                )
        return values


class SessionNoteError(ValueError):
    """The note, or a change to it, is refused; ``errors`` names every field that is wrong."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class AmendmentReasonRequired(SessionNoteError):
    """A change after the 24-hour window was made without saying why."""


class NotTheAuthor(PermissionError):
    """Only the therapist who wrote a note may correct or amend it."""


@dataclass(frozen=True, slots=True)
class NoteRevision:
    """One version of a note: its fields, who changed it, when, and (for amendments) why."""

    version: int
    fields: SessionNoteInput
    changed_at: datetime
    changed_by: str
    reason: str | None
    kind: RevisionKind


NoteHistory = tuple[NoteRevision, ...]


def stretch_ids(kb: KnowledgeBase) -> frozenset[str]:
    """The ids a note may give as home-care advice: the knowledge base's stretches."""
    return kb.stretch_ids()


def _errors(exc: ValidationError) -> list[FieldError]:
    # field_errors words an unknown field for the assessment; say "session note" here.
    return [
        FieldError(e.field, "is not a field of the session note")
        if raw["type"] == "extra_forbidden"
        else e
        for e, raw in zip(field_errors(exc), exc.errors(), strict=True)
    ]


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(UTC)


def parse_session_note(data: Any, *, stretches: Collection[str] | None = None) -> SessionNoteInput:
    """Validate ``data`` (a mapping decoded from JSON or a form) into a SessionNoteInput.

    ``stretches`` (see :func:`stretch_ids`) limits home-care advice to known stretch ids.
    Raises SessionNoteError naming every wrong field; never coerces or clamps.
    """
    if not isinstance(data, Mapping):
        raise SessionNoteError([FieldError("", "the session note must be a JSON object")])
    context = {"stretch_ids": frozenset(stretches)} if stretches is not None else None
    try:
        return SessionNoteInput.model_validate(dict(data), context=context)
    except ValidationError as exc:
        raise SessionNoteError(_errors(exc)) from None


def _settle_time(fields: SessionNoteInput, now: datetime) -> SessionNoteInput:
    if fields.session_at is None:
        return fields.model_copy(update={"session_at": now})
    if fields.session_at > now + CLOCK_SLACK:
        raise SessionNoteError([FieldError("session_at", "is in the future")])
    return fields


def write_note(
    data: Any, *, by: str, now: datetime, stretches: Collection[str] | None = None
) -> NoteHistory:
    """A new note's history: version 1, written by ``by`` at ``now`` (the session time
    defaults to ``now``). Raises SessionNoteError naming every wrong field."""
    now = _aware(now, "now")
    fields = _settle_time(parse_session_note(data, stretches=stretches), now)
    return (NoteRevision(1, fields, now, by, None, "original"),)


def can_edit_freely(written_at: datetime, now: datetime) -> bool:
    """True while a note written at ``written_at`` may be corrected without a reason: up to
    and including 24 hours later."""
    return _aware(now, "now") - _aware(written_at, "written_at") <= FREE_EDIT_WINDOW


def current(history: Sequence[NoteRevision]) -> NoteRevision:
    """The latest revision of a note (what is shown by default)."""
    if not history:
        raise ValueError("a note's history has at least its first version")
    return history[-1]


def revise(
    history: Sequence[NoteRevision],
    changes: Mapping[str, Any],
    *,
    by: str,
    now: datetime,
    reason: str | None,
    stretches: Collection[str] | None = None,
) -> NoteHistory:
    """The history with one more revision: the latest fields with ``changes`` applied.

    Within 24 hours of writing, the change is a correction (a reason is optional). Later it is
    an amendment and needs a non-empty reason: AmendmentReasonRequired otherwise. Only the
    note's author may change it (NotTheAuthor). Changes that change nothing return the history
    as it was. Invalid fields raise SessionNoteError naming them.
    """
    now = _aware(now, "now")
    first, latest = history[0], current(history)
    if by != first.changed_by:
        raise NotTheAuthor("only the therapist who wrote this note may change it")
    merged = {**latest.fields.model_dump(mode="json"), **dict(changes)}
    if merged.get("session_at") is None:  # clearing the time keeps the recorded one
        merged["session_at"] = latest.fields.model_dump(mode="json")["session_at"]
    fields = _settle_time(parse_session_note(merged, stretches=stretches), now)
    if fields == latest.fields:
        return tuple(history)
    said = (reason or "").strip()
    if len(said) > 500:
        raise SessionNoteError([FieldError("reason", "must be at most 500 characters")])
    if can_edit_freely(first.changed_at, now):
        kind: RevisionKind = "correction"
    elif said:
        kind = "amendment"
    else:
        raise AmendmentReasonRequired(
            [
                FieldError(
                    "reason",
                    "is required: the note was written more than 24 hours ago, so a change "
                    "is an amendment and needs its reason",
                )
            ]
        )
    revision = NoteRevision(latest.version + 1, fields, now, by, said or None, kind)
    return (*history, revision)
