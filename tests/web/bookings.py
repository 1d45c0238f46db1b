"""Helpers for the calendar and "My sessions" tests: bookings and series written as rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from sciatica_care.db.tables import Booking, BookingSeries, User, new_id, utcnow
from sciatica_care.domain.booking import series_starts

LONDON = ZoneInfo("Europe/London")


def name_user(app: FastAPI, user_id: str, display_name: str, time_zone: str = "UTC") -> None:
    with app.state.database.session() as db:
        user = db.get(User, ("default", user_id))
        assert user is not None
        user.display_name, user.time_zone = display_name, time_zone
        db.commit()


def add_booking(
    app: FastAPI,
    *,
    client_id: str,
    therapist_id: str,
    starts_at: datetime,
    status: str = "confirmed",
    length: int = 60,
    series_id: str | None = None,
    sequence: int = 0,
) -> str:
    """A booking row (no slot checks: the schedule's own tests cover those)."""
    with app.state.database.session() as db:
        booking = Booking(
            clinic_id="default",
            id=new_id(),
            therapist_id=therapist_id,
            client_id=client_id,
            series_id=series_id,
            starts_at=starts_at.astimezone(UTC),
            ends_at=(starts_at + timedelta(minutes=length)).astimezone(UTC),
            length_minutes=length,
            time_zone="Europe/London",
            status=status,
            created_by="client",
            created_at=utcnow(),
            updated_at=utcnow(),
            cancelled_at=utcnow() if "cancelled" in status else None,
            cancelled_by="client" if "cancelled" in status else None,
            sequence=sequence,
        )
        db.add(booking)
        db.commit()
        return booking.id


def add_series(
    app: FastAPI, *, client_id: str, therapist_id: str, first_local: datetime, count: int
) -> tuple[str, list[datetime], list[str]]:
    """A weekly series at ``first_local``'s London wall-clock time, one confirmed booking per
    occurrence: the series id, the occurrence starts (UTC) and the booking ids."""
    first = first_local.replace(tzinfo=LONDON).astimezone(UTC)
    starts = series_starts(first, zone=LONDON, every_weeks=1, count=count)
    with app.state.database.session() as db:
        series = BookingSeries(
            clinic_id="default",
            id=new_id(),
            therapist_id=therapist_id,
            client_id=client_id,
            first_starts_at=first,
            local_time=first_local.time(),
            time_zone="Europe/London",
            every_weeks=1,
            count=count,
            length_minutes=60,
        )
        db.add(series)
        db.commit()
        series_id = series.id
    ids = [
        add_booking(
            app,
            client_id=client_id,
            therapist_id=therapist_id,
            starts_at=at,
            series_id=series_id,
        )
        for at in starts
    ]
    return series_id, starts, ids


def set_booking(app: FastAPI, booking_id: str, **values: object) -> None:
    with app.state.database.session() as db:
        booking = db.get(Booking, ("default", booking_id))
        assert booking is not None
        for name, value in values.items():
            setattr(booking, name, value)
        booking.sequence += 1
        booking.updated_at = utcnow()
        db.commit()
