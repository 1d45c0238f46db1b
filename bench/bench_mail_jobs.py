"""Benchmark the worker's minute: due reminders and daily agendas queued, then the outbox sent.

Makes ``--therapists`` therapists with ``--clients`` clients each, one confirmed session per
client starting within the hour (so every reminder is due), then times one minute's work on a
fresh database: queuing the reminders (one claiming UPDATE and one outbox row each), the
agendas, and delivering everything into files (the development transport). Prints the times
and rates; asserts nothing.

    .venv/bin/python bench/bench_mail_jobs.py [--therapists 20] [--clients 50]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, Booking, BookingSettings, User
from sciatica_care.notifications.outbox import deliver_pending
from sciatica_care.services.reminders import send_daily_agendas, send_due_reminders

NOW = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)  # 09:00 in London: agendas are due too


def _fill(database: Database, therapists: int, clients: int) -> int:
    with database.session() as db:
        for t in range(therapists):
            therapist = User(
                clinic_id=DEFAULT_CLINIC_ID,
                email=f"t{t}@example.org",
                password_hash="x",
                role="therapist",
                display_name=f"Tess{t}",
                time_zone="Europe/London",
            )
            db.add(therapist)
            db.flush()
            db.add(BookingSettings(clinic_id=DEFAULT_CLINIC_ID, therapist_id=therapist.id))
            for c in range(clients):
                client = User(
                    clinic_id=DEFAULT_CLINIC_ID,
                    email=f"c{t}-{c}@example.org",
                    password_hash="x",
                    role="client",
                    display_name=f"Client{c}",
                )
                db.add(client)
                db.flush()
                starts = NOW + timedelta(minutes=5 + c)
                db.add(
                    Booking(
                        clinic_id=DEFAULT_CLINIC_ID,
                        therapist_id=therapist.id,
                        client_id=client.id,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=60),
                        length_minutes=60,
                        time_zone="Europe/London",
                        status="confirmed",
                        created_by="client",
                    )
                )
        db.commit()
    return therapists * clients


def _timed(label: str, count: int, work: Callable[[], int]) -> None:
    start = time.perf_counter()
    done = work()
    seconds = time.perf_counter() - start
    rate = count / seconds if seconds else float("inf")
    print(f"{label:<28} {done:>6} in {seconds * 1000:8.1f} ms  ({rate:,.0f}/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--therapists", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    upgrade(url)
    settings = Settings(environment="test", database_url=url, data_dir=folder)
    database = Database(url)
    sessions = _fill(database, args.therapists, args.clients)
    print(f"{database.engine.dialect.name}: {args.therapists} therapists, {sessions} sessions due")
    with database.session() as db:
        _timed("reminders queued", sessions, lambda: send_due_reminders(db, now=NOW))
        _timed("agendas queued", args.therapists, lambda: send_daily_agendas(db, now=NOW))
        emails = sessions + args.therapists
        _timed(
            "emails delivered (files)",
            emails,
            lambda: deliver_pending(db, settings=settings, limit=emails),
        )
        _timed("second run: reminders", sessions, lambda: send_due_reminders(db, now=NOW))
    database.dispose()


if __name__ == "__main__":
    main()
