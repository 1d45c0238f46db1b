"""The therapist's availability and booking rules: weekly hours (several stretches a day),
exceptions (time off, extra hours), session lengths, buffers, notice, horizon, slot step, how new
clients book, the cancellation window, the waitlist hold, accepting new clients and the daily
agenda. All times are wall-clock in the therapist's own zone (their account's ``time_zone``).

Saving replaces the weekly hours and the exceptions from today on, under the schedule lock
(services/schedule.py), so a booking being checked at the same moment sees either the old
hours or the new ones, never half of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import (
    AvailabilityException,
    BookingSettings,
    User,
    WeeklyHours,
    utcnow,
)
from sciatica_care.domain.assessment import field_errors
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import N_
from sciatica_care.services.access import require_role
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, InvalidInput, NotFound
from sciatica_care.services.schedule import lock_schedule

SLOT_STEPS = (5, 10, 15, 20, 30, 45, 60)
Minutes = Annotated[int, Field(ge=0, le=240)]


class Stretch(BaseModel):
    """Open from ``starts`` to ``ends`` every ``weekday`` (0 = Monday), wall clock."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    weekday: int = Field(ge=0, le=6)
    starts: time
    ends: time

    @model_validator(mode="after")
    def _ends_after_start(self) -> Stretch:
        if self.ends <= self.starts:
            raise ValueError(N_("ends must be after starts"))
        return self


class DayChangeIn(BaseModel):
    """One day's change: ``off`` (the whole day without times) or ``extra`` hours."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    day: date
    kind: Literal["off", "extra"]
    starts: time | None = None
    ends: time | None = None

    @model_validator(mode="after")
    def _times_make_sense(self) -> DayChangeIn:
        if (self.starts is None) != (self.ends is None):
            raise ValueError(N_("give both starts and ends, or neither (the whole day off)"))
        if self.kind == "extra" and self.starts is None:
            raise ValueError(N_("extra hours need starts and ends"))
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValueError(N_("ends must be after starts"))
        return self


class AvailabilityInput(BaseModel):
    """Everything on the availability page. Every field is checked and named when wrong."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weekly_hours: list[Stretch] = Field(default_factory=list, max_length=42)
    exceptions: list[DayChangeIn] = Field(default_factory=list, max_length=200)
    session_lengths: list[Annotated[int, Field(ge=15, le=240, multiple_of=5)]] = Field(
        min_length=1, max_length=6
    )
    buffer_before_minutes: Minutes = 0
    buffer_after_minutes: Minutes = 15
    min_notice_hours: int = Field(default=24, ge=0, le=24 * 30)
    horizon_days: int = Field(default=60, ge=1, le=365)
    slot_step_minutes: int = 30
    new_clients: Literal["book", "request"] = "request"
    cancellation_window_hours: int = Field(default=24, ge=0, le=24 * 14)
    waitlist_hold_minutes: int = Field(default=120, ge=5, le=24 * 60 * 3)
    accepting_new_clients: bool = True
    daily_agenda: bool = True

    @field_validator("slot_step_minutes")
    @classmethod
    def _a_step_people_use(cls, value: int) -> int:
        if value not in SLOT_STEPS:
            raise ValueError(f"must be one of {', '.join(map(str, SLOT_STEPS))} minutes")
        return value


@dataclass(frozen=True, slots=True)
class Availability:
    """A therapist's availability as saved (``set_up`` False: never saved; defaults shown)."""

    settings: AvailabilityInput
    time_zone: str
    set_up: bool


def _overlaps(stretches: list[tuple[int, Stretch]]) -> list[FieldProblem]:
    problems = []
    by_day: dict[int, list[tuple[int, Stretch]]] = {}
    for index, s in stretches:
        by_day.setdefault(s.weekday, []).append((index, s))
    for day in by_day.values():
        day.sort(key=lambda pair: pair[1].starts)
        for (_, before), (index, after) in pairwise(day):
            if after.starts < before.ends:
                message = N_("overlaps another stretch of hours on the same day")
                problems.append(FieldProblem(f"weekly_hours.{index}.starts", message))
    return problems


def parse_availability(data: object, *, today: date) -> AvailabilityInput:
    """Validate the availability (a dict from JSON or the page); InvalidInput names every
    wrong field. ``today`` is the therapist's today: exceptions may not lie before it."""
    if isinstance(data, AvailabilityInput):
        checked = data
    else:
        try:
            checked = AvailabilityInput.model_validate(data)
        except ValidationError as exc:
            raise InvalidInput(
                [FieldProblem(e.field or "weekly_hours", e.message) for e in field_errors(exc)]
            ) from None
    problems = _overlaps(list(enumerate(checked.weekly_hours)))
    problems += [
        FieldProblem(f"exceptions.{i}.day", N_("is in the past"))
        for i, e in enumerate(checked.exceptions)
        if e.day < today
    ]
    if len(set(checked.session_lengths)) != len(checked.session_lengths):
        problems.append(FieldProblem("session_lengths", N_("lists a length twice")))
    if problems:
        raise InvalidInput(problems)
    return checked


def _user(db: Session, actor: Actor) -> User:
    user = db.get(User, (actor.clinic_id, actor.user_id))
    if user is None:
        raise NotFound("therapist")
    return user


def _today(user: User) -> date:
    return local_day(utcnow(), zone_named(user.time_zone))


def _stored(db: Session, actor: Actor, today: date) -> Availability | None:
    row = db.get(BookingSettings, (actor.clinic_id, actor.user_id))
    if row is None:
        return None
    ids = {"clinic_id": actor.clinic_id, "therapist_id": actor.user_id}
    hours = db.scalars(
        select(WeeklyHours).filter_by(**ids).order_by(WeeklyHours.weekday, WeeklyHours.starts)
    )
    changes = db.scalars(
        select(AvailabilityException)
        .filter_by(**ids)
        .where(AvailabilityException.day >= today)
        .order_by(AvailabilityException.day, AvailabilityException.starts)
    )
    plain = set(AvailabilityInput.model_fields) - {"weekly_hours", "exceptions"}
    fields = {name: getattr(row, name) for name in plain} | {
        "weekly_hours": [Stretch(weekday=h.weekday, starts=h.starts, ends=h.ends) for h in hours],
        "exceptions": [
            DayChangeIn(day=c.day, kind=c.kind, starts=c.starts, ends=c.ends) for c in changes
        ],
    }
    # Stored values are shown as they are (not checked again): a limit tightened later must
    # never stop a therapist from opening the page that lets them fix the value.
    return Availability(AvailabilityInput.model_construct(**fields), "", True)


def get_availability(db: Session, *, actor: Actor) -> Availability:
    """The therapist's availability (defaults, not saved, before they first set it up)."""
    require_role(actor, "therapist")
    user = _user(db, actor)
    stored = _stored(db, actor, _today(user))
    db.commit()
    if stored is None:
        defaults = AvailabilityInput(session_lengths=[60])
        return Availability(defaults, user.time_zone, False)
    return Availability(stored.settings, user.time_zone, True)


def save_availability(db: Session, *, actor: Actor, data: object) -> Availability:
    """Replace the therapist's availability; InvalidInput names each wrong field."""
    require_role(actor, "therapist")
    user = _user(db, actor)
    today = _today(user)
    checked = parse_availability(data, today=today)
    ids = {"clinic_id": actor.clinic_id, "therapist_id": actor.user_id}
    row = db.get(BookingSettings, (actor.clinic_id, actor.user_id))
    if row is None:
        row = BookingSettings(**ids, schedule_version=0)
        db.add(row)
        db.flush()
    lock_schedule(db, **ids)
    for name, value in checked.model_dump(exclude={"weekly_hours", "exceptions"}).items():
        setattr(row, name, sorted(value) if name == "session_lengths" else value)
    row.updated_at = utcnow()
    db.execute(delete(WeeklyHours).filter_by(**ids))
    db.execute(
        delete(AvailabilityException).filter_by(**ids).where(AvailabilityException.day >= today)
    )
    db.add_all(
        WeeklyHours(**ids, weekday=s.weekday, starts=s.starts, ends=s.ends)
        for s in checked.weekly_hours
    )
    db.add_all(
        AvailabilityException(**ids, day=e.day, kind=e.kind, starts=e.starts, ends=e.ends)
        for e in checked.exceptions
    )
    db.commit()
    return Availability(checked, user.time_zone, True)
