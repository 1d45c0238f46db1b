"""Benchmark a therapist's calendar feed: a full diary (8 sessions a weekday for the feed's
90 days back and the default 60-day booking horizon ahead, one in a hundred starting a weekly
series of 10) on a temporary SQLite database, on one core.

Prints the time to answer one feed fetch when the body is built (token lookup, reading the
bookings, building the VCALENDAR with its VTIMEZONE and serialising it), when it comes from the
cache, and when the app's ETag is current (304); the feed's size and number of VEVENTs; the same
for a client with a weekly series. Asserts nothing.

    .venv/bin/python bench/bench_calendar_feed.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.tables import Booking, BookingSeries, new_id
from sciatica_care.domain.booking import series_starts
from sciatica_care.services import calendar_feeds
from sciatica_care.services.accounts import create_user
from sciatica_care.services.actors import Actor

LONDON = ZoneInfo("Europe/London")


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def _fill(database: Database) -> tuple[Actor, Actor]:
    with database.session() as db:
        therapist = create_user(
            db, email="t@example.org", password="bench-password-1", role="therapist"
        )
        clients = [
            create_user(db, email=f"c{i}@example.org", password="bench-password-1", role="client")
            for i in range(40)
        ]
        therapist.time_zone, therapist.display_name = "Europe/London", "Tess Morgan"
        db.flush()
        day = datetime.now(LONDON).replace(hour=0, minute=0, second=0, microsecond=0)
        day -= timedelta(days=90)
        n = 0
        for offset in range(150):
            date = day + timedelta(days=offset)
            if date.weekday() >= 5:
                continue
            for hour in range(9, 17):
                n += 1
                client = clients[n % len(clients)]
                starts = date.replace(hour=hour).astimezone(UTC)
                series_id = None
                if n % 100 == 0:  # a weekly series of 10 from here (its later ones added too)
                    series_id = new_id()
                    db.add(
                        BookingSeries(
                            clinic_id=client.clinic_id,
                            id=series_id,
                            therapist_id=therapist.id,
                            client_id=client.id,
                            first_starts_at=starts,
                            local_time=date.replace(hour=hour).time(),
                            time_zone="Europe/London",
                            every_weeks=1,
                            count=10,
                            length_minutes=50,
                        )
                    )
                occurrences = (
                    series_starts(starts, zone=LONDON, every_weeks=1, count=10)
                    if series_id
                    else [starts]
                )
                for at in occurrences:
                    db.add(
                        Booking(
                            clinic_id=client.clinic_id,
                            id=new_id(),
                            therapist_id=therapist.id,
                            client_id=client.id,
                            series_id=series_id,
                            starts_at=at + timedelta(minutes=55 if at != starts else 0),
                            ends_at=at + timedelta(minutes=105 if at != starts else 50),
                            length_minutes=50,
                            time_zone="Europe/London",
                            status="cancelled" if n % 17 == 0 else "confirmed",
                            created_by="client",
                        )
                    )
        db.commit()
        actor = Actor(therapist.id, therapist.clinic_id, therapist.email, "therapist")
        client_actor = Actor(clients[0].id, clients[0].clinic_id, clients[0].email, "client")
        return actor, client_actor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        database = Database(url)
        therapist, client = _fill(database)
        settings = Settings(environment="test", database_url=url)
        for label, actor in (("therapist", therapist), ("client", client)):
            with database.session() as db:
                token = calendar_feeds.make_feed(db, actor=actor, settings=settings).token
            cold: list[float] = []
            cached: list[float] = []
            unchanged: list[float] = []
            found = None
            for _ in range(args.rounds):
                calendar_feeds.feed_cache.bodies.clear()
                for samples, etag in ((cold, None), (cached, None), (unchanged, "same")):
                    with database.session() as db:
                        sent = found.etag if etag and found else None
                        started = time.perf_counter()
                        found = calendar_feeds.feed_for_token(db, token=token, if_none_match=sent)
                        samples.append(time.perf_counter() - started)
            assert found is not None
            with database.session() as db:
                body = calendar_feeds.feed_for_token(db, token=token).body or b""
            print(
                f"{label:9} feed: {len(body) / 1024:7.1f} KiB, "
                f"{body.count(b'BEGIN:VEVENT')} VEVENTs"
            )
            print(f"  built:        {_ms(cold)}")
            print(f"  from cache:   {_ms(cached)}")
            print(f"  304 (ETag):   {_ms(unchanged)}")
        database.dispose()


if __name__ == "__main__":
    main()
