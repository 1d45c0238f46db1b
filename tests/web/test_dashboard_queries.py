"""The client's dashboard asks the database a fixed, small number of questions however long the
diary (the assessments, the outcome measures and the diary's marks one query each:
``services/dashboard_reads.py``), and those merged reads give exactly what the separate queries
of the other views give, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, new_id, utcnow
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.services import dashboard_reads, diary, follow_up, outcomes
from sciatica_care.services.assessments import outcome_of
from tests.conftest import baseline
from tests.web.conftest import SignIn
from tests.web.consent import API, user_id
from tests.web.statements import statements

#: Sign-in (the session), the audit row, the assessments (with the first one's time, which keys
#: the kept trend), what helped (the session notes), the outcome measures, the kept trend (the
#: diary version with the read-out), the recent check-ins with the diary's marks; the page also
#: asks for the next appointment. (Before: 16 and 17, then 8 and 9.)
API_STATEMENTS = 7
PAGE_STATEMENTS = 8


def _diary(app: FastAPI, client_id: str, days: int) -> None:
    now = utcnow()
    rows = [
        {
            "clinic_id": "default",
            "id": new_id(),
            "user_id": client_id,
            "recorded_at": now - timedelta(days=day, hours=hour),
            "leg_pain": (day * 7 + hour) % 11,
            "back_pain": (day * 3 + hour) % 11,
        }
        for day in range(days)
        for hour in (3, 15)
    ]
    database: Database = app.state.database
    with database.session() as db:
        db.execute(insert(DiaryEntry), rows)
        db.commit()


def _count(app: FastAPI, http: TestClient, path: str) -> int:
    http.get(path)  # warm: the first view makes the kept trend
    with statements(app) as sent:
        response = http.get(path)
    assert response.status_code == 200
    return len(sent)


def test_the_dashboard_asks_the_same_few_questions_for_a_day_or_a_year_of_diary(
    app: FastAPI, sign_in: SignIn
) -> None:
    counts: dict[tuple[str, int], int] = {}
    for n, days in enumerate((1, 365)):
        http = sign_in(f"client{n}@example.org")
        assert http.post(f"{API}/assessments", json=baseline()).status_code == 200
        _diary(app, user_id(http), days)
        for path in (f"{API}/dashboard?days=365", "/dashboard"):
            counts[path, days] = _count(app, http, path)
    assert counts[f"{API}/dashboard?days=365", 1] == API_STATEMENTS
    assert counts[f"{API}/dashboard?days=365", 365] == API_STATEMENTS
    assert counts["/dashboard", 1] == PAGE_STATEMENTS
    assert counts["/dashboard", 365] == PAGE_STATEMENTS


def _separate_and_merged(app: FastAPI, client_id: str) -> tuple[Any, Any]:
    """What the other views' separate queries read, and what the dashboard's merged reads
    give in their place."""
    database: Database = app.state.database
    zone = zone_named("Europe/London")
    today = utcnow().date()
    with database.session() as db:
        mine = (AssessmentRecord.clinic_id == "default", AssessmentRecord.user_id == client_id)
        record = db.scalars(
            select(AssessmentRecord).where(*mine).order_by(AssessmentRecord.created_at.desc())
        ).first()
        latest = outcome_of(record).assessment if record else None
        separate = (
            record.id if record else None,
            db.scalar(select(func.count()).select_from(AssessmentRecord).where(*mine)),
            follow_up.recheck_status_of(db, clinic_id="default", user_id=client_id, latest=latest),
            follow_up.started_on(db, clinic_id="default", client_id=client_id, zone=zone),
            outcomes.sbi_of(db, clinic_id="default", client_id=client_id)[0],
            outcomes.summary_of(db, clinic_id="default", client_id=client_id, today=today),
            [e.id for e in diary.entries_of(db, clinic_id="default", client_id=client_id, limit=5)],
        )
        read = dashboard_reads.assessments_of(db, clinic_id="default", user_id=client_id)
        recent, marks = dashboard_reads.recent_and_marks(
            db, clinic_id="default", user_id=client_id, recent=5
        )
        measures = dashboard_reads.measures_of(db, clinic_id="default", client_id=client_id)
        at = read.latest.created_at if read.latest else None
        answered = max((t for t in (marks.last_checked_at, at) if t), default=None)
        merged = (
            read.latest.id if read.latest else None,
            read.count,
            follow_up.recheck_status_from(
                answered, latest=latest, pending_entry_id=marks.pending_after(answered)
            ),
            follow_up.start_from((read.first_at, marks.first_at), zone),
            measures[outcomes.SBI],
            outcomes.summary_from(
                measures[outcomes.PSFS], measures[outcomes.GLOBAL_RATING], today=today
            ),
            [e.id for e in recent],
        )
        db.commit()
    return separate, merged


def test_the_merged_reads_give_what_the_separate_queries_give(
    app: FastAPI, sign_in: SignIn
) -> None:
    http = sign_in("alice@example.org")
    client_id = user_id(http)
    steps: list[Any] = [
        lambda: None,  # nothing at all
        lambda: http.post(f"{API}/diary", json={"leg_pain": 3, "back_pain": 2}),  # asks: weekly
        lambda: http.post(f"{API}/assessments", json=baseline()),  # answers it
        lambda: http.post(f"{API}/assessments", json=baseline(leg_pain=6)),
        lambda: _diary(app, client_id, 20),
        lambda: http.post(f"{API}/outcomes/sbi", json=_sbi("2026-01-05", 3)),
        lambda: http.post(f"{API}/outcomes/sbi", json=_sbi("2026-01-12", 2)),
        lambda: http.post(f"{API}/psfs", json={"activities": [{"activity": "sit", "score": 4}]}),
        lambda: http.post(f"{API}/global-rating", json={"rating": 1}),
    ]
    for step in steps:
        step()
        separate, merged = _separate_and_merged(app, client_id)
        assert merged == separate
    # A check-in that asks the safety questions again (leg pain up 2 points on the week's
    # mean), waiting; then answered (no to each): nothing waits any more.
    entry = http.post(f"{API}/diary", json={"leg_pain": 10, "back_pain": 2}).json()
    separate, merged = _separate_and_merged(app, client_id)
    assert merged == separate
    assert merged[2].pending_entry_id == entry["id"]
    questions = [q["id"] for q in entry["safety_check"]["questions"]]
    answered = http.post(
        f"{API}/diary/{entry['id']}/safety-check",
        json={"answers": dict.fromkeys(questions, False)},
    )
    assert answered.status_code == 200, answered.text
    separate, merged = _separate_and_merged(app, client_id)
    assert merged == separate
    assert merged[2].pending_entry_id is None


def _sbi(week: str, score: int) -> dict[str, Any]:
    items = ("leg_pain", "numbness_tingling", "weakness", "sitting_pain")
    return dict.fromkeys(items, score) | {"week_of": week}
