"""Test helpers for bookings: a therapist's diary open every day (there is no availability page
in this branch yet, so the rows are made directly), a time a session can be booked at, and
moving a booking into the past (sessions that have started)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, Booking, BookingSettings, WeeklyHours, utcnow


def open_diary(db: Session, therapist_id: str, **rules: Any) -> None:
    """Booking rules for the therapist (no notice, 30/60-minute sessions, 15 minutes after;
    ``rules`` override) and hours 00:00-23:30 every day in their zone."""
    values: dict[str, Any] = {
        "session_lengths": [30, 60],
        "min_notice_hours": 0,
        "buffer_after_minutes": 15,
        "new_clients": "book",
        "cancellation_window_hours": 24,
    }
    values.update(rules)
    db.add(BookingSettings(clinic_id=DEFAULT_CLINIC_ID, therapist_id=therapist_id, **values))
    db.add_all(
        WeeklyHours(
            clinic_id=DEFAULT_CLINIC_ID,
            therapist_id=therapist_id,
            weekday=d,
            starts=time(0),
            ends=time(23, 30),
        )
        for d in range(7)
    )
    db.commit()


def open_diary_in(database: Database, therapist_id: str, **rules: Any) -> None:
    with database.session() as db:
        open_diary(db, therapist_id, **rules)


def slot_in(hours: float, *, now: datetime | None = None) -> datetime:
    """A bookable start about ``hours`` from now (UTC, on the half-hour grid, and early enough
    in its day that an hour-long session ends before 23:30)."""
    moment = (now or utcnow()) + timedelta(hours=hours)
    moment = moment.replace(minute=0 if moment.minute < 30 else 30, second=0, microsecond=0)
    if moment.time() >= time(22):
        moment = datetime.combine(moment.date() + timedelta(days=1), time(9), tzinfo=UTC)
    return moment


def days_ahead(days: int, hour: int = 10) -> datetime:
    """``hour``:00 UTC ``days`` days from today."""
    return datetime.combine(utcnow().date() + timedelta(days=days), time(hour), tzinfo=UTC)


def start_in_the_past(db: Session, booking_id: str, hours: float = 2) -> None:
    """Move a booking so it started ``hours`` ago (a session that has taken place)."""
    starts = utcnow() - timedelta(hours=hours)
    row = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
    assert row is not None
    db.execute(
        update(Booking)
        .where(Booking.id == booking_id)
        .values(starts_at=starts, ends_at=starts + timedelta(minutes=row.length_minutes))
    )
    db.commit()
    db.expire_all()


def set_rules(db: Session, therapist_id: str, **values: Any) -> None:
    """Change the therapist's booking rules."""
    row = db.get(BookingSettings, (DEFAULT_CLINIC_ID, therapist_id))
    assert row is not None
    for name, value in values.items():
        setattr(row, name, value)
    db.commit()
