"""Dashboard and client-list benchmark: rows 3 and 4 of issue 12's table.

- Row 3: the dashboard with a year of diary (two check-ins a day), API (``GET
  /api/v1/dashboard?days=365``, bearer token) and page (``GET /dashboard``, session cookie), at
  32 connections (load from ``wrk`` in its own process on loopback) and one connection at a
  time (p50 alone). Aims: ≥ 150 req/s at 32 connections; p50 ≤ 10 ms alone.
- Row 4: the therapist's client list (``GET /therapist/clients``, the page, and ``GET
  /api/v1/therapist/clients``) with 200 clients who share with the therapist, each with a year
  of diary, on PostgreSQL, one connection at a time. Aim: p50 ≤ 50 ms.

The account, token, cookie and wrk plumbing is ``bench_web``'s (imported, not copied).
:func:`rows` returns the figures so that a combined table can be printed elsewhere.

    .venv/bin/python bench/bench_dashboard_load.py [--seconds 6] [--clients 200]
        [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, update

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accounts_for_bench import bench_token
from bench_web import (
    ASSESSMENT,
    CONNECTIONS,
    DASH_API,
    DASH_PAGE,
    PASSWORD,
    Credentials,
    Figures,
    Target,
    analyse,
    free_port,
    measure,
    postgres_url,
    prepare,
    sign_in,
    start_server,
    stop_server,
)
from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.tables import DiaryEntry, Share, User, new_id, utcnow
from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.services.accounts import actor_for, create_user
from sciatica_care.services.assessments import run_assessment

CLIENTS_PAGE = Target("GET  /therapist/clients (page)", "GET", "/therapist/clients", "cookie")
CLIENTS_API = Target("GET  /api/v1/therapist/clients", "GET", "/api/v1/therapist/clients", "bearer")
#: The zones the seeded clients live in (a person's day is a day in their own zone).
ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "UTC")


@dataclass(frozen=True)
class Row:
    """One line of the table: what was measured, how, and against which aim."""

    what: str
    connections: int
    req_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    aim: str
    met: bool


def row(what: str, connections: int, figures: Figures, aim: str, within: bool) -> Row:
    """A line of the table; an aim is met only by a run with requests and without errors."""
    met = within and figures.requests > 0 and not figures.errors
    return Row(
        what,
        connections,
        figures.throughput,
        figures.p50_ms,
        figures.p99_ms,
        figures.errors,
        aim,
        met,
    )


def diary_rows(clinic_id: str, user_id: str, days: int, seed: int = 0) -> list[dict[str, object]]:
    """Two check-ins a day for ``days`` days back from now (as bench_web's year of diary)."""
    now = utcnow()
    out: list[dict[str, object]] = []
    for day in range(days):
        for hour in (8, 20):
            at = now - timedelta(days=day, hours=hour)
            out.append(
                {
                    "id": new_id(),
                    "clinic_id": clinic_id,
                    "user_id": user_id,
                    "recorded_at": at,
                    "leg_pain": (day * 7 + hour + seed) % 11,
                    "back_pain": (day * 3 + hour + seed) % 11,
                    "areas": ["buttock"],
                    "stretches": ["piriformis_stretch"],
                    "massage": [],
                    "note": "",
                    "created_at": at,
                    "updated_at": at,
                }
            )
    return out


def seed_clients(database_url: str, *, clients: int, days: int = 365) -> tuple[str, str]:
    """A therapist and ``clients`` clients sharing everything with them, each with a first
    assessment and ``days`` days of diary; returns the therapist's email and API token."""
    upgrade(database_url)
    database = Database(database_url)
    email = f"therapist-{new_id()[:8]}@example.org"
    with database.session() as db:
        therapist = create_user(
            db, email=email, password=PASSWORD, role="therapist", display_name="Bench Therapist"
        )
        db.commit()
        for n in range(clients):
            client = User(
                clinic_id=therapist.clinic_id,
                id=new_id(),
                email=f"client-{n}-{new_id()[:8]}@example.org",
                password_hash=therapist.password_hash,
                role="client",
                display_name=f"Client {n}",
                time_zone=ZONES[n % len(ZONES)],
            )
            db.add(client)
            db.flush()
            run_assessment(db, actor=actor_for(client), assessment=parse_assessment(ASSESSMENT))
            db.add(
                Share(
                    clinic_id=client.clinic_id,
                    client_id=client.id,
                    therapist_id=therapist.id,
                    scopes=["assessments", "diary", "notes"],
                    via="code",
                    granted_at=utcnow(),
                )
            )
            db.execute(insert(DiaryEntry), diary_rows(client.clinic_id, client.id, days, seed=n))
            db.commit()
        token = bench_token(db, email=email, password=PASSWORD, scope="read")
    database.dispose()
    analyse(database_url)
    return email, token


def drain(base: str, target: Target, creds: Credentials) -> None:
    """Wait until the server has answered what wrk left queued when it stopped: one request
    that waits its turn, so that the next figure starts on an idle server."""
    headers = {"Authorization": f"Bearer {creds.token}"} if target.auth == "bearer" else {}
    cookies = creds.cookie if target.auth == "cookie" else None
    with httpx.Client(base_url=base, headers=headers, cookies=cookies, timeout=300) as http:
        http.get(target.path).raise_for_status()


def dashboard_rows(database_url: str, label: str, seconds: float) -> list[Row]:
    """Row 3: the dashboard API and page at 32 connections and alone."""
    email = f"bench-{new_id()[:8]}@example.org"
    token = prepare(database_url, email)
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        server = start_server(database_url, Path(data_dir), port)
        base = f"http://127.0.0.1:{port}"
        try:
            creds = Credentials(token=token, cookie=sign_in(base, email))
            out = []
            for target in (DASH_API, DASH_PAGE):
                measure("wrk", base, target, creds, 1, 1)  # warm up
                drain(base, target, creds)
                alone = measure("wrk", base, target, creds, seconds / 2, 1)
                drain(base, target, creds)
                loaded = measure("wrk", base, target, creds, seconds, CONNECTIONS)
                drain(base, target, creds)
                what = f"{label}: {target.name}"
                out.append(row(what, CONNECTIONS, loaded, "≥ 150 req/s", loaded.throughput >= 150))
                out.append(row(what, 1, alone, "p50 ≤ 10 ms", alone.p50_ms <= 10))
        finally:
            stop_server(server)
    return out


def client_list_rows(database_url: str, label: str, seconds: float, clients: int) -> list[Row]:
    """Row 4: the therapist's client list with ``clients`` clients, one connection at a time."""
    email, token = seed_clients(database_url, clients=clients)
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        server = start_server(database_url, Path(data_dir), port)
        base = f"http://127.0.0.1:{port}"
        try:
            creds = Credentials(token=token, cookie=sign_in(base, email, "/therapist/clients"))
            out = []
            for target in (CLIENTS_PAGE, CLIENTS_API):
                measure("wrk", base, target, creds, 1, 1)  # warm up
                drain(base, target, creds)
                alone = measure("wrk", base, target, creds, seconds, 1)
                drain(base, target, creds)
                what = f"{label}: {target.name}, {clients} clients × 1 year"
                out.append(row(what, 1, alone, "p50 ≤ 50 ms", alone.p50_ms <= 50))
            # The first view after every client's diary changed: each trend made again.
            remade = after_every_diary_changed(database_url, base, CLIENTS_PAGE, creds)
            what = f"{label}: {CLIENTS_PAGE.name}, every client's diary just changed"
            out.append(row(what, 1, remade, "(for information)", False))
        finally:
            stop_server(server)
    return out


def after_every_diary_changed(
    database_url: str, base: str, target: Target, creds: Credentials, views: int = 8
) -> Figures:
    """``target`` viewed ``views`` times, each time after every account's diary version moved
    (as after a check-in by every client): no kept trend read-out fits, each is made again."""
    database = Database(database_url)
    times = []
    with httpx.Client(base_url=base, cookies=creds.cookie, timeout=300) as http:
        for _ in range(views):
            with database.session() as db:
                db.execute(update(User).values(diary_version=User.diary_version + 1))
                db.commit()
            started = time.perf_counter()
            http.get(target.path).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    database.dispose()
    times.sort()
    return Figures(target.name, views, sum(times) / 1000, times[len(times) // 2], times[-1], 0)


def rows(
    *,
    seconds: float = 6.0,
    clients: int = 200,
    only: str | None = None,
    show: Callable[[list[Row]], None] | None = None,
) -> list[Row]:
    """Every figure of rows 3 and 4: the dashboard on SQLite and PostgreSQL, the client list
    on PostgreSQL (skipped, with a note, when PostgreSQL is not reachable). ``show`` gets each
    part's rows as soon as they are measured."""
    out: list[Row] = []

    def add(part: list[Row]) -> None:
        out.extend(part)
        if show is not None:
            show(part)

    if only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            add(dashboard_rows(f"sqlite:///{tmp}/bench.db", "SQLite", seconds))
    if only != "sqlite" and (url := postgres_url()):
        add(dashboard_rows(url, "PostgreSQL", seconds))
        if (url := postgres_url()) is not None:  # a clean database for the client list
            add(client_list_rows(url, "PostgreSQL", seconds, clients))
    return out


def print_rows(table: list[Row]) -> None:
    for r in table:
        mark = "met" if r.met else "" if r.aim.startswith("(") else "MISSED"
        print(
            f"  {r.what:<72} {r.connections:>5} {r.req_per_s:>7.0f} {r.p50_ms:>7.1f} "
            f"{r.p99_ms:>7.1f} {r.errors:>6}  {r.aim} {mark}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="time bound per endpoint")
    parser.add_argument("--clients", type=int, default=200, help="clients in the client list")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    print(
        "Dashboard (a year of diary) and therapist client list; one uvicorn worker, load by "
        f"wrk -t1 in its own process on loopback, {args.seconds:g} s per figure"
    )
    print(
        f"  {'what':<72} {'conns':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}  aim"
    )
    rows(seconds=args.seconds, clients=args.clients, only=args.only, show=print_rows)


if __name__ == "__main__":
    main()
