"""Booking set up straight in the database for web tests: a therapist open every day (in their
zone), and bookings made as CORE's services make them (schedule.reserve)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from fastapi import FastAPI
from sqlalchemy import select

from sciatica_care.db.tables import DEFAULT_CLINIC_ID, Booking, BookingSettings, User, WeeklyHours
from sciatica_care.services import schedule
from sciatica_care.services.booking_events import booking_changed


def user_id(app: FastAPI, email: str) -> str:
    with app.state.database.session() as db:
        found: str = db.scalars(select(User.id).where(User.email == email)).one()
        return found


def open_diary(app: FastAPI, therapist_id: str, **rules: object) -> None:
    """The therapist takes bookings 08:00-20:00 every day, no notice, a year ahead."""
    with app.state.database.session() as db:
        db.add(
            BookingSettings(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=therapist_id,
                min_notice_hours=0,
                horizon_days=400,
                **rules,
            )
        )
        db.add_all(
            WeeklyHours(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=therapist_id,
                weekday=d,
                starts=time(8),
                ends=time(20),
            )
            for d in range(7)
        )
        db.commit()


def days_ahead(days: int, hour: int = 10) -> datetime:
    """``hour`` o'clock UTC, ``days`` from today."""
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=UTC)


def book(
    app: FastAPI,
    *,
    therapist_id: str,
    client_id: str,
    starts_at: datetime,
    status: str = "confirmed",
) -> str:
    with app.state.database.session() as db:
        booking = schedule.reserve(
            db,
            clinic_id=DEFAULT_CLINIC_ID,
            therapist_id=therapist_id,
            client_id=client_id,
            starts_at=starts_at,
            length=60,
            status=status,
            created_by="client",
        )
        db.commit()
        return booking.id


def cancel(app: FastAPI, booking_id: str) -> None:
    """A cancellation as CORE's services make it: lock, status, booking_changed, commit."""
    with app.state.database.session() as db:
        booking = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
        assert booking is not None
        schedule.lock_schedule(db, clinic_id=DEFAULT_CLINIC_ID, therapist_id=booking.therapist_id)
        now = datetime.now(UTC)
        booking.status, booking.cancelled_at, booking.cancelled_by = "cancelled", now, "client"
        db.flush()
        booking_changed(db, booking, event="cancelled", by="client", now=now)
        db.commit()
