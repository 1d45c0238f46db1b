"""Benchmark free-slot search for a busy therapist: a year ahead open (horizon 365 days),
weekday hours 09:00-12:30 and 13:30-17:00, and about 1,500 bookings over that year.

Prints calls/s and p50/p99 latency for the slot maths alone (domain.booking.free_slots), for
the service (reading hours, exceptions and bookings from SQLite, then the maths), and for
``GET /api/v1/therapists/{id}/slots`` through the whole app in process (TestClient; the rate
limit lifted). Asserts nothing.

    .venv/bin/python bench/bench_slots.py [--calls 30]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, Booking, BookingSettings, WeeklyHours
from sciatica_care.domain.booking import free_slots
from sciatica_care.domain.time_zones import zone
from sciatica_care.services import schedule, slots, therapists
from sciatica_care.services.accounts import create_user
from sciatica_care.services.demo_directory import OFFICE_HOURS
from sciatica_care.web.app import create_app

ZONE = "Europe/London"
HORIZON = 365


def _busy_therapist(database: Database, now: datetime) -> str:
    with database.session() as db:
        user = create_user(db, email="busy@example.org", password="x" * 16, role="therapist")
        user.time_zone = ZONE
        profile = therapists.ensure_profile(db, clinic_id=user.clinic_id, user_id=user.id)
        profile.licence_number, profile.city = "B-1", "Bristol"
        profile.techniques, profile.languages = ["swedish"], ["English"]
        ids = {"clinic_id": user.clinic_id, "therapist_id": user.id}
        db.add(BookingSettings(**ids, horizon_days=HORIZON, min_notice_hours=0, schedule_version=0))
        db.add_all(
            WeeklyHours(**ids, weekday=d, starts=s, ends=e)
            for d in range(5)
            for s, e in OFFICE_HOURS
        )
        where = zone(ZONE)
        day, count = now.astimezone(where).date(), 0
        while count < 1500:
            day += timedelta(days=1)
            if day.weekday() >= 5:
                continue
            for hour in (9, 10, 11, 14, 15, 16):  # six of the day's sessions are taken
                starts = datetime(day.year, day.month, day.day, hour, tzinfo=where).astimezone(UTC)
                db.add(
                    Booking(
                        **ids,
                        client_id=user.id,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=60),
                        length_minutes=60,
                        time_zone=ZONE,
                        status="confirmed",
                        created_by="client",
                    )
                )
                count += 1
        db.commit()
        return user.id


def _measure(name: str, call: Callable[[], Any], calls: int) -> None:
    call()  # warm
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    times.sort()
    p50 = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))] * 1000
    print(f"{name:<34} {calls / sum(times):8.1f} calls/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-slots-"))
    url = f"sqlite:///{folder / 'slots.db'}"
    upgrade(url)
    database = Database(url)
    now = datetime.now(UTC)
    therapist_id = _busy_therapist(database, now)
    ids = {"clinic_id": DEFAULT_CLINIC_ID, "therapist_id": therapist_id}
    end = now + timedelta(days=HORIZON + 1)
    with database.session() as db:
        row = schedule.booking_settings(db, **ids)
        assert row is not None
        rules = schedule.rules_of(row)
        hours = schedule.weekly_hours(db, **ids)
        booked = schedule.booked_slots(db, **ids, first=now, last=end, now=now)
        found = slots.free_slots_of(db, **ids, now=now)
    print(f"{len(booked)} bookings; {len(found.slots)} free 60-minute slots over {HORIZON} days")

    def maths() -> None:
        free_slots(
            zone=zone(ZONE), hours=hours, changes=[], rules=rules, booked=booked,
            length=60, now=now,
        )  # fmt: skip

    def service() -> None:
        with database.session() as db:
            slots.free_slots_of(db, **ids)

    settings = Settings(
        environment="test",
        database_url=url,
        data_dir=folder / "data",
        secret_key="bench-secret-key-0123456789abcdefghijklmnop",  # type: ignore[arg-type]
        migrate_on_start=False,
        rate_limit_slots="1000000/minute",
    )
    app = create_app(settings)
    http = TestClient(app)

    def api() -> None:
        response = http.get(f"/api/v1/therapists/{therapist_id}/slots")
        assert response.status_code == 200, response.text

    _measure("slot maths (domain, a year)", maths, args.calls)
    _measure("service (SQLite + maths)", service, args.calls)
    _measure("GET .../slots (whole app)", api, args.calls)
    _measure("GET .../slots?to=+14 days", lambda: http.get(
        f"/api/v1/therapists/{therapist_id}/slots",
        params={"to": (now + timedelta(days=14)).date().isoformat()},
    ), args.calls)  # fmt: skip
    app.state.database.dispose()
    database.dispose()


if __name__ == "__main__":
    main()
