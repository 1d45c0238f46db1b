"""Stored writes alone, round after round: ``POST /api/v1/assessments`` (signed in by token,
evaluated and stored) at 32 connections by ``wrk``, against one server started once.

For each round it prints requests a second, p50 and p99, the server's CPU time per request
(its processes' user + system time from ``/proc``), and with several processes how the 32
connections split between them (counted from ``/proc`` in the middle of the round). Run it on
the old code and the new in turns (``PYTHONPATH=/tmp/old/src``) to compare them on a noisy
machine.

Run: .venv/bin/python bench/bench_writes.py [--database sqlite|postgresql] [--workers 2]
     [--serve] [--rounds 4] [--seconds 6]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.bench_web import ASSESS, CONNECTIONS, Credentials, measure, postgres_url, prepare  # noqa: E402
from tests.integration.proc_sockets import children_of, connections_held  # noqa: E402
from tests.integration.server_process import free_port, start_server, stop_server  # noqa: E402

from sciatica_care.db.tables import new_id  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system time of ``pids`` so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def split(parent: int, port: int) -> list[int]:
    """How many of the established connections to ``port`` each app process holds."""
    held = connections_held([parent, *children_of(parent)], port)
    return sorted(n for n in held.values() if n)


def one_round(
    server: int, port: int, base: str, creds: Credentials, seconds: float, workers: int
) -> str:
    """One wrk run of stored writes; its figures as a line."""
    pids = [server, *children_of(server)]
    before = cpu_seconds(pids)
    seen: list[list[int]] = []
    counter = threading.Timer(seconds / 2, lambda: seen.append(split(server, port)))
    counter.start()
    figures = measure("wrk", base, ASSESS, creds, seconds, CONNECTIONS)
    counter.join()
    cpu = (cpu_seconds(pids) - before) / max(1, figures.requests) * 1000
    shown = f", split {seen[0]}" if workers > 1 and seen else ""
    return (
        f"{figures.throughput:6.0f} req/s, p50 {figures.p50_ms:6.1f} ms, "
        f"p99 {figures.p99_ms:6.1f} ms, CPU {cpu:.2f} ms a request, "
        f"errors {figures.errors}{shown}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--serve", action="store_true", help="start as `sciatica-care serve`")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    os.environ["SCIATICA_CARE_RATE_LIMIT_ASSESSMENT"] = "100000000/minute"
    with tempfile.TemporaryDirectory() as data_dir:
        url = f"sqlite:///{data_dir}/writes.db"
        if args.database == "postgresql":
            found = postgres_url()
            if found is None:
                return
            url = found
        token = prepare(url, f"bench-{new_id()[:8]}@example.org")
        port = free_port()
        server = start_server(url, Path(data_dir), port, workers=args.workers, serve=args.serve)
        base = f"http://127.0.0.1:{port}"
        how = "sciatica-care serve" if args.serve else "uvicorn"
        print(f"{args.database}, {args.workers} process(es) ({how}), {CONNECTIONS} connections")
        try:
            creds = Credentials(token=token, cookie={})
            measure("wrk", base, ASSESS, creds, 2, CONNECTIONS)  # warm up
            for round_ in range(1, args.rounds + 1):
                line = one_round(server.pid, port, base, creds, args.seconds, args.workers)
                print(f"  round {round_}: {line}")
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
