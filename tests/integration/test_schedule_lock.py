"""No double booking: many clients racing for one slot, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, Booking, BookingSettings, User, WeeklyHours
from sciatica_care.services.errors import ServiceError
from sciatica_care.services.schedule import reserve

RACERS = 16


def _setup(database: Database) -> tuple[str, list[str]]:
    with database.session() as db:
        therapist = User(
            clinic_id=DEFAULT_CLINIC_ID,
            email="t@example.org",
            password_hash="x",
            role="therapist",
            time_zone="Europe/London",
        )
        clients = [
            User(
                clinic_id=DEFAULT_CLINIC_ID,
                email=f"c{i}@example.org",
                password_hash="x",
                role="client",
            )
            for i in range(RACERS)
        ]
        db.add_all([therapist, *clients])
        db.flush()
        db.add(
            BookingSettings(
                clinic_id=DEFAULT_CLINIC_ID, therapist_id=therapist.id, min_notice_hours=0
            )
        )
        db.add_all(
            WeeklyHours(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=therapist.id,
                weekday=d,
                starts=time(0),
                ends=time(23, 30),
            )
            for d in range(7)
        )
        db.commit()
        return therapist.id, [c.id for c in clients]


def test_racing_clients_get_one_booking_per_slot(database_url: str) -> None:
    database = Database(database_url)
    therapist_id, client_ids = _setup(database)
    day = date.today() + timedelta(days=3)
    # Two overlapping wanted times: 10:00 and 10:30 (a 60-minute session each).
    wanted = [datetime.combine(day, time(10, 30 * (i % 2)), tzinfo=UTC) for i in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def book(i: int) -> None:
        barrier.wait()
        with database.session() as db:
            try:
                reserve(
                    db,
                    clinic_id=DEFAULT_CLINIC_ID,
                    therapist_id=therapist_id,
                    client_id=client_ids[i],
                    starts_at=wanted[i],
                    length=60,
                    status="confirmed",
                    created_by="client",
                )
                db.commit()
                outcomes.append("booked")
            except ServiceError:
                db.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=book, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.session() as db:
        stored = db.scalar(select(func.count()).select_from(Booking))
    database.dispose()
    assert outcomes.count("booked") == 1 == stored
    assert outcomes.count("refused") == RACERS - 1
