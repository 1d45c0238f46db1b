"""Row 2's floor: what a stored write's HTTP exchange costs with none of its work.

Row 2 compares ``POST /api/v1/assessments`` (signed in, evaluated, stored) with the app's
``GET /api/v1/ping``. Part of that gap is not work at all: the write receives a JSON body of
about 300 bytes and sends back the whole result, about 22 KB, where ping sends 15 bytes. This
script measures that part alone. A bare FastAPI app (``bench/bare_app.py``: no middleware, no
database) takes the same request (body, bearer header) and answers with the very bytes the app
answered to it; its ping is measured beside it, in turns, by ``wrk`` at 32 connections.

It prints, per round, both throughputs and their ratio, then a row for the issue-12 table: the
share of ping that a write reaches when it does nothing but this exchange. No design that
answers with the result can beat it; the app's stored write, in the same run, shows how much of
the rest is the write's own work (microseconds a request over the floor).

Run: .venv/bin/python bench/write_floor.py [--seconds 3] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.bench_web import (  # noqa: E402
    ASSESS,
    ASSESSMENT,
    CONNECTIONS,
    PING,
    Credentials,
    Figures,
    measure,
    prepare,
    start_bare,
)
from bench.rows import Row, print_rows  # noqa: E402
from tests.integration.server_process import free_port, start_server, stop_server  # noqa: E402

from sciatica_care.db.tables import new_id  # noqa: E402


@dataclass(frozen=True)
class Floor:
    """Per round, in turns: the bare app's ping and its write, and the app's stored write."""

    bare_pings: list[Figures]
    bare_writes: list[Figures]
    app_writes: list[Figures]
    answer_bytes: int

    @property
    def ratios(self) -> list[float]:
        return [
            w.throughput / p.throughput if p.throughput else 0.0
            for w, p in zip(self.bare_writes, self.bare_pings, strict=True)
        ]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @staticmethod
    def per_request_us(figures: list[Figures]) -> float:
        """Microseconds a request at the median throughput (one process serving)."""
        return 1e6 / statistics.median(f.throughput for f in figures)


def floor(seconds: float = 3.0, rounds: int = 3) -> Floor:
    """Start the app (SQLite, one worker) and the bare app; measure in turns."""
    os.environ["SCIATICA_CARE_RATE_LIMIT_ASSESSMENT"] = "100000000/minute"
    with tempfile.TemporaryDirectory() as data_dir:
        url = f"sqlite:///{data_dir}/floor.db"
        creds = Credentials(token=prepare(url, f"bench-{new_id()[:8]}@example.org"), cookie={})
        port = free_port()
        app = start_server(url, Path(data_dir), port)
        app_base = f"http://127.0.0.1:{port}"
        bare: subprocess.Popen[bytes] | None = None
        try:
            answer = httpx.post(
                app_base + ASSESS.path,
                json=ASSESSMENT,
                headers={"Authorization": f"Bearer {creds.token}"},
                timeout=30,
            )
            answer.raise_for_status()
            answer_file = Path(data_dir) / "answer.json"
            answer_file.write_bytes(answer.content)
            bare, bare_base = start_bare(answer_file)
            for base, target in ((bare_base, PING), (bare_base, ASSESS), (app_base, ASSESS)):
                measure("wrk", base, target, creds, 1, CONNECTIONS)  # warm up
            pings, writes, stored = [], [], []
            for _ in range(rounds):
                pings.append(measure("wrk", bare_base, PING, creds, seconds, CONNECTIONS))
                writes.append(measure("wrk", bare_base, ASSESS, creds, seconds, CONNECTIONS))
                stored.append(measure("wrk", app_base, ASSESS, creds, seconds, CONNECTIONS))
        finally:
            stop_server(app)
            if bare is not None:
                stop_server(bare)
    return Floor(pings, writes, stored, len(answer.content))


def rows(seconds: float = 3.0, rounds: int = 3, app_ping: float | None = None) -> list[Row]:
    """The floor as rows for the issue-12 table (figures without an aim). ``app_ping``: the
    app's ping in req/s, measured in the same run, to say what row 2's aim leaves a write."""
    found = floor(seconds, rounds)
    bare_write = statistics.median(f.throughput for f in found.bare_writes)
    bare_ping = statistics.median(f.throughput for f in found.bare_pings)
    floor_us = Floor.per_request_us(found.bare_writes)
    stored_us = Floor.per_request_us(found.app_writes)
    allowed = (
        f"; at 40% of the app's ping a write may take {1e6 / (0.4 * app_ping):,.0f} µs"
        if app_ping
        else ""
    )
    return [
        Row(
            "floor: the write's HTTP exchange alone vs ping (bare app)",
            f"{bare_write:,.0f} vs {bare_ping:,.0f} req/s ({found.answer_bytes:,} bytes answered; "
            f"median of {rounds} rounds: " + ", ".join(f"{r:.0%}" for r in found.ratios) + ")",
            f"{found.ratio:.0%}",
            "(the same request and answer, no work)",
            True,
        ),
        Row(
            "the stored write's own work, over that floor (SQLite, 1 worker)",
            f"{stored_us:,.0f} µs a write vs {floor_us:,.0f} µs the exchange alone{allowed}",
            f"{stored_us - floor_us:,.0f} µs",
            "(for information)",
            True,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print_rows(rows(args.seconds, args.rounds), title="row 2's floor")


if __name__ == "__main__":
    main()
