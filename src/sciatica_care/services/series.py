"""Recurring sessions: from a first booking, weekly or every N weeks, as many as the plan suggests.

The person previews first: every occurrence with its local time and whether it is free, the
conflicts named before anything is made. Creating takes the therapist's schedule lock once and
reserves every chosen occurrence through :func:`schedule.reserve` in one transaction: if one of
them was taken meanwhile the whole series is refused, naming the session. Each occurrence is an
ordinary Booking (moved or cancelled alone); the series adds "cancel the rest" and, for the
therapist, "confirm all requested sessions".

New occurrences take the first booking's standing: confirmed when it was confirmed (the client
may book directly, or the therapist made it), else requested.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, BookingSeries, utcnow
from sciatica_care.domain.booking import Refusal, Slot, refusal, series_starts
from sciatica_care.domain.kb import SeriesPlan
from sciatica_care.domain.time_zones import local_time, zone
from sciatica_care.i18n import N_
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import schedule
from sciatica_care.services.access import is_record_id
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import Action, record_event
from sciatica_care.services.booking_events import BookingEvent, booking_changed
from sciatica_care.services.booking_parties import is_party, party_booking
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput, NotFound
from sciatica_care.services.schedule import lock_schedule

#: A first booking in these states can start a series.
STARTS_A_SERIES = ("requested", "confirmed")
#: Occurrences still to come in these states are cancelled by "cancel the rest".
STILL_ON = ("requested", "proposed", "confirmed")

#: What the series refuses, in words (the fields they belong to are named beside them).
WORDS = {
    "not_first": N_("this booking cannot start a series: it is no longer requested or confirmed"),
    "in_series": N_("this booking is already part of a series"),
    "count": N_("choose between 2 and {most} sessions"),
    "every_weeks": N_("choose every 1 to {most} weeks"),
    "leave_out": N_("session numbers to leave out must be between 2 and {count}"),
    "nothing": N_("every session but the first is left out: there is no series to make"),
    "taken": N_("session {number} ({when}): {why}. Preview again and leave it out"),
    "no_rest": N_("no sessions of this series are still to come"),
}


#: Why a date of a previewed series cannot be booked ("3 Jun is taken").
PREVIEW_WORDS: dict[Refusal, str] = {
    "length_not_offered": N_("the therapist no longer offers sessions of this length"),
    "too_soon": N_("too soon to book"),
    "too_far": N_("too far ahead to book yet"),
    "outside_hours": N_("outside the therapist's hours"),
    "taken": N_("already taken"),
}


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One session of a (planned) series: ``problem`` says why it cannot be booked, if so."""

    number: int
    starts_at: datetime
    ends_at: datetime
    booking_id: str | None = None
    status: str | None = None
    problem: str | None = None

    @property
    def free(self) -> bool:
        return self.problem is None


@dataclass(frozen=True, slots=True)
class SeriesPreview:
    """What a series would be: every occurrence, the first being the booking it starts from."""

    booking_id: str
    therapist_id: str
    client_id: str
    every_weeks: int
    count: int
    length_minutes: int
    time_zone: str
    occurrences: tuple[Occurrence, ...]

    @property
    def conflicts(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if not o.free)


@dataclass(frozen=True, slots=True)
class SeriesView:
    """A series as its client and therapist see it: its sessions still in the diary or done."""

    id: str
    therapist_id: str
    client_id: str
    every_weeks: int
    count: int
    length_minutes: int
    time_zone: str
    cancelled_at: datetime | None
    sessions: tuple[Occurrence, ...]

    @property
    def requested(self) -> int:
        return sum(1 for s in self.sessions if s.status == "requested")


def suggestion() -> SeriesPlan:
    """How many sessions, how often, the plan suggests (and the most one may ask for)."""
    return knowledge_base().session.series


def say_when(at: datetime, zone_name: str) -> str:
    """A time as a person reads it, in ``zone_name`` with the zone named:
    "Tue 3 Jun 2026, 09:00 (Europe/London)"."""
    local = local_time(at, zone(zone_name))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({zone_name})"


def _check_shape(every_weeks: int, count: int) -> None:
    plan, problems = suggestion(), []
    if not 2 <= count <= plan.most_sessions:
        problems.append(FieldProblem("count", WORDS["count"].format(most=plan.most_sessions)))
    if not 1 <= every_weeks <= plan.most_every_weeks:
        message = WORDS["every_weeks"].format(most=plan.most_every_weeks)
        problems.append(FieldProblem("every_weeks", message))
    if problems:
        raise InvalidInput(problems)


def _first(db: Session, *, actor: Actor, booking_id: str) -> Booking:
    first = party_booking(db, actor=actor, booking_id=booking_id)
    if first.series_id is not None:
        raise Conflict(WORDS["in_series"])
    if first.status not in STARTS_A_SERIES:
        raise Conflict(WORDS["not_first"])
    return first


def _starts(first: Booking, *, every_weeks: int, count: int) -> list[datetime]:
    where = zone(first.time_zone)
    return series_starts(first.starts_at, zone=where, every_weeks=every_weeks, count=count)


def _problems(
    db: Session, first: Booking, starts: list[datetime], *, actor: Actor, now: datetime
) -> list[str | None]:
    """Why each of ``starts`` cannot be booked (None: free), the diary read once for all."""
    span = timedelta(minutes=first.length_minutes)
    where = {"clinic_id": first.clinic_id, "therapist_id": first.therapist_id}
    row = schedule.booking_settings(db, **where)
    if row is None or not starts:
        raise Conflict(N_("this therapist does not take bookings online"))
    first_at, last_at = min(starts), max(starts) + span
    hours = schedule.weekly_hours(db, **where)
    changes = schedule.day_changes(db, **where, first=first_at, last=last_at)
    booked = schedule.booked_slots(db, **where, first=first_at, last=last_at, now=now)
    rules, where_zone = schedule.rules_of(row), zone(first.time_zone)
    reasons = [
        refusal(
            Slot(at, at + span),
            zone=where_zone,
            hours=hours,
            changes=changes,
            rules=rules,
            booked=booked,
            now=now,
            check_notice=actor.role == "client",
        )
        for at in starts
    ]
    return [None if r is None else PREVIEW_WORDS[r] for r in reasons]


def preview(
    db: Session,
    *,
    actor: Actor,
    booking_id: str,
    every_weeks: int,
    count: int,
    now: datetime | None = None,
) -> SeriesPreview:
    """Every occurrence of the series this booking would start, each with why it cannot be
    booked (if so). Changes nothing."""
    now = now or utcnow()
    _check_shape(every_weeks, count)
    first = _first(db, actor=actor, booking_id=booking_id)
    starts = _starts(first, every_weeks=every_weeks, count=count)
    span = timedelta(minutes=first.length_minutes)
    occurrences = [
        Occurrence(1, first.starts_at, first.ends_at, first.id, first.status),
        *(
            Occurrence(k, at, at + span, problem=problem)
            for k, (at, problem) in enumerate(
                zip(
                    starts[1:], _problems(db, first, starts[1:], actor=actor, now=now), strict=True
                ),
                start=2,
            )
        ),
    ]
    return SeriesPreview(
        booking_id=first.id,
        therapist_id=first.therapist_id,
        client_id=first.client_id,
        every_weeks=every_weeks,
        count=count,
        length_minutes=first.length_minutes,
        time_zone=first.time_zone,
        occurrences=tuple(occurrences),
    )


def _chosen(count: int, leave_out: Collection[int]) -> list[int]:
    wrong = [n for n in leave_out if not 2 <= n <= count]
    if wrong:
        raise InvalidInput([FieldProblem("leave_out", WORDS["leave_out"].format(count=count))])
    chosen = [n for n in range(2, count + 1) if n not in set(leave_out)]
    if not chosen:
        raise InvalidInput([FieldProblem("leave_out", WORDS["nothing"])])
    return chosen


def create(
    db: Session,
    *,
    actor: Actor,
    booking_id: str,
    every_weeks: int,
    count: int,
    leave_out: Collection[int] = (),
    now: datetime | None = None,
) -> SeriesView:
    """Make the series: the first booking plus one Booking per chosen occurrence, all or none.

    ``leave_out``: occurrence numbers (2..count) not to book, e.g. the conflicts the preview
    showed. A chosen occurrence that cannot be booked refuses the whole series (InvalidInput
    naming ``leave_out`` and the session)."""
    now = now or utcnow()
    _check_shape(every_weeks, count)
    chosen = _chosen(count, leave_out)
    first = _first(db, actor=actor, booking_id=booking_id)
    lock_schedule(db, clinic_id=first.clinic_id, therapist_id=first.therapist_id)
    db.refresh(first)
    first = _first(db, actor=actor, booking_id=booking_id)  # still free to start one?
    starts = _starts(first, every_weeks=every_weeks, count=count)
    local = local_time(first.starts_at, zone(first.time_zone))
    series = BookingSeries(
        clinic_id=first.clinic_id,
        therapist_id=first.therapist_id,
        client_id=first.client_id,
        first_starts_at=first.starts_at,
        local_time=local.time().replace(tzinfo=None),
        time_zone=first.time_zone,
        every_weeks=every_weeks,
        count=count,
        length_minutes=first.length_minutes,
        created_at=now,
    )
    db.add(series)
    db.flush()
    first.series_id = series.id
    made: list[Booking] = []
    for number in chosen:
        made.append(_reserve(db, first, series, number, starts[number - 1], actor=actor, now=now))
    for booking in made:
        event: BookingEvent = "booked" if booking.status == "confirmed" else "requested"
        booking_changed(db, booking, event=event, by=by_whom(actor), now=now)
    return audited(db, actor, series, action="create")


def audited(db: Session, actor: Actor, series: BookingSeries, *, action: Action) -> SeriesView:
    """Audit a change to the series, commit it, and show the series as it now is."""
    record_event(
        db,
        actor=actor,
        action=action,
        record_type="booking_series",
        record_id=series.id,
        subject_user_id=series.client_id,
    )
    db.commit()
    return view(db, actor=actor, series_id=series.id)


def by_whom(actor: Actor) -> Literal["client", "therapist"]:
    return "therapist" if actor.role == "therapist" else "client"


def _reserve(
    db: Session,
    first: Booking,
    series: BookingSeries,
    number: int,
    starts: datetime,
    *,
    actor: Actor,
    now: datetime,
) -> Booking:
    try:
        return schedule.reserve(
            db,
            clinic_id=first.clinic_id,
            therapist_id=first.therapist_id,
            client_id=first.client_id,
            starts_at=starts,
            length=first.length_minutes,
            status=first.status,
            created_by=by_whom(actor),
            series_id=series.id,
            now=now,
            check_notice=actor.role == "client",
        )
    except InvalidInput as refused:
        db.rollback()
        why = "; ".join(p.message for p in refused.problems)
        when = say_when(starts, actor.time_zone)
        message = WORDS["taken"].format(number=number, when=when, why=why)
        raise InvalidInput([FieldProblem("leave_out", message)]) from refused


def owned_series(db: Session, *, actor: Actor, series_id: str) -> BookingSeries:
    series = (
        db.get(BookingSeries, (actor.clinic_id, series_id)) if is_record_id(series_id) else None
    )
    if series is None or not is_party(
        actor, client_id=series.client_id, therapist_id=series.therapist_id
    ):
        raise NotFound("series")
    return series


def series_bookings(db: Session, series: BookingSeries) -> list[Booking]:
    return list(
        db.scalars(
            select(Booking)
            .where(Booking.clinic_id == series.clinic_id, Booking.series_id == series.id)
            .order_by(Booking.starts_at)
        )
    )


def _counted(bookings: list[Booking]) -> list[Booking]:
    return [b for b in bookings if b.status not in ("cancelled", "declined", "held")]


def view(db: Session, *, actor: Actor, series_id: str) -> SeriesView:
    """The series with its sessions (numbered in time order; cancelled ones left out)."""
    series = owned_series(db, actor=actor, series_id=series_id)
    sessions = tuple(
        Occurrence(n, b.starts_at, b.ends_at, b.id, b.status)
        for n, b in enumerate(_counted(series_bookings(db, series)), start=1)
    )
    return SeriesView(
        id=series.id,
        therapist_id=series.therapist_id,
        client_id=series.client_id,
        every_weeks=series.every_weeks,
        count=series.count,
        length_minutes=series.length_minutes,
        time_zone=series.time_zone,
        cancelled_at=series.cancelled_at,
        sessions=sessions,
    )


def place_in_series(db: Session, booking: Booking) -> tuple[int, int] | None:
    """ "Session 3 of 8": this booking's number among its series' sessions, and how many there
    are; None when it is not in a series (or no longer counted)."""
    if booking.series_id is None:
        return None
    series = db.get(BookingSeries, (booking.clinic_id, booking.series_id))
    if series is None:
        return None
    counted = [b.id for b in _counted(series_bookings(db, series))]
    if booking.id not in counted:
        return None
    return counted.index(booking.id) + 1, len(counted)


def series_of(db: Session, *, actor: Actor, booking_id: str) -> SeriesView | None:
    """The series a booking belongs to (for its page), or None."""
    booking = party_booking(db, actor=actor, booking_id=booking_id)
    if booking.series_id is None:
        return None
    return view(db, actor=actor, series_id=booking.series_id)
