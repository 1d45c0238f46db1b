"""Sign-in flood: what 80 sign-ins with fresh emails (40 at a time) cost the server.

The app runs in a uvicorn process (one worker, SQLite) on 127.0.0.1; the flood comes from this
process with httpx while a ping is timed every 50 ms. Printed per scenario: the answers by
status, the server's CPU seconds (from /proc), its peak memory, and the slowest ping.
- defaults: the per-address limit (10/minute) refuses most of the flood at once (429);
- many addresses: the per-address limit lifted, as if each sign-in came from its own address:
  the hashing slots (2, 5 s wait) and the global limit bound the work.
Linux only (reads /proc). Run: .venv/bin/python bench/bench_login_flood.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.server_process import free_port, start_server, stop_server  # noqa: E402

from sciatica_care.db.migrate import upgrade  # noqa: E402

REQUESTS = 80
PARALLEL = 40
SCENARIOS: dict[str, dict[str, str]] = {
    "defaults": {},
    "many addresses": {"SCIATICA_CARE_RATE_LIMIT_SIGN_IN": "100000/minute"},
}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def flood(base: str) -> tuple[Counter[int], float]:
    statuses: Counter[int] = Counter()
    slowest = 0.0
    done = asyncio.Event()
    gate = asyncio.Semaphore(PARALLEL)
    limits = httpx.Limits(max_connections=PARALLEL + 2)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:

        async def one(n: int) -> None:
            async with gate:
                answer = await http.post(
                    "/api/v1/auth/login",
                    json={"email": f"flood{n}@example.org", "password": "not the password"},
                )
                statuses[answer.status_code] += 1

        async def ping() -> None:
            nonlocal slowest
            async with httpx.AsyncClient(base_url=base, timeout=120) as pinger:
                while not done.is_set():
                    start = time.perf_counter()
                    await pinger.get("/api/v1/ping")
                    slowest = max(slowest, time.perf_counter() - start)
                    await asyncio.sleep(0.05)

        pinger = asyncio.create_task(ping())
        await asyncio.gather(*(one(n) for n in range(REQUESTS)))
        done.set()
        await pinger
    return statuses, slowest


def main() -> None:
    for name, env in SCENARIOS.items():
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            upgrade(url)
            port = free_port()
            saved = dict(os.environ)
            os.environ.update(env)
            try:
                server = start_server(url, Path(folder), port)
            finally:
                os.environ.clear()
                os.environ.update(saved)
            try:
                before = cpu_seconds(server.pid)
                started = time.perf_counter()
                statuses, slowest = asyncio.run(flood(f"http://127.0.0.1:{port}"))
                took = time.perf_counter() - started
                cpu = cpu_seconds(server.pid) - before
                memory = peak_memory_mb(server.pid)
            finally:
                stop_server(server)
        answers = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        print(
            f"{name:15} {REQUESTS} sign-ins ({PARALLEL} at a time) in {took:.1f} s: {answers}; "
            f"server CPU {cpu:.1f} s, peak memory {memory:.0f} MB, slowest ping {slowest:.2f} s"
        )


if __name__ == "__main__":
    main()
