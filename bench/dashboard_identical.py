"""The client's dashboard before and after a change: the same answers byte for byte, the
statements each view sends, and its CPU time in process.

Run the old code and the new on copies of one seeded database (the old code from
``git archive <commit> | tar -x -C /tmp/old`` with ``PYTHONPATH=/tmp/old/src``):

    .venv/bin/python bench/dashboard_identical.py seed URL STATE.json
    .venv/bin/python bench/dashboard_identical.py dump URL STATE.json OUT_DIR
    .venv/bin/python bench/dashboard_identical.py cost URL STATE.json [--views 300]

``seed`` makes the accounts (the load benchmark's year of diary, and the edge cases: nothing
at all, no diary, one check-in, no assessment, and a person with every part the dashboard
shows: several assessments, SBI, PSFS, global ratings, what helped, a safety re-check waiting);
``dump`` writes every dashboard answer (API at several windows, the trend, the page; English
and Korean; a first view that makes the kept trend and later ones that read it) into OUT_DIR,
the CSRF token masked (``diff -r`` two of them); ``cost`` prints the statements and the CPU time
per view of the benchmark's account (the median of ``--views``, time.process_time).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

from accounts_for_bench import bench_token  # noqa: E402
from bench_web import ASSESSMENT, PASSWORD, prepare  # noqa: E402
from sciatica_care.config import Settings  # noqa: E402
from sciatica_care.db.engine import Database  # noqa: E402
from sciatica_care.db.tables import DiaryEntry, new_id, utcnow  # noqa: E402
from sciatica_care.services.accounts import create_user  # noqa: E402
from sciatica_care.web.app import create_app  # noqa: E402

API = "/api/v1"
SECRET = "dashboard-identical-secret-0123456789abcdefghijklmnop"
#: The load benchmark's assessment.
BASE = ASSESSMENT
NOTE = {
    "subjective": "Leg pain worse after sitting.",
    "objective": "Tight piriformis on the left.",
    "assessment": "Improving.",
    "plan": "Again next week.",
    "techniques": ["myofascial_release"],
    "areas_worked": [{"region": "buttock", "side": "left"}],
    "pressure": "light",
    "duration_minutes": 45,
    "leg_pain_before": 7,
    "back_pain_before": 4,
    "leg_pain_after": 4,
    "back_pain_after": 3,
}
#: The answers compared: (name, path); each asked in English and Korean.
VIEWS = (
    ("api-365", f"{API}/dashboard?days=365"),
    ("api-90", f"{API}/dashboard"),
    ("api-30", f"{API}/dashboard?days=30"),
    ("api-400", f"{API}/dashboard?days=400"),
    ("trend-365", f"{API}/trend?days=365"),
    ("page", "/dashboard"),
)
CSRF = re.compile(r'(name="csrftoken" value="|name="csrf-token" content=")[^"]+')


def make_app(url: str, data_dir: Path) -> FastAPI:
    return create_app(
        Settings(
            environment="test",
            database_url=url,
            data_dir=data_dir,
            secret_key=SECRET,  # type: ignore[arg-type]
            migrate_on_start=False,
            rate_limit_sign_in="10000/minute",  # every account signs in in each language
        )
    )


def signed_in(app: FastAPI, email: str, language: str = "en") -> TestClient:
    http = TestClient(app)
    response = http.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    http.headers["x-csrftoken"] = response.json()["csrf_token"]
    http.cookies.set("sc_lang", language)
    http.headers["accept-language"] = language
    return http


def _account(app: FastAPI, email: str, role: str = "client", zone: str | None = None) -> str:
    database: Database = app.state.database
    with database.session() as db:
        user = create_user(db, email=email, password=PASSWORD, role=role)  # type: ignore[arg-type]
        user.email_verified_at = utcnow()
        if zone:
            user.time_zone = zone
        db.commit()
        return user.id


def _diary(app: FastAPI, user_id: str, days: int, *, skip: int = 0) -> None:
    now = utcnow()
    rows = [
        {
            "clinic_id": "default",
            "id": new_id(),
            "user_id": user_id,
            "recorded_at": now - timedelta(days=day, hours=hour),
            "leg_pain": (day * 5 + hour) % 11,
            "back_pain": (day * 3 + hour) % 11,
            "areas": ["buttock"],
            "stretches": ["piriformis_stretch"],
            "massage": [],
            "note": "",
            "created_at": now - timedelta(days=day, hours=hour),
            "updated_at": now - timedelta(days=day, hours=hour),
        }
        for day in range(days)
        if not skip or day % skip
        for hour in (2, 13)
    ]
    database: Database = app.state.database
    with database.session() as db:
        db.execute(insert(DiaryEntry), rows)
        db.commit()


def seed(url: str, state: Path) -> None:
    """The benchmark's account and the edge cases, written to ``url``; their emails to
    ``state``."""
    bench_email = "bench@example.org"
    prepare(url, bench_email)  # migrates, and the load benchmark's year of diary
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp))
        emails = {"bench": bench_email}
        for name in ("empty", "no-diary", "one-entry", "no-assessment", "full"):
            emails[name] = f"{name}@example.org"
        ids = {
            name: _account(app, email, zone="Europe/London" if name == "full" else None)
            for name, email in emails.items()
            if name != "bench"
        }
        tess_id = _account(app, "tess@example.org", role="therapist")
        assert tess_id
        with signed_in(app, emails["no-diary"]) as http:
            assert http.post(f"{API}/assessments", json=BASE).status_code == 200
        with signed_in(app, emails["one-entry"]) as http:
            assert http.post(f"{API}/assessments", json=BASE).status_code == 200
            entry = {"leg_pain": 5, "back_pain": 2, "stretches": ["piriformis_stretch"]}
            assert http.post(f"{API}/diary", json=entry).status_code == 201
        _diary(app, ids["no-assessment"], 20)
        _diary(app, ids["full"], 120, skip=6)
        with signed_in(app, emails["full"]) as http, signed_in(app, "tess@example.org") as tess:
            for changes in ({}, {"leg_pain": 8, "duration_weeks": 9}):
                assert http.post(f"{API}/assessments", json=BASE | changes).status_code == 200
            for week, items in (("2026-01-05", [3, 4, 2, 5]), ("2026-01-12", [2, 3, 2, 4])):
                names = ("leg_pain", "numbness_tingling", "weakness", "sitting_pain")
                body = dict(zip(names, items, strict=True)) | {"week_of": week}
                assert http.post(f"{API}/outcomes/sbi", json=body).status_code == 201
            activities = [{"activity": "sitting", "score": 4}, {"activity": "walking", "score": 6}]
            psfs = http.post(f"{API}/psfs", json={"activities": activities})
            assert psfs.status_code == 201, psfs.text
            assert http.post(f"{API}/global-rating", json={"rating": 2}).status_code == 201
            code = tess.get(f"{API}/therapist/share-code").json()["share_code"]
            shared = http.post(
                f"{API}/sharing", json={"code": code, "scopes": ["assessments", "diary", "notes"]}
            )
            assert shared.status_code == 201, shared.text
            for n, days_ago in enumerate((40, 25, 10)):
                at = (utcnow() - timedelta(days=days_ago)).isoformat()
                note = NOTE | {"session_at": at, "leg_pain_after": 3 + n}
                written = tess.post(f"{API}/clients/{ids['full']}/notes", json=note)
                assert written.status_code == 201, written.text
            # A rise in leg pain: the check-in asks the safety questions, left unanswered.
            checked = http.post(f"{API}/diary", json={"leg_pain": 10, "back_pain": 6})
            assert checked.status_code == 201, checked.text
        app.state.database.dispose()
    state.write_text(json.dumps(emails, indent=1))


def dump(url: str, state: Path, out: Path) -> None:
    emails: dict[str, str] = json.loads(state.read_text())
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp))
        for name, email in emails.items():
            clients = {lang: signed_in(app, email, lang) for lang in ("en", "ko")}
            # Three rounds: the first view makes each kept trend, the later ones read it.
            for round_ in range(3):
                for lang, http in clients.items():
                    for view, path in VIEWS:
                        response = http.get(path)
                        body = response.text
                        if view == "page":
                            body = CSRF.sub(r"\1-", body)
                        target = out / f"{name}.{view}.{lang}.{round_}"
                        target.write_text(f"{response.status_code}\n{body}")
            for http in clients.values():
                http.close()
        app.state.database.dispose()


@contextmanager
def statements(app: FastAPI) -> Iterator[list[str]]:
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    engine = app.state.database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def cost(url: str, state: Path, views: int, show: bool) -> None:
    """Statements and CPU time per view of the benchmark's account (API by token, as the
    load benchmark asks it, and the page by session cookie)."""
    emails: dict[str, str] = json.loads(state.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp))
        database: Database = app.state.database
        with database.session() as db:
            token = bench_token(db, email=emails["bench"], password=PASSWORD, scope="read")
        api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        page = signed_in(app, emails["bench"])
        for name, http, path in (
            ("API  /api/v1/dashboard?days=365", api, f"{API}/dashboard?days=365"),
            ("page /dashboard", page, "/dashboard"),
        ):
            for _ in range(20):
                http.get(path).raise_for_status()
            with statements(app) as sent:
                http.get(path).raise_for_status()
            if show:
                print("\n".join(" ".join(s.split())[:160] for s in sent))
            cpu = []
            for _ in range(views):
                started = time.process_time()
                http.get(path)
                cpu.append((time.process_time() - started) * 1000)
            print(
                f"{name}: {len(sent)} statements; CPU per view median "
                f"{statistics.median(cpu):.2f} ms, fastest {min(cpu):.2f} ms ({views} views)"
            )
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["seed", "dump", "cost"])
    parser.add_argument("url")
    parser.add_argument("state", type=Path)
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument("--show", action="store_true", help="print the statements of one view")
    args = parser.parse_args()
    if args.what == "seed":
        seed(args.url, args.state)
    elif args.what == "dump":
        dump(args.url, args.state, args.out)
    else:
        cost(args.url, args.state, args.views, args.show)


if __name__ == "__main__":
    main()
