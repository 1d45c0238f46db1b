"""The therapist's client list asks the database a fixed number of questions however many
clients share (no query per client), on SQLite and PostgreSQL; and its figures are those of the
client page, which reads one client at a time."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import AuditEvent, DiaryEntry, new_id, utcnow
from tests.conftest import baseline
from tests.web.conftest import SignIn
from tests.web.consent import API, share, user_id, write_note
from tests.web.statements import statements

ZONES = ("Europe/London", "America/New_York", "Australia/Sydney")


def _add_client(app: FastAPI, sign_in: SignIn, tess: TestClient, n: int) -> str:
    """A client in one of three zones who shares everything, with an assessment, 40 days of
    diary (a day missed now and then) and, for every other client, a session note."""
    http = sign_in(f"client{n}@example.org")
    assert http.patch(f"{API}/me", json={"time_zone": ZONES[n % 3]}).status_code == 200
    assert http.post(f"{API}/assessments", json=baseline(leg_pain=n % 10)).status_code == 200
    share(http, tess)
    client_id = user_id(http)
    now = utcnow()
    rows = [
        {
            "clinic_id": "default",
            "id": new_id(),
            "user_id": client_id,
            "recorded_at": now - timedelta(days=day, hours=hour),
            "leg_pain": (day + n) % 11,
            "back_pain": (day * 3 + hour) % 11,
        }
        for day in range(40)
        if day % 5 != n % 5
        for hour in (3, 15)
    ]
    database: Database = app.state.database
    with database.session() as db:
        db.execute(insert(DiaryEntry), rows)
        db.commit()
    if n % 2:
        write_note(tess, client_id)
    return client_id


def test_the_client_list_asks_the_same_number_of_questions_for_2_or_7_clients(
    app: FastAPI, sign_in: SignIn, tess: TestClient
) -> None:
    counts = {}
    clients = []
    for size in (2, 7):
        while len(clients) < size:
            clients.append(_add_client(app, sign_in, tess, len(clients)))
        for path in ("/therapist/clients", f"{API}/therapist/clients"):
            tess.get(path)  # warm: the first request may load what is cached
            with statements(app) as sent:
                response = tess.get(path)
            assert response.status_code == 200
            counts[size, path] = len(sent)
    assert counts[2, "/therapist/clients"] == counts[7, "/therapist/clients"]
    assert counts[2, f"{API}/therapist/clients"] == counts[7, f"{API}/therapist/clients"]


def test_the_list_shows_each_client_s_figures_as_their_client_page_does(
    app: FastAPI, sign_in: SignIn, tess: TestClient
) -> None:
    ids = [_add_client(app, sign_in, tess, n) for n in range(4)]
    listed = {row["client_id"]: row for row in tess.get(f"{API}/therapist/clients").json()}
    assert set(listed) == set(ids)
    for client_id in ids:
        page = tess.get(f"{API}/therapist/clients/{client_id}").json()
        row = listed[client_id]
        assert row["leg_pain"] == page["trend"]["leg"]["current"]
        assert row["back_pain"] == page["trend"]["back"]["current"]
        assert row["trend_verdict"] == page["trend"]["leg"]["verdict"]
        assert row["not_settling"] == page["follow_up"]["not_settling"]
        assert row["not_improving"] == page["follow_up"]["not_improving"]
        assert row["follow_up"] == page["follow_up"]["reasons"]
        assert row["triage_level"] == page["latest"]["result"]["triage"]["level"]


def test_one_read_of_the_consents_decides_and_audits_the_list_and_what_helped(
    app: FastAPI, sign_in: SignIn, tess: TestClient
) -> None:
    """The list reads its clients' consents once (after the shares): every client is audited
    as listed, and what helped is read (and audited) only for those who share their notes."""
    shared = {
        "all": ["assessments", "diary", "notes"],
        "no notes": ["assessments", "diary"],
        "notes only": ["notes"],
    }
    ids = {}
    for name, scopes in shared.items():
        http = sign_in(f"{name.replace(' ', '-')}@example.org")
        share(http, tess, scopes)
        ids[name] = user_id(http)
    with statements(app) as sent:
        listed = tess.get(f"{API}/therapist/clients")
    assert listed.status_code == 200
    assert {row["client_id"] for row in listed.json()} == set(ids.values())
    consents = [s for s in sent if s.lstrip().startswith("SELECT") and "FROM shares" in s]
    assert len(consents) == 2  # the therapist's shares, then one access check
    with app.state.database.session() as db:
        events = db.scalars(
            select(AuditEvent).where(AuditEvent.route == "GET /api/v1/therapist/clients")
        ).all()
    audited = sorted((e.action, e.record_type, e.subject_user_id) for e in events)
    assert audited == sorted(
        [("list", "client", c) for c in ids.values()]
        + [("read", "what_helped", ids["all"]), ("read", "what_helped", ids["notes only"])]
    )
