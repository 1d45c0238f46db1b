"""Web benchmark: throughput and p50/p99 latency at 32 concurrent connections.

The app runs in a uvicorn process on 127.0.0.1 (one worker); the load comes from this process
(asyncio + httpx, 32 connections), bounded in requests and time. Measured on SQLite, then on
PostgreSQL when reachable:
- GET  /api/v1/ping                   (bare JSON, the baseline)
- POST /api/v1/assessments            (signed in: evaluated and stored)
- GET  /api/v1/dashboard?days=365     (a year of diary entries behind it)
- GET  /dashboard                     (the dashboard page, when the pages provide it)

Aims (issue 3): assessments ≥ 40% of ping's throughput with p99 ≤ 50 ms; dashboard p50 ≤ 20 ms.
Run: .venv/bin/python bench/bench_web.py [--seconds 5] [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.server_process import free_port, start_server, stop_server  # noqa: E402

from sciatica_care.db.engine import Database  # noqa: E402
from sciatica_care.db.migrate import upgrade  # noqa: E402
from sciatica_care.db.tables import DiaryEntry, new_id, utcnow  # noqa: E402
from sciatica_care.domain.assessment import parse_assessment  # noqa: E402
from sciatica_care.services.accounts import actor_for, create_api_token, create_user  # noqa: E402
from sciatica_care.services.assessments import run_assessment  # noqa: E402

CONNECTIONS = 32
ASSESSMENT = {
    "age": 44,
    "back_pain": 4,
    "leg_pain": 6,
    "side": "left",
    "areas": ["buttock", "thigh_back"],
    "duration_weeks": 6,
    "seen_clinician": True,
    "symptoms": ["tingling"],
    "aggravated_by": ["sitting"],
}
PASSWORD = "bench password 1234"


@dataclass
class Figures:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def prepare(database_url: str, email: str) -> str:
    """Migrate, make an account with a first assessment and a year of diary; return a token."""
    upgrade(database_url)
    database = Database(database_url)
    with database.session() as db:
        user = create_user(db, email=email, password=PASSWORD)
        db.commit()
        actor = actor_for(user)
        run_assessment(db, actor=actor, assessment=parse_assessment(ASSESSMENT))
        now = utcnow()
        for day in range(365):
            for hour in (8, 20):
                at = now - timedelta(days=day, hours=hour)
                db.add(
                    DiaryEntry(
                        id=new_id(),
                        clinic_id=user.clinic_id,
                        user_id=user.id,
                        recorded_at=at,
                        leg_pain=(day * 7 + hour) % 11,
                        back_pain=(day * 3 + hour) % 11,
                        areas=["buttock"],
                        stretches=["piriformis_stretch"],
                        massage=[],
                        note="",
                        created_at=at,
                        updated_at=at,
                    )
                )
        db.commit()
        token = create_api_token(db, actor=actor, name="bench").token
    database.dispose()
    return token


async def drive(
    base: str,
    name: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    cookies: dict[str, str] | None = None,
    body: Any = None,
    seconds: float,
    max_requests: int,
    connections: int = CONNECTIONS,
) -> Figures:
    """Send requests from ``connections`` concurrent workers until the count or time runs out."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, cookies=cookies, limits=limits, timeout=30
    ) as http:
        # Warm up: open the connections and the server's caches.
        await asyncio.gather(*(http.request(method, path, json=body) for _ in range(connections)))
        sent = 0
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal sent, errors
            while sent < max_requests and time.perf_counter() < deadline:
                sent += 1
                start = time.perf_counter()
                response = await http.request(method, path, json=body)
                latencies.append(time.perf_counter() - start)
                if response.status_code >= 400:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return Figures(
        name=name,
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0,
        errors=errors,
    )


def page_cookies(base: str, email: str) -> dict[str, str] | None:
    """A session cookie for the pages (None when there is no dashboard page)."""
    with httpx.Client(base_url=base) as http:
        response = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        cookies = dict(response.cookies)
        if http.get("/dashboard", cookies=cookies).status_code != 200:
            return None
        return cookies


def bench_backend(label: str, database_url: str, seconds: float, max_requests: int) -> None:
    email = f"bench-{new_id()[:8]}@example.org"
    token = prepare(database_url, email)
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(database_url, Path(data_dir), port)
        base = f"http://127.0.0.1:{port}"
        bearer = {"Authorization": f"Bearer {token}"}
        try:
            runs = [
                ("GET /api/v1/ping", "GET", "/api/v1/ping", None, None),
                (
                    "POST /api/v1/assessments (stored)",
                    "POST",
                    "/api/v1/assessments",
                    ASSESSMENT,
                    None,
                ),
                ("GET /api/v1/dashboard (1 year)", "GET", "/api/v1/dashboard?days=365", None, None),
            ]
            cookies = page_cookies(base, email)
            if cookies:
                runs.append(("GET /dashboard page (1 year)", "GET", "/dashboard", None, cookies))
            single = [
                asyncio.run(
                    drive(
                        base,
                        f"{name} x1",
                        method,
                        path,
                        headers={} if jar else bearer,
                        cookies=jar,
                        body=body,
                        seconds=seconds / 2,
                        max_requests=max_requests // 4,
                        connections=1,
                    )
                )
                for name, method, path, body, jar in runs[2:]
            ]
            results = [
                asyncio.run(
                    drive(
                        base,
                        name,
                        method,
                        path,
                        headers={} if jar else bearer,
                        cookies=jar,
                        body=body,
                        seconds=seconds,
                        max_requests=max_requests,
                    )
                )
                for name, method, path, body, jar in runs
            ]
        finally:
            stop_server(server)
    print(f"\n{label}: {CONNECTIONS} connections, one uvicorn worker, loopback")
    print(f"  {'endpoint':<38} {'req':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for f in results:
        print(
            f"  {f.name:<38} {f.requests:>6} {f.throughput:>8.0f} {f.p50_ms:>8.1f} "
            f"{f.p99_ms:>8.1f} {f.errors:>6}"
        )
    ping, assess = results[0], results[1]
    ratio = assess.throughput / ping.throughput if ping.throughput else 0.0
    print(f"  assessments / ping throughput: {ratio:.0%} (aim ≥ 40%, p99 ≤ 50 ms)")
    print("  one connection at a time (latency without queueing):")
    for f in single:
        print(
            f"  {f.name:<38} {f.requests:>6} {f.throughput:>8.0f} {f.p50_ms:>8.1f} {f.p99_ms:>8.1f}"
        )
    print(
        f"  dashboard p50: {results[2].p50_ms:.1f} ms at {CONNECTIONS} connections, "
        f"{single[0].p50_ms:.1f} ms alone (aim ≤ 20 ms)"
    )


def postgres_url() -> str | None:
    url = os.environ.get("SCIATICA_CARE_BENCH_POSTGRES_URL") or os.environ.get(
        "SCIATICA_CARE_TEST_POSTGRES_URL",
        "postgresql+psycopg://postgres@127.0.0.1:5432/sciatica_care_bench",
    )
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
    parser.add_argument("--seconds", type=float, default=5.0, help="time bound per endpoint")
    parser.add_argument("--requests", type=int, default=4000, help="request bound per endpoint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_backend("SQLite", f"sqlite:///{tmp}/bench.db", args.seconds, args.requests)
    url = postgres_url()
    if url:
        bench_backend("PostgreSQL", url, args.seconds, args.requests)


if __name__ == "__main__":
    main()
