"""Reminders to clients and the daily agenda to therapists (run by the worker every minute),
and each person's reminder setting.

Both jobs are idempotent, also with two workers on one database: a reminder is claimed with
``UPDATE bookings SET reminder_sent_at = now WHERE … AND reminder_sent_at IS NULL RETURNING
id`` (in batches) and an
agenda with ``UPDATE booking_settings SET agenda_sent_on = today WHERE … agenda_sent_on <
today``; only the worker whose UPDATE changed the row queues the email, in the same
transaction (PostgreSQL's row lock, or SQLite's write lock, makes the second UPDATE see the
first one's value and change nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Update, or_, select, update
from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, BookingSettings, User
from sciatica_care.domain.time_zones import local_time, zone
from sciatica_care.notifications.booking_mail import queue_agenda, queue_reminder
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, InvalidInput

log = logging.getLogger(__name__)

#: Hours before a session a client may choose to be reminded (None: no reminders).
REMINDER_CHOICES: tuple[int, ...] = (2, 24, 48)
DEFAULT_REMINDER_HOURS = 24
#: The therapist's agenda goes at this hour of their own day (or at the first run after it).
AGENDA_HOUR = 7
#: Only confirmed sessions are reminded of and listed in the agenda.
REMINDED_STATUS = "confirmed"
#: Reminders claimed (and queued) in one transaction.
CLAIM_BATCH = 200


def check_reminder_hours(hours: int | None) -> list[FieldProblem]:
    """A problem naming ``reminder_hours_before`` unless ``hours`` is one of the choices (or
    None: no reminders)."""
    if hours is None or hours in REMINDER_CHOICES:
        return []
    *first, last = (str(h) for h in REMINDER_CHOICES)
    choices = f"{', '.join(first)} or {last}"
    return [FieldProblem("reminder_hours_before", f"choose no reminders, or {choices} hours")]


def set_reminder_hours(db: Session, *, actor: Actor, hours: int | None) -> Actor:
    """Change how long before a session the actor is reminded (None: never); InvalidInput
    naming ``reminder_hours_before`` for any other value."""
    if problems := check_reminder_hours(hours):
        raise InvalidInput(problems)
    user = db.get(User, (actor.clinic_id, actor.user_id))
    if user is None:
        raise InvalidInput([FieldProblem("reminder_hours_before", "the account no longer exists")])
    user.reminder_hours_before = hours
    db.commit()
    return replace(actor, reminder_hours_before=hours)


def send_due_reminders(db: Session, *, now: datetime) -> int:
    """Queue the reminder of every confirmed session whose client's reminder time has come
    (and that has not started); returns how many this call claimed. Claims and queues up to
    CLAIM_BATCH at a time, one transaction each."""
    horizon = now + timedelta(hours=max(REMINDER_CHOICES))
    candidates = db.execute(
        select(Booking.clinic_id, Booking.id, Booking.starts_at, User.reminder_hours_before)
        .join(User, (User.clinic_id == Booking.clinic_id) & (User.id == Booking.client_id))
        .where(
            Booking.status == REMINDED_STATUS,
            Booking.reminder_sent_at.is_(None),
            Booking.starts_at > now,
            Booking.starts_at <= horizon,
            User.reminder_hours_before.is_not(None),
            User.disabled_at.is_(None),
        )
        .order_by(Booking.starts_at)
    ).all()
    db.commit()  # end the read: each claim below is its own short write transaction
    due: dict[str, list[str]] = {}
    for clinic_id, booking_id, starts_at, hours in candidates:
        if hours is not None and starts_at - timedelta(hours=hours) <= now:
            due.setdefault(clinic_id, []).append(booking_id)
    sent = 0
    for clinic_id, booking_ids in due.items():
        for first in range(0, len(booking_ids), CLAIM_BATCH):
            batch = booking_ids[first : first + CLAIM_BATCH]
            for booking_id in _claim_reminders(db, clinic_id=clinic_id, ids=batch, now=now):
                booking = db.get(Booking, (clinic_id, booking_id))
                if booking is not None:
                    queue_reminder(db, booking)
                    sent += 1
            db.commit()
    if sent:
        log.info("%d reminders queued", sent)
    return sent


def _claim_reminders(
    db: Session, *, clinic_id: str, ids: list[str], now: datetime
) -> Sequence[str]:
    """Mark the reminders of ``ids`` sent; the ids this worker changed (another worker's
    claim, committed or not yet, is left to it)."""
    claimed = db.execute(
        update(Booking)
        .where(
            Booking.clinic_id == clinic_id,
            Booking.id.in_(ids),
            Booking.status == REMINDED_STATUS,
            Booking.reminder_sent_at.is_(None),
        )
        .values(reminder_sent_at=now)
        .returning(Booking.id)
        .execution_options(synchronize_session=False)
    )
    return claimed.scalars().all()


def _changed_one(db: Session, statement: Update) -> bool:
    """Run a claiming UPDATE; whether it changed the one row (else another worker has it)."""
    result = db.execute(statement.execution_options(synchronize_session=False))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def send_daily_agendas(db: Session, *, now: datetime) -> int:
    """Queue today's agenda to each therapist who wants one, once per day of THEIR zone, from
    AGENDA_HOUR local time on; a day without sessions is marked done without an email.
    Returns how many agendas were queued. Commits each one."""
    therapists = db.execute(
        select(BookingSettings.clinic_id, BookingSettings.therapist_id, User.time_zone)
        .join(
            User,
            (User.clinic_id == BookingSettings.clinic_id)
            & (User.id == BookingSettings.therapist_id),
        )
        .where(BookingSettings.daily_agenda.is_(True), User.disabled_at.is_(None))
    ).all()
    db.commit()
    queued = 0
    for clinic_id, therapist_id, zone_name in therapists:
        local_now = local_time(now, zone(zone_name))
        if local_now.hour < AGENDA_HOUR:
            continue
        today = local_now.date()
        if not _claim_agenda(db, clinic_id=clinic_id, therapist_id=therapist_id, today=today):
            db.rollback()
            continue
        therapist = db.get(User, (clinic_id, therapist_id))
        sessions = _sessions_on(
            db, clinic_id=clinic_id, therapist_id=therapist_id, day=today, zone_name=zone_name
        )
        if therapist is not None and sessions:
            queue_agenda(db, therapist=therapist, day=today, bookings=sessions)
            queued += 1
            log.info("agenda of therapist %s queued", therapist_id)
        db.commit()
    return queued


def _claim_agenda(db: Session, *, clinic_id: str, therapist_id: str, today: date) -> bool:
    return _changed_one(
        db,
        update(BookingSettings)
        .where(
            BookingSettings.clinic_id == clinic_id,
            BookingSettings.therapist_id == therapist_id,
            or_(BookingSettings.agenda_sent_on.is_(None), BookingSettings.agenda_sent_on < today),
        )
        .values(agenda_sent_on=today),
    )


def _sessions_on(
    db: Session, *, clinic_id: str, therapist_id: str, day: date, zone_name: str
) -> list[tuple[Booking, User | None]]:
    """The therapist's confirmed sessions that start on ``day`` of their zone, with clients."""
    where = zone(zone_name)
    first = datetime.combine(day, time(0), tzinfo=where).astimezone(UTC)
    last = datetime.combine(day + timedelta(days=1), time(0), tzinfo=where).astimezone(UTC)
    bookings = db.scalars(
        select(Booking)
        .where(
            Booking.clinic_id == clinic_id,
            Booking.therapist_id == therapist_id,
            Booking.status == REMINDED_STATUS,
            Booking.starts_at >= first,
            Booking.starts_at < last,
        )
        .order_by(Booking.starts_at)
    ).all()
    return [(b, db.get(User, (b.clinic_id, b.client_id))) for b in bookings]
