"""A therapist who takes bookings (Europe/London, weekdays 08:00-18:00, no notice, a year
ahead) and clients, straight in the database, for the series and waitlist tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import (
    DEFAULT_CLINIC_ID,
    Booking,
    BookingSettings,
    User,
    WeeklyHours,
)
from sciatica_care.services import schedule
from sciatica_care.services.actors import Actor
from sciatica_care.services.booking_events import booking_changed

LONDON = "Europe/London"


@dataclass
class Diary:
    database: Database
    therapist: Actor
    clients: list[Actor] = field(default_factory=list)

    def book(
        self, who: Actor, starts_at: datetime, *, now: datetime, status: str = "confirmed"
    ) -> str:
        """A booking made as CORE's services will: reserve, commit."""
        with self.database.session() as db:
            booking = schedule.reserve(
                db,
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=self.therapist.user_id,
                client_id=who.user_id,
                starts_at=starts_at,
                length=60,
                status=status,
                created_by="client",
                now=now,
            )
            db.commit()
            return booking.id

    def cancel(self, booking_id: str, *, now: datetime) -> None:
        """A cancellation as CORE's services will make it: lock, status, booking_changed."""
        with self.database.session() as db:
            booking = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
            assert booking is not None
            schedule.lock_schedule(
                db, clinic_id=DEFAULT_CLINIC_ID, therapist_id=booking.therapist_id
            )
            booking.status, booking.cancelled_at, booking.cancelled_by = "cancelled", now, "client"
            db.flush()
            booking_changed(db, booking, event="cancelled", by="client", now=now)
            db.commit()

    def booking(self, booking_id: str) -> Booking:
        with self.database.session() as db:
            booking = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
            assert booking is not None
            db.expunge(booking)
            return booking


def _actor(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        clinic_id=DEFAULT_CLINIC_ID,
        email=user.email,
        role=user.role,  # type: ignore[arg-type]
        display_name=user.display_name,
        time_zone=user.time_zone,
    )


def make_diary(
    database: Database,
    clients: int = 3,
    *,
    tag: str = "",
    weekdays: range = range(5),
    **rules: object,
) -> Diary:
    """Alex, who takes bookings on ``weekdays`` 08:00-18:00, and ``clients`` clients (emails
    made unique by ``tag``)."""
    with database.session() as db:
        therapist = _user(db, f"alex{tag}@example.org", "therapist", "Alex")
        people = [
            _user(db, f"c{i}{tag}@example.org", "client", f"Client {i}") for i in range(clients)
        ]
        db.add(
            BookingSettings(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=therapist.id,
                min_notice_hours=0,
                horizon_days=400,
                **rules,
            )
        )
        db.add_all(
            WeeklyHours(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=therapist.id,
                weekday=d,
                starts=time(8),
                ends=time(18),
            )
            for d in weekdays
        )
        db.commit()
        return Diary(database, _actor(therapist), [_actor(p) for p in people])


def _user(db: Session, email: str, role: str, name: str) -> User:
    user = User(
        clinic_id=DEFAULT_CLINIC_ID,
        email=email,
        password_hash="x",
        role=role,
        display_name=name,
        time_zone=LONDON,
    )
    db.add(user)
    db.flush()
    return user


def weeks(n: int) -> timedelta:
    return timedelta(weeks=n)
