"""Booking throughput: 32 clients booking at once, on SQLite and on PostgreSQL.

The app runs in a uvicorn process on 127.0.0.1 (one worker); the load comes from this process,
an asyncio + httpx driver with 32 connections (each a client with its own write token). Each
client books ``--per-client`` times: a random free-looking start (on the half-hour grid, 1 to
60 days ahead) with one of ``--therapists`` therapists, so some requests collide and are refused
(422/409 naming ``starts_at``), exactly as people racing for the same times would be. Every
booking of one therapist takes that therapist's schedule lock, so bookings for one therapist run
one after the other; different therapists' bookings run side by side (on PostgreSQL; SQLite has
one writer at a time anyway).

Printed per database: bookings/s (201 answers), requests/s, p50/p99 latency, refusals, errors,
and "double bookings: N" counted afterwards in the database (overlapping active bookings of one
therapist; it must be 0).

Run: .venv/bin/python bench/bench_booking.py [--per-client 20] [--therapists 4]
     [--only sqlite|postgresql]
PostgreSQL: SCIATICA_CARE_BENCH_POSTGRES_URL (default a database sciatica_care_booking_bench on
127.0.0.1, dropped and migrated afresh).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.booking_setup import days_ahead  # noqa: E402
from tests.integration.booking_load import (  # noqa: E402
    Answer,
    book_one,
    double_bookings,
    prepare,
)
from tests.integration.server_process import free_port, start_server, stop_server  # noqa: E402

from sciatica_care.db.engine import Database  # noqa: E402
from sciatica_care.db.migrate import upgrade  # noqa: E402

CLIENTS = 32
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/sciatica_care_booking_bench"


def wanted_times(
    tokens: list[str], therapists: list[str], per_client: int, seed: int
) -> list[list[tuple[str, str, datetime]]]:
    """``per_client`` rounds; in each, every client asks for a random start with a random
    therapist (the same choices for every database, by ``seed``)."""
    pick = random.Random(seed)
    rounds = []
    for _ in range(per_client):
        rounds.append(
            [
                (
                    token,
                    pick.choice(therapists),
                    days_ahead(pick.randint(1, 58), 0)
                    + timedelta(minutes=30 * pick.randint(0, 44)),
                )
                for token in tokens
            ]
        )
    return rounds


async def drive(base_url: str, rounds: list[list[tuple[str, str, datetime]]]) -> list[Answer]:
    """Each client runs its bookings one after another; the 32 clients run at once, over one
    keep-alive connection each."""
    per_client = list(zip(*rounds, strict=True))
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120) as http:

        async def client(wanted: tuple[tuple[str, str, datetime], ...]) -> list[Answer]:
            return [await book_one(http, token, who, at, 60) for token, who, at in wanted]

        results = await asyncio.gather(*(client(w) for w in per_client))
    return [a for answers in results for a in answers]


def bench(name: str, url: str, per_client: int, therapists: int, seed: int) -> None:
    upgrade(url)
    database = Database(url)
    therapist_ids, tokens = prepare(database, CLIENTS, therapists=therapists)
    rounds = wanted_times(tokens, therapist_ids, per_client, seed)
    os.environ["SCIATICA_CARE_RATE_LIMIT_BOOKING"] = "1000000/minute"
    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        server = start_server(url, Path(data), port)
        try:
            began = time.perf_counter()
            answers = asyncio.run(drive(f"http://127.0.0.1:{port}", rounds))
            seconds = time.perf_counter() - began
        finally:
            stop_server(server)
    booked = [a for a in answers if a.status == 201]
    refused = [a for a in answers if a.status in {409, 422}]
    errors = [a for a in answers if a.status not in {201, 409, 422}]
    latencies = sorted(a.seconds * 1000 for a in answers)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    named = sum(1 for a in refused if a.fields == ("starts_at",))
    print(f"\n{name}: {CLIENTS} clients x {per_client} bookings, {therapists} therapist(s)")
    print(f"  requests       {len(answers)} in {seconds:.1f} s = {len(answers) / seconds:.1f}/s")
    print(f"  bookings/s     {len(booked) / seconds:.1f} ({len(booked)} booked)")
    print(f"  latency        p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms")
    print(f"  refusals       {len(refused)} ({named} naming starts_at)")
    kinds = sorted({str(a.status or a.fields[0]) for a in errors})
    print(f"  errors         {len(errors)} {kinds}")
    print(f"  double bookings: {double_bookings(database)}")
    database.dispose()


def postgres_url() -> str | None:
    url = os.environ.get("SCIATICA_CARE_BENCH_POSTGRES_URL", PG_DEFAULT)
    try:
        from tests.integration.databases import ensure_postgres_database, reset_postgres

        ensure_postgres_database(url)
        reset_postgres(url)
    except Exception as exc:  # unreachable server: report and go on
        print(f"\nPostgreSQL not reachable ({type(exc).__name__}); skipped")
        return None
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-client", type=int, default=20, help="bookings each client makes")
    parser.add_argument("--therapists", type=int, default=4, help="therapists booked")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            bench("SQLite", url, args.per_client, args.therapists, args.seed)
    if args.only != "sqlite" and (pg := postgres_url()):
        bench("PostgreSQL", pg, args.per_client, args.therapists, args.seed)


if __name__ == "__main__":
    main()
