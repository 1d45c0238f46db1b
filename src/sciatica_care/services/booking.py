"""Booking a session: a client books a free slot (or asks for one), and either party reads
their bookings. What happens to a booking afterwards is in :mod:`services.booking_actions`.

A client books directly (``confirmed``) when the therapist lets new clients book or the client
already shares their record with the therapist; otherwise the booking is a request the therapist
confirms. The time goes in the diary through :func:`services.schedule.reserve` (under the
therapist's schedule lock), so two clients can never take one slot. Booking shares nothing:
consent to share is asked separately (the consent screen) and the booking works without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import AssessmentRecord, Booking, BookingSettings, User, utcnow
from sciatica_care.domain import booking_lifecycle as lifecycle
from sciatica_care.domain.booking import Slot, free_slots
from sciatica_care.domain.time_zones import zone
from sciatica_care.i18n import N_
from sciatica_care.services import schedule
from sciatica_care.services.access import (
    allows,
    consent_of,
    is_record_id,
    requester_for,
    require_booking_party,
    require_role,
)
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import record_event
from sciatica_care.services.booking_events import booking_changed
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput, NotFound

#: The years a time given to a booking may lie in (anything else is refused by name).
EARLIEST, LATEST = 1970, 9000
#: How many bookings a list returns at most.
LIST_LIMIT = 500


@dataclass(frozen=True, slots=True)
class BookingView:
    """One booking as one of its parties sees it (``viewer``), with what they may do now."""

    id: str
    therapist_id: str
    therapist_name: str
    client_id: str
    client_name: str
    starts_at: datetime
    ends_at: datetime
    length_minutes: int
    time_zone: str
    status: str
    proposed_starts_at: datetime | None
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancelled_late: bool
    inside_window: bool
    cancellation_window_hours: int
    sequence: int
    series_id: str | None
    viewer: str
    actions: tuple[str, ...]
    shared: bool
    brief_assessment_id: str | None


#: A time outside the years the diary handles (field named by the caller).
BETWEEN = N_("must be between {earliest} and {latest}")


def name_of(user: User | None) -> str:
    """How a person is named to the other party: their display name, else their email's name."""
    if user is None:
        return ""
    return user.display_name or user.email.split("@")[0]


def window_hours(db: Session, booking: Booking) -> int:
    row = schedule.booking_settings(
        db, clinic_id=booking.clinic_id, therapist_id=booking.therapist_id
    )
    return row.cancellation_window_hours if row is not None else 0


def state_of(booking: Booking) -> lifecycle.BookingState:
    return lifecycle.BookingState(
        status=booking.status,
        starts_at=booking.starts_at,
        cancelled_at=booking.cancelled_at,
        cancelled_by=booking.cancelled_by,
    )


def _brief_of(db: Session, *, actor: Actor, client_id: str) -> str | None:
    """The client's latest assessment when the therapist may read it (for the brief link)."""
    if actor.role != "therapist" or not allows(
        requester_for(db, actor=actor, client_id=client_id), "read", "assessments"
    ):
        return None
    return db.scalars(
        select(AssessmentRecord.id)
        .where(AssessmentRecord.clinic_id == actor.clinic_id, AssessmentRecord.user_id == client_id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(1)
    ).first()


def view_of(
    db: Session, booking: Booking, *, actor: Actor, party: str, now: datetime, brief: bool = True
) -> BookingView:
    """The booking as ``party`` sees it at ``now`` (``brief``: look up the brief link; lists
    leave it out)."""
    window = window_hours(db, booking)
    share = consent_of(
        db,
        clinic_id=booking.clinic_id,
        client_id=booking.client_id,
        therapist_id=booking.therapist_id,
    )
    state = state_of(booking)
    return BookingView(
        id=booking.id,
        therapist_id=booking.therapist_id,
        therapist_name=name_of(db.get(User, (booking.clinic_id, booking.therapist_id))),
        client_id=booking.client_id,
        client_name=name_of(db.get(User, (booking.clinic_id, booking.client_id))),
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        length_minutes=booking.length_minutes,
        time_zone=booking.time_zone,
        status=booking.status,
        proposed_starts_at=booking.proposed_starts_at,
        created_by=booking.created_by,
        created_at=booking.created_at,
        cancelled_at=booking.cancelled_at,
        cancelled_by=booking.cancelled_by,
        cancelled_late=lifecycle.cancelled_late(state, window_hours=window),
        inside_window=lifecycle.inside_window(booking.starts_at, now=now, window_hours=window),
        cancellation_window_hours=window,
        sequence=booking.sequence,
        series_id=booking.series_id,
        viewer=party,
        actions=lifecycle.allowed_actions(
            state,
            party="client" if party == "client" else "therapist",
            now=now,
            window_hours=window,
        ),
        shared=share is not None and share.revoked_at is None,
        brief_assessment_id=(
            _brief_of(db, actor=actor, client_id=booking.client_id) if brief else None
        ),
    )


def bookable_therapist(db: Session, *, clinic_id: str, therapist_id: str) -> User:
    """An active therapist account; NotFound for anything else (so ids reveal nothing)."""
    user = db.get(User, (clinic_id, therapist_id)) if is_record_id(therapist_id) else None
    if user is None or user.role != "therapist" or user.disabled_at is not None:
        raise NotFound("therapist")
    return user


def settings_of(db: Session, *, clinic_id: str, therapist_id: str) -> BookingSettings:
    """The therapist's booking rules; Conflict when they take no bookings online."""
    row = schedule.booking_settings(db, clinic_id=clinic_id, therapist_id=therapist_id)
    if row is None:
        raise Conflict(N_("this therapist does not take bookings online"))
    return row


def aware(value: datetime, field: str) -> datetime:
    """``value`` in UTC; InvalidInput naming ``field`` when it carries no time zone."""
    if value.tzinfo is None:
        raise InvalidInput([FieldProblem(field, N_("must include a time zone (or be UTC)"))])
    try:
        moment = value.astimezone(UTC)
    except (OverflowError, ValueError):
        moment = None
    if moment is None or not EARLIEST <= moment.year <= LATEST:
        raise InvalidInput([FieldProblem(field, BETWEEN.format(earliest=EARLIEST, latest=LATEST))])
    return moment


def open_slots(
    db: Session,
    *,
    clinic_id: str,
    therapist_id: str,
    length: int,
    first: date,
    last: date,
    now: datetime | None = None,
) -> list[Slot]:
    """The free slots of ``length`` minutes on the therapist's days ``first``..``last``."""
    now = now or utcnow()
    row = settings_of(db, clinic_id=clinic_id, therapist_id=therapist_id)
    where = zone(schedule.therapist_zone_name(db, clinic_id=clinic_id, therapist_id=therapist_id))
    span_from = datetime.combine(first, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    span_to = datetime.combine(last, datetime.min.time(), tzinfo=UTC) + timedelta(days=2)
    common = {"clinic_id": clinic_id, "therapist_id": therapist_id}
    return free_slots(
        zone=where,
        hours=schedule.weekly_hours(db, **common),
        changes=schedule.day_changes(db, **common, first=span_from, last=span_to),
        rules=schedule.rules_of(row),
        booked=schedule.booked_slots(db, **common, first=span_from, last=span_to, now=now),
        length=length,
        now=now,
        first_day=first,
        last_day=last,
    )


def book(
    db: Session,
    *,
    actor: Actor,
    therapist_id: str,
    starts_at: datetime,
    length: int,
    now: datetime | None = None,
) -> BookingView:
    """The client books ``starts_at`` (``length`` minutes) with the therapist: confirmed at once
    when the therapist lets new clients book or the client shares with them, else requested.

    Refusals: NotFound (no such therapist), Conflict (no online booking, or not taking new
    clients), InvalidInput naming ``starts_at`` or ``length_minutes`` (taken, outside hours, …).
    """
    me = require_role(actor, "client")
    now = now or utcnow()
    starts_at = aware(starts_at, "starts_at")
    bookable_therapist(db, clinic_id=me.clinic_id, therapist_id=therapist_id)
    rules = settings_of(db, clinic_id=me.clinic_id, therapist_id=therapist_id)
    share = consent_of(db, clinic_id=me.clinic_id, client_id=me.user_id, therapist_id=therapist_id)
    known = share is not None and share.revoked_at is None
    if not known and not rules.accepting_new_clients:
        raise Conflict(N_("this therapist is not taking new clients at the moment"))
    direct = known or rules.new_clients == "book"
    booking = schedule.reserve(
        db,
        clinic_id=me.clinic_id,
        therapist_id=therapist_id,
        client_id=me.user_id,
        starts_at=starts_at,
        length=length,
        status="confirmed" if direct else "requested",
        created_by="client",
        now=now,
    )
    booking_changed(db, booking, event="booked" if direct else "requested", by="client", now=now)
    record_event(
        db,
        actor=me,
        action="create",
        record_type="booking",
        record_id=booking.id,
        subject_user_id=me.user_id,
    )
    db.commit()
    return view_of(db, booking, actor=me, party="client", now=now)


def load(
    db: Session, *, actor: Actor, booking_id: str, action: str = "read"
) -> tuple[Booking, str]:
    """The booking and the actor's party in it; NotFound when missing or not theirs."""
    booking = db.get(Booking, (actor.clinic_id, booking_id)) if is_record_id(booking_id) else None
    if booking is None:
        raise NotFound("booking")
    party = require_booking_party(
        db,
        actor=actor,
        client_id=booking.client_id,
        therapist_id=booking.therapist_id,
        action="read" if action == "read" else "update",
        booking_id=booking.id,
    )
    return booking, party


def get(db: Session, *, actor: Actor, booking_id: str, now: datetime | None = None) -> BookingView:
    """One booking, for its client or its therapist."""
    booking, party = load(db, actor=actor, booking_id=booking_id)
    view = view_of(db, booking, actor=actor, party=party, now=now or utcnow())
    db.commit()
    return view


def my_bookings(
    db: Session,
    *,
    actor: Actor,
    statuses: tuple[str, ...] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
) -> list[BookingView]:
    """The caller's bookings (as client or as therapist), soonest first, optionally only
    those in ``statuses`` starting in ``since``..``until``."""
    me = require_role(actor, "client", "therapist")
    if any(s not in lifecycle.STATUSES for s in statuses):
        choices = ", ".join(lifecycle.STATUSES)
        raise InvalidInput([FieldProblem("status", f"one of {choices}")])
    mine = Booking.client_id if me.role == "client" else Booking.therapist_id
    query = select(Booking).where(Booking.clinic_id == me.clinic_id, mine == me.user_id)
    if statuses:
        query = query.where(Booking.status.in_(statuses))
    if since is not None:
        query = query.where(Booking.starts_at >= aware(since, "from"))
    if until is not None:
        query = query.where(Booking.starts_at < aware(until, "to"))
    rows = db.scalars(query.order_by(Booking.starts_at).limit(LIST_LIMIT)).all()
    record_event(db, actor=me, action="list", record_type="booking", subject_user_id=me.user_id)
    now = now or utcnow()
    views = [view_of(db, b, actor=me, party=me.role, now=now, brief=False) for b in rows]
    db.commit()
    return views
