"""Times out of range: refused on the way in (422 naming the field), and tolerated when they are
already stored. A time of year 1 or 9999 written straight into the database (from before the
bounds, or by hand) must not make anyone's page answer 500 when it is shown in their time zone:
the client's dashboard, the therapist's client list, exports. Every GET route of the app is
tried as the client (UTC+14) and the therapist (UTC-12)."""

from __future__ import annotations

import re
import traceback
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DiaryEntry, OutcomeMeasure, SessionNote, Share
from tests.conftest import baseline
from tests.web.conftest import SignIn
from tests.web.consent import API, PROFILE, note_body, share, user_id

FIRST = datetime.min.replace(tzinfo=UTC)  # 0001-01-01 00:00
LAST = datetime.max.replace(tzinfo=UTC)  # 9999-12-31 23:59:59.999999


def get_routes(app: FastAPI) -> list[str]:
    """Every GET path the app declares (pages and API)."""
    from tests.web.test_access_matrix import enumerated_routes

    return sorted(r.split(" ", 1)[1] for r in enumerated_routes(app) if r.startswith("GET "))


def test_a_stored_extreme_time_never_makes_a_page_fail(app: FastAPI, sign_in: SignIn) -> None:
    alice, tess = sign_in("alice@example.org"), sign_in("tess@example.org", "therapist")
    alice.patch(f"{API}/me", json={"time_zone": "Pacific/Kiritimati"})  # UTC+14
    tess.patch(f"{API}/me", json={"time_zone": "Etc/GMT+12"})  # UTC-12
    tess.put(f"{API}/therapist/profile", json=PROFILE)
    share(alice, tess)
    ids = {
        "client_id": user_id(alice),
        "assessment_id": alice.post(f"{API}/assessments", json=baseline()).json()["id"],
        "entry_id": alice.post(f"{API}/diary", json={"leg_pain": 5, "back_pain": 2}).json()["id"],
        "token": tess.post(f"{API}/therapist/invitations").json()["token"],
    }
    early = alice.post(f"{API}/diary", json={"leg_pain": 6, "back_pain": 3}).json()["id"]
    ids["note_id"] = tess.post(f"{API}/clients/{ids['client_id']}/notes", json=note_body()).json()[
        "id"
    ]
    second = tess.post(f"{API}/clients/{ids['client_id']}/notes", json=note_body()).json()["id"]
    alice.post(
        f"{API}/outcomes/sbi",
        json=dict.fromkeys(("leg_pain", "numbness_tingling", "weakness", "sitting_pain"), 2),
    )

    database: Database = app.state.database
    with database.session() as db:
        db.execute(
            update(DiaryEntry).where(DiaryEntry.id == ids["entry_id"]).values(recorded_at=LAST)
        )
        db.execute(update(DiaryEntry).where(DiaryEntry.id == early).values(recorded_at=FIRST))
        db.execute(
            update(SessionNote).where(SessionNote.id == ids["note_id"]).values(session_at=LAST)
        )
        db.execute(update(SessionNote).where(SessionNote.id == second).values(session_at=FIRST))
        db.execute(update(Share).values(next_session_at=LAST))
        db.execute(update(OutcomeMeasure).values(week_of=date.max))
        db.commit()

    failures = []
    for path in get_routes(app):
        needed = re.findall(r"{(\w+)}", path)
        if any(name not in ids for name in needed):
            continue
        for who, http in (("client", alice), ("therapist", tess)):
            try:
                status = http.get(path.format(**ids), follow_redirects=False).status_code
            except Exception as exc:  # what the server would have answered with a 500
                where = traceback.extract_tb(exc.__traceback__)[-1]
                failures.append(f"{who} GET {path}: {exc!r} at {where.filename}:{where.lineno}")
                continue
            if status >= 500:
                failures.append(f"{who} GET {path}: {status}")
    assert failures == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/diary",
            {"leg_pain": 3, "back_pain": 2, "recorded_at": "0001-01-01T00:00:00+05:00"},
            "recorded_at",
        ),
        (
            "/diary",
            {"leg_pain": 3, "back_pain": 2, "recorded_at": "1899-12-31T23:59:00Z"},
            "recorded_at",
        ),
        (
            "/diary",
            {"leg_pain": 3, "back_pain": 2, "recorded_at": "9999-12-31T23:59:00-05:00"},
            "recorded_at",
        ),
        (
            "/outcomes/sbi",
            {
                "week_of": "9999-12-31",
                **dict.fromkeys(("leg_pain", "numbness_tingling", "weakness", "sitting_pain"), 2),
            },
            "week_of",
        ),
        (
            "/outcomes/sbi",
            {
                "week_of": "0001-01-01",
                **dict.fromkeys(("leg_pain", "numbness_tingling", "weakness", "sitting_pain"), 2),
            },
            "week_of",
        ),
    ],
)
def test_a_time_out_of_range_is_refused_naming_the_field(
    alice: TestClient, path: str, body: dict[str, object], field: str
) -> None:
    response = alice.post(f"{API}{path}", json=body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    "at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "2200-01-01T00:00:00Z"]
)
def test_session_times_out_of_range_are_refused_naming_the_field(
    alice: TestClient, tess: TestClient, at: str
) -> None:
    tess.put(f"{API}/therapist/profile", json=PROFILE)
    share(alice, tess)
    client = user_id(alice)
    note = tess.post(f"{API}/clients/{client}/notes", json=note_body(session_at=at))
    assert note.status_code == 422, note.text
    assert [e["field"] for e in note.json()["errors"]] == ["session_at"]
    nxt = tess.put(f"{API}/therapist/clients/{client}/next-session", json={"next_session_at": at})
    assert nxt.status_code == 422, nxt.text
    assert [e["field"] for e in nxt.json()["errors"]] == ["next_session_at"]
    page = tess.post(f"/therapist/clients/{client}/next-session", data={"next_session_at": at[:16]})
    assert page.status_code == 422 and "next_session_at" in page.text
    soon = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    ok = tess.put(f"{API}/therapist/clients/{client}/next-session", json={"next_session_at": soon})
    assert ok.status_code == 200, ok.text


def test_a_listing_filter_out_of_range_is_refused_not_a_failure(alice: TestClient) -> None:
    response = alice.get(f"{API}/diary", params={"since": "0001-01-01T00:00:00+05:00"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["since"]
