"""A therapist's schedule as the slot maths sees it, and the one way to put a booking in it.

Every change to a therapist's diary goes through :func:`reserve` (or starts with
:func:`lock_schedule`): the first statement bumps ``booking_settings.schedule_version``, which
takes the therapist's row lock on PostgreSQL and the write lock on SQLite, so two concurrent
bookings for the same therapist are checked one after the other and can never both take a slot.
The caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from sciatica_care.db.tables import (
    AvailabilityException,
    Booking,
    BookingSettings,
    User,
    WeeklyHours,
    utcnow,
)
from sciatica_care.domain.booking import (
    BookingRules,
    DayChange,
    Hours,
    Refusal,
    Slot,
    refusal,
)
from sciatica_care.domain.time_zones import zone
from sciatica_care.i18n import N_
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput, NotFound

#: Bookings in these states take up time in the therapist's diary ("held" only until it lapses).
ACTIVE_STATUSES = ("requested", "proposed", "confirmed", "held")

#: Why a time cannot be booked, in words a person can act on (field ``starts_at``).
REFUSALS: dict[Refusal, str] = {
    "length_not_offered": N_("this therapist does not offer sessions of that length"),
    "too_soon": N_("this time is too soon to book; choose a later time"),
    "too_far": N_("this time is too far ahead to book yet"),
    "outside_hours": N_("this time is outside the therapist's hours"),
    "taken": N_("this time has just been taken; choose another"),
}


def booking_settings(db: Session, *, clinic_id: str, therapist_id: str) -> BookingSettings | None:
    """The therapist's booking rules, or None when they take no bookings yet."""
    return db.get(BookingSettings, (clinic_id, therapist_id))


def rules_of(row: BookingSettings) -> BookingRules:
    """The stored rules as the slot maths' value."""
    return BookingRules(
        session_lengths=tuple(sorted(row.session_lengths)),
        buffer_before=row.buffer_before_minutes,
        buffer_after=row.buffer_after_minutes,
        min_notice_hours=row.min_notice_hours,
        horizon_days=row.horizon_days,
        slot_step=row.slot_step_minutes,
    )


def therapist_zone_name(db: Session, *, clinic_id: str, therapist_id: str) -> str:
    """The IANA zone the therapist's hours are in (their account's zone)."""
    user = db.get(User, (clinic_id, therapist_id))
    if user is None:
        raise NotFound("therapist")
    return user.time_zone


def weekly_hours(db: Session, *, clinic_id: str, therapist_id: str) -> list[Hours]:
    rows = db.scalars(
        select(WeeklyHours).where(
            WeeklyHours.clinic_id == clinic_id, WeeklyHours.therapist_id == therapist_id
        )
    )
    return [Hours(r.weekday, r.starts, r.ends) for r in rows]


def day_changes(
    db: Session, *, clinic_id: str, therapist_id: str, first: datetime, last: datetime
) -> list[DayChange]:
    """Exceptions for the days between ``first`` and ``last`` (a day either side for zones)."""
    rows = db.scalars(
        select(AvailabilityException).where(
            AvailabilityException.clinic_id == clinic_id,
            AvailabilityException.therapist_id == therapist_id,
            AvailabilityException.day >= (first - timedelta(days=1)).date(),
            AvailabilityException.day <= (last + timedelta(days=1)).date(),
        )
    )
    return [DayChange(r.day, "off" if r.kind == "off" else "extra", r.starts, r.ends) for r in rows]


def booked_slots(
    db: Session,
    *,
    clinic_id: str,
    therapist_id: str,
    first: datetime,
    last: datetime,
    now: datetime,
    ignore: str | None = None,
) -> list[Slot]:
    """The therapist's occupied sessions overlapping ``first``..``last`` (with a day's margin
    for buffers); ``ignore`` leaves out one booking (the one being moved)."""
    query = select(Booking.starts_at, Booking.ends_at).where(
        Booking.clinic_id == clinic_id,
        Booking.therapist_id == therapist_id,
        Booking.status.in_(ACTIVE_STATUSES),
        Booking.starts_at < last + timedelta(days=1),
        Booking.ends_at > first - timedelta(days=1),
        or_(Booking.status != "held", Booking.hold_expires_at > now),
    )
    if ignore is not None:
        query = query.where(Booking.id != ignore)
    return [Slot(starts, ends) for starts, ends in db.execute(query)]


def lock_schedule(db: Session, *, clinic_id: str, therapist_id: str) -> None:
    """Take the therapist's schedule lock for the rest of the transaction (see the module
    docstring); Conflict when the therapist takes no bookings."""
    bumped = db.execute(
        update(BookingSettings)
        .where(BookingSettings.clinic_id == clinic_id, BookingSettings.therapist_id == therapist_id)
        .values(schedule_version=BookingSettings.schedule_version + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(N_("this therapist does not take bookings online"))


def why_not(
    db: Session,
    *,
    clinic_id: str,
    therapist_id: str,
    slot: Slot,
    now: datetime,
    check_notice: bool = True,
    ignore: str | None = None,
) -> Refusal | None:
    """Why ``slot`` cannot go in the therapist's diary now, or None when it can."""
    row = booking_settings(db, clinic_id=clinic_id, therapist_id=therapist_id)
    if row is None:
        raise Conflict(N_("this therapist does not take bookings online"))
    return refusal(
        slot,
        zone=zone(therapist_zone_name(db, clinic_id=clinic_id, therapist_id=therapist_id)),
        hours=weekly_hours(db, clinic_id=clinic_id, therapist_id=therapist_id),
        changes=day_changes(
            db, clinic_id=clinic_id, therapist_id=therapist_id, first=slot.starts, last=slot.ends
        ),
        rules=rules_of(row),
        booked=booked_slots(
            db,
            clinic_id=clinic_id,
            therapist_id=therapist_id,
            first=slot.starts,
            last=slot.ends,
            now=now,
            ignore=ignore,
        ),
        now=now,
        check_notice=check_notice,
    )


def reserve(
    db: Session,
    *,
    clinic_id: str,
    therapist_id: str,
    client_id: str,
    starts_at: datetime,
    length: int,
    status: str,
    created_by: str,
    series_id: str | None = None,
    now: datetime | None = None,
    check_notice: bool = True,
) -> Booking:
    """Put a booking in the therapist's diary under the schedule lock; the caller commits.

    Raises InvalidInput naming ``starts_at`` (or ``length_minutes``) when the time cannot be
    booked, with the reason in words; Conflict when the therapist takes no bookings.
    """
    now = now or utcnow()
    lock_schedule(db, clinic_id=clinic_id, therapist_id=therapist_id)
    slot = Slot(starts_at, starts_at + timedelta(minutes=length))
    reason = why_not(
        db,
        clinic_id=clinic_id,
        therapist_id=therapist_id,
        slot=slot,
        now=now,
        check_notice=check_notice,
    )
    if reason is not None:
        field = "length_minutes" if reason == "length_not_offered" else "starts_at"
        raise InvalidInput([FieldProblem(field, REFUSALS[reason])])
    booking = Booking(
        clinic_id=clinic_id,
        therapist_id=therapist_id,
        client_id=client_id,
        series_id=series_id,
        starts_at=slot.starts,
        ends_at=slot.ends,
        length_minutes=length,
        time_zone=therapist_zone_name(db, clinic_id=clinic_id, therapist_id=therapist_id),
        status=status,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    db.add(booking)
    db.flush()
    return booking
