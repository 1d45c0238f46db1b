"""The doctor's report for the demo client (a year of check-ins, scores, sessions): time to make
the PDF end to end (access check, gathering, HTML, WeasyPrint), its size and pages, and the
process's peak memory.

Loads the demo data into a fresh SQLite file, signs in as the demo client over the API and asks
``GET /api/v1/report.pdf`` in process (no server), one request at a time. Prints figures, asserts
nothing.

    .venv/bin/python bench/bench_report_pdf.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sciatica_care.config import Settings  # noqa: E402
from sciatica_care.services.demo import load_demo  # noqa: E402
from sciatica_care.web.app import create_app  # noqa: E402


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        settings = Settings(
            environment="test",
            database_url=url,
            data_dir=Path(tmp) / "data",
            secret_key="bench secret key that is long enough 0123456789",  # type: ignore[arg-type]
            migrate_on_start=False,
            rate_limit_report="1000/minute",
        )
        accounts = load_demo(url)
        _, email, password = next(a for a in accounts if a[0] == "client")
        app = create_app(settings)
        http = TestClient(app)
        http.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        ).raise_for_status()
        started = time.perf_counter()
        first = http.get("/api/v1/report.pdf")
        cold = time.perf_counter() - started
        first.raise_for_status()
        samples = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            response = http.get("/api/v1/report.pdf")
            samples.append(time.perf_counter() - started)
            response.raise_for_status()
        ordered = sorted(samples)
        pages = len(PdfReader(io.BytesIO(first.content)).pages)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"doctor's report, demo client: {len(first.content):,} bytes, {pages} pages")
        print(f"first (fonts and templates loaded): {cold * 1000:.0f} ms")
        print(
            f"then {args.rounds} rounds: median {statistics.median(ordered) * 1000:.0f} ms, "
            f"p95 {_percentile(ordered, 0.95) * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms ({1 / statistics.median(ordered):.1f} reports/s "
            "on one core)"
        )
        print(f"peak memory of the process: {peak_mb:.0f} MB")
        app.state.database.dispose()


if __name__ == "__main__":
    main()
