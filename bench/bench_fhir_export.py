"""Benchmark the FHIR R4 export of the demo client (60 days of diary, 3 assessments, weekly
SBI, 4 sessions) on a temporary SQLite database, on one core.

Prints, per export, the time to read the record (with its access check and audit row), to
build and check the bundle with fhirclient's R4 models, and to write it as JSON, with the
bundle's size and number of entries. Asserts nothing.

    .venv/bin/python bench/bench_fhir_export.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import User
from sciatica_care.reports import fhir
from sciatica_care.services import fhir_export
from sciatica_care.services.actors import Actor
from sciatica_care.services.demo import DEMO_CLIENT, load_demo


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        load_demo(url)
        database = Database(url)
        read, build, write = [], [], []
        size = entries = 0
        with database.session() as db:
            user = db.scalar(select(User).where(User.email == DEMO_CLIENT[1]))
            assert user is not None
            actor = Actor(user.id, user.clinic_id, user.email, "client")
            for _ in range(args.rounds):
                started = time.perf_counter()
                record = fhir_export.own_record(db, actor=actor)
                read.append(time.perf_counter() - started)
                started = time.perf_counter()
                bundle = fhir.bundle_json(record)
                build.append(time.perf_counter() - started)
                started = time.perf_counter()
                text = json.dumps(bundle, ensure_ascii=False, indent=2)
                write.append(time.perf_counter() - started)
                size, entries = len(text.encode()), len(bundle["entry"])
        database.dispose()
    print(f"demo client: {entries} entries, {size / 1024:.0f} KiB of FHIR JSON")
    print(f"read record   {_ms(read)}")
    print(f"build bundle  {_ms(build)}")
    print(f"write JSON    {_ms(write)}")
    total = [r + b + w for r, b, w in zip(read, build, write, strict=True)]
    print(f"whole export  {_ms(total)}   ({args.rounds} rounds)")


if __name__ == "__main__":
    main()
