"""Benchmark a recurring series for a therapist with a year of bookings, on a temporary SQLite
database (or ``--database-url``), on one core.

The therapist (Europe/London, weekdays 08:00-18:00) has eight sessions a day booked for a year
ahead except at 17:00; a client previews, then makes, a 12-session weekly series at 17:00 (the
preview checks every date against the diary; making it reserves each under one schedule lock).
Prints the median and p95 per operation. Asserts nothing.

    .venv/bin/python bench/bench_series.py [--rounds 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.tables import (
    DEFAULT_CLINIC_ID,
    Booking,
    BookingSettings,
    User,
    WeeklyHours,
)
from sciatica_care.services import series
from sciatica_care.services.actors import Actor

LONDON = "Europe/London"
COUNT = 12


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def _scene(database: Database, rounds: int) -> tuple[Actor, list[str], int]:
    with database.session() as db:
        therapist = User(
            clinic_id=DEFAULT_CLINIC_ID,
            email="t@example.org",
            password_hash="x",
            role="therapist",
            time_zone=LONDON,
        )
        client = User(
            clinic_id=DEFAULT_CLINIC_ID,
            email="c@example.org",
            password_hash="x",
            role="client",
            time_zone=LONDON,
        )
        db.add_all([therapist, client])
        db.flush()
        db.add(
            BookingSettings(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=therapist.id,
                min_notice_hours=0,
                horizon_days=500,
                buffer_after_minutes=0,
            )
        )
        db.add_all(
            WeeklyHours(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=therapist.id,
                weekday=d,
                starts=clock(8),
                ends=clock(18),
            )
            for d in range(5)
        )
        start = date.today() + timedelta(days=1)
        booked = 0
        for offset in range(365):
            day = start + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour in range(8, 16):  # 08:00-16:00 taken; 17:00 left for the series
                at = datetime.combine(day, clock(hour), tzinfo=UTC)
                db.add(
                    Booking(
                        clinic_id=DEFAULT_CLINIC_ID,
                        therapist_id=therapist.id,
                        client_id=client.id,
                        starts_at=at,
                        ends_at=at + timedelta(hours=1),
                        length_minutes=60,
                        time_zone=LONDON,
                        status="confirmed",
                        created_by="client",
                    )
                )
                booked += 1
        # One first booking per round, on distinct weeks' Mondays-Fridays at 17:00 local.
        firsts = []
        for k in range(rounds):
            day = start + timedelta(days=k)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            at = datetime.combine(day, clock(17), tzinfo=ZoneInfo(LONDON)).astimezone(UTC)
            first = Booking(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=therapist.id,
                client_id=client.id,
                starts_at=at,
                ends_at=at + timedelta(hours=1),
                length_minutes=60,
                time_zone=LONDON,
                status="confirmed",
                created_by="client",
            )
            db.add(first)
            db.flush()
            firsts.append(first.id)
        db.commit()
        actor = Actor(client.id, DEFAULT_CLINIC_ID, client.email, "client", time_zone=LONDON)
        return actor, firsts, booked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        database = Database(url)
        actor, firsts, booked = _scene(database, min(args.rounds, 5))
        previews, makes = [], []
        with database.session() as db:
            for k in range(args.rounds):
                started = time.perf_counter()
                shown = series.preview(
                    db, actor=actor, booking_id=firsts[k % len(firsts)], every_weeks=1, count=COUNT
                )
                previews.append(time.perf_counter() - started)
        conflicts = len(shown.conflicts)
        for first in firsts:
            with database.session() as db:
                shown = series.preview(
                    db, actor=actor, booking_id=first, every_weeks=1, count=COUNT
                )
                leave = [o.number for o in shown.conflicts]
                started = time.perf_counter()
                series.create(
                    db, actor=actor, booking_id=first, every_weeks=1, count=COUNT, leave_out=leave
                )
                makes.append(time.perf_counter() - started)
        database.dispose()
    print(f"diary: {booked} bookings over a year; series of {COUNT} weekly sessions")
    print(f"preview ({conflicts} conflicts)   {_ms(previews)}   ({args.rounds} rounds)")
    print(f"make (one lock, {COUNT - 1} reserves)   {_ms(makes)}   ({len(makes)} series)")


if __name__ == "__main__":
    main()
