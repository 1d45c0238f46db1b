"""Web benchmark (issue 12, rows 1, 2, 5 and 6 in one run): throughput and p50/p99 latency.

The app runs in a uvicorn process on 127.0.0.1; the load comes from ``wrk`` (Debian package
``wrk``), a separate process on loopback, 32 connections, bounded in time per endpoint; the Lua
scripts in ``bench/wrk/`` add the JSON body, the bearer token and the session cookie. Without wrk
the script says so and falls back to an asyncio + httpx driver in this process (a floor).
Measured on SQLite, then on PostgreSQL when reachable, one worker (``--workers 1 2`` adds runs):
- GET  /api/v1/ping                   (bare JSON; also from a bare FastAPI app, bench/bare_app.py)
- POST /api/v1/assessments            (signed in by token: evaluated and stored)
- GET  /api/v1/dashboard?days=365     (a year of diary entries behind it)
- GET  /dashboard                     (the dashboard page, signed in by session cookie)
and the two dashboards again one connection at a time (latency without queueing); the
assessments again with the workers ``sciatica-care serve`` starts by default. Then, in process,
rows 5 and 6 (bench/rows.py). The closing table gives each row's figures, ratio and aim.
The per-address rate limit on assessments is lifted for the server under test.

Run: .venv/bin/python bench/bench_web.py [--seconds 6] [--workers 1 2] [--driver wrk|httpx]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.httpx_driver import drive  # noqa: E402
from bench.rows import Row, cli_row, core_row, print_rows, throughput_row  # noqa: E402
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
    analyse(database_url)
    return token


def analyse(database_url: str) -> None:
    """Gather the planner's statistics on a freshly seeded PostgreSQL database, as autovacuum
    would on a deployed server (a server with autovacuum off would otherwise plan every
    benchmark query from an empty table's guesses). SQLite plans without statistics."""
    if not database_url.startswith("postgresql"):
        return
    database = Database(database_url)
    with database.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    database.dispose()


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
    headers = {"Authorization": f"Bearer {creds.token}"} if target.auth == "bearer" else {}
    cookies = creds.cookie if target.auth == "cookie" else None
    sample = drive(
        base,
        target.method,
        target.path,
        body=target.body,
        headers=headers,
        cookies=cookies,
        seconds=seconds,
        connections=connections,
    )
    return Figures(target.name, *sample)


@dataclass(frozen=True)
class PingPair:
    """Row 1: the app's ping and the bare app's, measured in alternation (``rounds`` pairs, each
    side ``seconds`` at a time), so that both meet the same moments of a noisy machine."""

    app: Figures
    bare: Figures
    ratios: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def start_bare(answer: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """The bare app (``bench/bare_app.py``) on a free port, once it answers; ``answer``: the
    file whose bytes its ``POST /api/v1/assessments`` answers with (``write_floor.py``)."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bare_app:app", "--app-dir", str(ROOT / "bench")]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    env = {**os.environ, "BENCH_BARE_ANSWER": str(answer)} if answer else None
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the bare app exited with {server.returncode}")
        try:
            if httpx.get(base + PING.path, timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the bare app did not answer within 30 s")


def ping_vs_bare(seconds: float, driver: str, rounds: int = 3) -> PingPair:
    """Row 1: the app (SQLite, one worker) and a bare FastAPI app (bench/bare_app.py) answering
    the same JSON, both serving, measured in turns; the ratio is the median of the rounds'."""
    bare_server, bare_base = start_bare()
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        app_server = start_server(f"sqlite:///{data_dir}/ping.db", Path(data_dir), port)
        app_base = f"http://127.0.0.1:{port}"
        creds = Credentials(token="", cookie={})
        try:
            for base in (app_base, bare_base):  # warm up
                measure(driver, base, PING, creds, 1, CONNECTIONS)
            apps, bares = [], []
            for _ in range(rounds):
                apps.append(measure(driver, app_base, PING, creds, seconds, CONNECTIONS))
                bares.append(measure(driver, bare_base, PING, creds, seconds, CONNECTIONS))
        finally:
            stop_server(app_server)
            stop_server(bare_server)
    ratios = [
        a.throughput / b.throughput if b.throughput else 0.0
        for a, b in zip(apps, bares, strict=True)
    ]
    middle = sorted(range(rounds), key=lambda i: ratios[i])[rounds // 2]
    bare = replace(bares[middle], name="GET  /api/v1/ping (bare FastAPI app)")
    return PingPair(apps[middle], bare, ratios)


def bench_backend(
    label: str,
    database_url: str,
    seconds: float,
    workers: int,
    driver: str,
    targets: tuple[Target, ...] = (PING, ASSESS, DASH_API, DASH_PAGE),
    serve: bool = False,
) -> list[Figures]:
    """Measure ``targets`` at 32 connections (and the dashboards alone); print; return the
    loaded figures in the order of ``targets``. ``serve``: the processes started as
    ``sciatica-care serve`` starts them (each listening on a socket of its own)."""
    email = f"bench-{new_id()[:8]}@example.org"
    token = prepare(database_url, email)
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(database_url, Path(data_dir), port, workers=workers, serve=serve)
        base = f"http://127.0.0.1:{port}"
        try:
            creds = Credentials(token=token, cookie=sign_in(base, email))
            for target in targets:  # warm up: imports, caches, pooled connections
                measure(driver, base, target, creds, 1, CONNECTIONS)
            dashboards = [t for t in (DASH_API, DASH_PAGE) if t in targets]
            alone = [measure(driver, base, t, creds, seconds / 2, 1) for t in dashboards]
            loaded = [measure(driver, base, t, creds, seconds, CONNECTIONS) for t in targets]
        finally:
            stop_server(server)
    report(label, workers, driver, seconds, loaded, alone, serve)
    return loaded


def report(
    label: str,
    workers: int,
    driver: str,
    seconds: float,
    loaded: list[Figures],
    alone: list[Figures],
    serve: bool = False,
) -> None:
    load = "wrk -t1 (separate process)" if driver == "wrk" else "httpx in this process"
    plural = "s" if workers > 1 else ""
    how = " (sciatica-care serve)" if serve else ""
    print(
        f"\n{label}: {workers} uvicorn worker{plural}{how}, load by {load}, loopback, "
        f"{seconds:g} s per endpoint"
    )
    print(f"  {'endpoint':<36} {'conns':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for f, conns in [(f, CONNECTIONS) for f in loaded] + [(f, 1) for f in alone]:
        print(
            f"  {f.name:<36} {conns:>5} {f.throughput:>7.0f} {f.p50_ms:>7.1f} {f.p99_ms:>7.1f} "
            f"{f.errors:>6}"
        )
    if len(alone) == 2:
        print(
            f"  dashboard p50 alone: API {alone[0].p50_ms:.1f} ms, page {alone[1].p50_ms:.1f} ms "
            f"(aim ≤ 10 ms; at {CONNECTIONS} connections: {loaded[2].p50_ms:.1f} / "
            f"{loaded[3].p50_ms:.1f} ms, which is mostly queueing)"
        )


def default_workers(database_url: str) -> int:
    """The workers ``sciatica-care serve`` starts by default for this database."""
    try:
        from sciatica_care.web.server import default_workers as chosen
    except ImportError:  # before ``serve --workers`` existed: one
        return 1
    return chosen(database_url)


def write_rows(
    label: str, ping: Figures, assess: Figures, workers: int, at_default: Figures
) -> list[Row]:
    """Row 2 for one database: the stored assessment against the app's ping (one worker), and
    its p99 at 32 connections with the default workers."""
    return [
        throughput_row(
            f"POST /api/v1/assessments vs the app's ping ({label})",
            assess.throughput,
            ping.throughput,
            0.40,
            "1 worker",
        ),
        Row(
            f"POST /api/v1/assessments p99, {CONNECTIONS} conns, {workers} worker(s) ({label})",
            f"{at_default.throughput:,.0f} req/s, p50 {at_default.p50_ms:.1f} ms, "
            f"errors {at_default.errors}",
            f"p99 {at_default.p99_ms:.0f} ms",
            "<= 100 ms",
            at_default.p99_ms <= 100,
        ),
    ]


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
    parser.add_argument(
        "--skip-dashboard", action="store_true", help="leave out rows 3-4 (bench_dashboard_load)"
    )
    args = parser.parse_args()
    driver = args.driver
    if driver == "wrk" and shutil.which("wrk") is None:
        print(
            "wrk is not installed (Debian: apt-get install wrk): falling back to the httpx "
            "driver in this process, which is itself the bottleneck on a small machine; "
            "its figures are a floor, not the server's capacity."
        )
        driver = "httpx"
    # The per-address limit on assessments (60/minute) would answer nearly every bench request 429.
    os.environ["SCIATICA_CARE_RATE_LIMIT_ASSESSMENT"] = "100000000/minute"
    rows: list[Row] = []
    pair = ping_vs_bare(args.seconds / 2, driver)
    print(
        f"\nping, the app (SQLite, 1 worker) and a bare FastAPI app in turns, "
        f"{args.seconds / 2:g} s each: "
        + ", ".join(f"{r:.0%}" for r in pair.ratios)
        + f" (median pair: {pair.app.throughput:,.0f} vs {pair.bare.throughput:,.0f} req/s, "
        f"p99 {pair.app.p99_ms:.1f} / {pair.bare.p99_ms:.1f} ms)"
    )
    backends = []
    if args.only != "postgresql":
        tmp = tempfile.mkdtemp()
        backends.append(("SQLite", f"sqlite:///{tmp}/bench.db", tmp))
    if args.only != "sqlite" and (url := postgres_url()):
        backends.append(("PostgreSQL", url, ""))
    for label, url, tmp in backends:
        runs = {w: bench_backend(label, url, args.seconds, w, driver) for w in args.workers}
        ping, assess = runs.get(1, next(iter(runs.values())))[:2]
        if label == "SQLite":
            rows.append(
                throughput_row(
                    "GET /api/v1/ping vs a bare FastAPI app",
                    pair.app.throughput,
                    pair.bare.throughput,
                    0.70,
                    f"SQLite, 1 worker; median of {len(pair.ratios)} rounds in turns",
                )
            )
        chosen = default_workers(url)
        if chosen not in runs or chosen > 1:  # several: started as serve starts them
            if label == "PostgreSQL":
                postgres_url()  # a clean database again
            runs[chosen] = bench_backend(
                label, url, args.seconds, chosen, driver, (PING, ASSESS), serve=True
            )
        rows += write_rows(label, ping, assess, chosen, runs[chosen][1])
        if label == "SQLite":  # how much of row 2's gap is the HTTP exchange, how much work
            from bench.write_floor import rows as floor_rows

            rows += floor_rows(args.seconds / 2, app_ping=ping.throughput)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    rows += [core_row(), cli_row()]
    if not args.skip_dashboard:  # rows 3 and 4, so one run prints the whole issue-12 table
        from bench.bench_dashboard_load import rows as dashboard_rows

        rows += [
            Row(
                r.what,
                f"{r.req_per_s:,.0f} req/s at {r.connections} conns, p99 {r.p99_ms:.0f} ms, "
                f"errors {r.errors}",
                f"p50 {r.p50_ms:.1f} ms",
                r.aim,
                r.met,
            )
            for r in dashboard_rows(seconds=args.seconds, only=args.only)
        ]
    print_rows(rows)


if __name__ == "__main__":
    main()
