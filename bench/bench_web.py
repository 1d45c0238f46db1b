"""Web benchmark: throughput and p50/p99 latency at 32 concurrent connections.

The app runs in a uvicorn process on 127.0.0.1 (one worker by default; ``--workers 1 2`` adds a
run with two). The load comes from ``wrk`` (Debian package ``wrk``), a separate process on
loopback, bounded in time per endpoint; the Lua scripts in ``bench/wrk/`` add the JSON body,
the bearer token and the session cookie. Without wrk the script says so and falls back to an
asyncio + httpx driver in this process (which on a small machine is itself the bottleneck, so
its figures are a floor). Measured on SQLite, then on PostgreSQL when reachable:
- GET  /api/v1/ping                   (bare JSON, the baseline)
- POST /api/v1/assessments            (signed in by token: evaluated and stored)
- GET  /api/v1/dashboard?days=365     (a year of diary entries behind it)
- GET  /dashboard                     (the dashboard page, signed in by session cookie)
and the two dashboards again one connection at a time (latency without queueing).

Aims (issue 3): assessments ≥ 40% of ping's throughput with p99 ≤ 50 ms; dashboard p50 ≤ 20 ms.
Run: .venv/bin/python bench/bench_web.py [--seconds 6] [--workers 1 2] [--driver wrk|httpx]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.server_process import free_port, start_server, stop_server  # noqa: E402

from accounts_for_bench import bench_token  # noqa: E402
from sciatica_care.db.engine import Database  # noqa: E402
from sciatica_care.db.migrate import upgrade  # noqa: E402
from sciatica_care.db.tables import DiaryEntry, new_id, utcnow  # noqa: E402
from sciatica_care.domain.assessment import parse_assessment  # noqa: E402
from sciatica_care.services.accounts import actor_for, create_user  # noqa: E402
from sciatica_care.services.assessments import run_assessment  # noqa: E402

LUA = Path(__file__).with_name("wrk")
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
Auth = Literal["none", "bearer", "cookie"]


@dataclass(frozen=True)
class Target:
    name: str
    method: str
    path: str
    auth: Auth
    body: Any = None


PING = Target("GET  /api/v1/ping (bare JSON)", "GET", "/api/v1/ping", "none")
ASSESS = Target("POST /api/v1/assessments (stored)", "POST", "/api/v1/assessments", "bearer")
ASSESS = Target(ASSESS.name, ASSESS.method, ASSESS.path, ASSESS.auth, ASSESSMENT)
DASH_API = Target("GET  /api/v1/dashboard?days=365", "GET", "/api/v1/dashboard?days=365", "bearer")
DASH_PAGE = Target("GET  /dashboard (page, 1 year)", "GET", "/dashboard", "cookie")


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


@dataclass(frozen=True)
class Credentials:
    token: str
    cookie: dict[str, str]


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
        token = bench_token(db, email=email, password=PASSWORD)
    database.dispose()
    return token


def sign_in(base: str, email: str, page: str = "/dashboard") -> dict[str, str]:
    """A browser's cookies (session and CSRF) after signing in; checks ``page`` answers."""
    with httpx.Client(base_url=base, timeout=300) as http:
        response = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        response.raise_for_status()
        cookies = dict(response.cookies)
        answer = http.get(page, cookies=cookies)
        if answer.status_code != 200:
            raise RuntimeError(f"{page} answered {answer.status_code}")
        return cookies


# --- wrk: the load from a separate process -------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()  # type: ignore[union-attr]
    return float(value) * _UNITS[unit]


def parse_wrk(name: str, output: str) -> Figures:
    """Requests, duration, p50/p99 (from --latency) and errors out of wrk's report."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", output)
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if done is None or set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"wrk's report was not understood:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return Figures(
        name=name,
        requests=int(done.group(1)),
        seconds=_ms(done.group(2) + done.group(3)) / 1000,
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        errors=errors,
    )


def wrk(
    base: str, target: Target, creds: Credentials, *, seconds: float, connections: int, body: Path
) -> Figures:
    """One bounded wrk run (one thread: the server gets the other core)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    command += ["--timeout", "10s"]
    if target.auth == "bearer" and target.body is not None:
        script, args = "assessment_post.lua", [creds.token, str(body)]
    elif target.auth == "bearer":
        script, args = "bearer_get.lua", [creds.token]
    elif target.auth == "cookie":
        script, args = "cookie_get.lua", ["; ".join(f"{k}={v}" for k, v in creds.cookie.items())]
    else:
        script, args = "", []
    if script:
        command += ["-s", str(LUA / script)]
    command.append(base + target.path)
    if args:  # the script's arguments come after "--"
        command += ["--", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(target.name, done.stdout)


# --- httpx: the fallback driver (in this process) -------------------------------------------


async def _drive(
    base: str, target: Target, creds: Credentials, *, seconds: float, connections: int
) -> Figures:
    """Send requests from ``connections`` concurrent workers until the time runs out."""
    latencies: list[float] = []
    errors = 0
    headers = {"Authorization": f"Bearer {creds.token}"} if target.auth == "bearer" else {}
    cookies = creds.cookie if target.auth == "cookie" else None
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, cookies=cookies, limits=limits, timeout=30
    ) as http:

        async def call() -> httpx.Response:
            return await http.request(target.method, target.path, json=target.body)

        await asyncio.gather(*(call() for _ in range(connections)))  # open the connections
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await call()
                latencies.append(time.perf_counter() - start)
                errors += response.status_code >= 400

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return Figures(
        name=target.name,
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0.0,
        errors=errors,
    )


# --- the runs and the table -----------------------------------------------------------------


def measure(
    driver: str, base: str, target: Target, creds: Credentials, seconds: float, connections: int
) -> Figures:
    if driver == "wrk":
        with tempfile.NamedTemporaryFile("w", suffix=".json") as body:
            json.dump(target.body, body)
            body.flush()
            return wrk(
                base, target, creds, seconds=seconds, connections=connections, body=Path(body.name)
            )
    return asyncio.run(_drive(base, target, creds, seconds=seconds, connections=connections))


def bench_backend(label: str, database_url: str, seconds: float, workers: int, driver: str) -> None:
    email = f"bench-{new_id()[:8]}@example.org"
    token = prepare(database_url, email)
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(database_url, Path(data_dir), port, workers=workers)
        base = f"http://127.0.0.1:{port}"
        try:
            creds = Credentials(token=token, cookie=sign_in(base, email))
            targets = [PING, ASSESS, DASH_API, DASH_PAGE]
            for target in targets:  # warm up: imports, caches, pooled connections
                measure(driver, base, target, creds, 1, CONNECTIONS)
            alone = [measure(driver, base, t, creds, seconds / 2, 1) for t in (DASH_API, DASH_PAGE)]
            loaded = [measure(driver, base, t, creds, seconds, CONNECTIONS) for t in targets]
        finally:
            stop_server(server)
    report(label, workers, driver, seconds, loaded, alone)


def report(
    label: str,
    workers: int,
    driver: str,
    seconds: float,
    loaded: list[Figures],
    alone: list[Figures],
) -> None:
    ping, assess, dash_api, dash_page = loaded
    ratio = assess.throughput / ping.throughput if ping.throughput else 0.0
    load = "wrk -t1 (separate process)" if driver == "wrk" else "httpx in this process"
    plural = "s" if workers > 1 else ""
    print(
        f"\n{label}: {workers} uvicorn worker{plural}, load by {load}, loopback, "
        f"{seconds:g} s per endpoint"
    )
    header = (
        f"  {'endpoint':<36} {'conns':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}"
    )
    print(header + "  aim")
    aims = {
        assess.name: f"≥ 40% of ping ({ratio:.0%} {_mark(ratio >= 0.40)}), "
        f"p99 ≤ 50 ms {_mark(assess.p99_ms <= 50)}",
    }
    for f, conns in [(f, CONNECTIONS) for f in loaded] + [(f, 1) for f in alone]:
        aim = aims.get(f.name, "") if conns > 1 else f"p50 ≤ 20 ms {_mark(f.p50_ms <= 20)}"
        print(
            f"  {f.name:<36} {conns:>5} {f.throughput:>7.0f} {f.p50_ms:>7.1f} {f.p99_ms:>7.1f} "
            f"{f.errors:>6}  {aim}"
        )
    print(
        f"  assessments / ping throughput: {ratio:.0%} (aim ≥ 40%); assessments p99 "
        f"{assess.p99_ms:.1f} ms (aim ≤ 50 ms); dashboard p50 alone: API {alone[0].p50_ms:.1f} ms, "
        f"page {alone[1].p50_ms:.1f} ms (aim ≤ 20 ms; at {CONNECTIONS} connections: "
        f"{dash_api.p50_ms:.1f} / {dash_page.p50_ms:.1f} ms, which is mostly queueing)"
    )


def _mark(met: bool) -> str:
    return "met" if met else "MISSED"


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
    parser.add_argument("--seconds", type=float, default=6.0, help="time bound per endpoint")
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="uvicorn workers")
    parser.add_argument("--driver", choices=["wrk", "httpx"], default="wrk")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    driver = args.driver
    if driver == "wrk" and shutil.which("wrk") is None:
        print(
            "wrk is not installed (Debian: apt-get install wrk): falling back to the httpx "
            "driver in this process, which is itself the bottleneck on a small machine; "
            "its figures are a floor, not the server's capacity."
        )
        driver = "httpx"
    for workers in args.workers:
        if args.only != "postgresql":
            with tempfile.TemporaryDirectory() as tmp:
                bench_backend("SQLite", f"sqlite:///{tmp}/bench.db", args.seconds, workers, driver)
        if args.only != "sqlite" and (url := postgres_url()):
            bench_backend("PostgreSQL", url, args.seconds, workers, driver)


if __name__ == "__main__":
    main()
