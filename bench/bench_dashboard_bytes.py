"""Bytes of the tracking pages for the demo client (a year of check-ins): raw and gzip-compressed.

Loads the demo data into a fresh SQLite file, logs in as the demo client over the API and fetches
/dashboard, /trend, /diary and /diary/new in process (no server). Prints one line per page.

    .venv/bin/python bench/bench_dashboard_bytes.py
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sciatica_care.config import Settings  # noqa: E402
from sciatica_care.services.demo import load_demo  # noqa: E402
from sciatica_care.web.app import create_app  # noqa: E402

PAGES = ("/dashboard", "/trend", "/diary", "/diary/new")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        settings = Settings(
            environment="test",
            database_url=url,
            data_dir=Path(tmp) / "data",
            secret_key="bench secret key that is long enough 0123456789",  # type: ignore[arg-type]
            migrate_on_start=False,
        )
        accounts = load_demo(url)
        _, email, password = next(a for a in accounts if a[0] == "client")
        app = create_app(settings)
        http = TestClient(app)
        login = http.post("/api/v1/auth/login", json={"email": email, "password": password})
        login.raise_for_status()
        print(f"{'page':<14} {'status':>6} {'bytes':>8} {'gzip':>7}")
        for page in PAGES:
            response = http.get(page)
            body = response.content
            packed = len(gzip.compress(body))
            print(f"{page:<14} {response.status_code:>6} {len(body):>8} {packed:>7}")
        app.state.database.dispose()


if __name__ == "__main__":
    main()
