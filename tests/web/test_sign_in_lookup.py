"""The look-up behind every signed-in request (issue 12): one query, no needless writes (the
last-seen time at most once a minute), revocation and disabling still immediate, and the stored
assessment answered in one worker thread with the same contract."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update

from sciatica_care.db.tables import ApiToken, User, utcnow
from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.services.accounts import actor_for
from sciatica_care.services.sign_in_lookup import session_actor
from sciatica_care.web.api.assessments import AssessmentOut
from tests.conftest import baseline
from tests.web.statements import statements
from tests.web.test_sessions_and_tokens import bearer, make_token


def _set(app: FastAPI, table: type[SessionRow] | type[ApiToken], **columns: object) -> None:
    with app.state.database.session() as db:
        db.execute(update(table).values(**columns))
        db.commit()


def _last(app: FastAPI, column: object) -> datetime:
    with app.state.database.session() as db:
        value: datetime = db.scalars(select(column)).one()  # type: ignore[call-overload]
        return value


def test_a_session_is_touched_at_most_once_a_minute(app: FastAPI, alice: TestClient) -> None:
    recent = utcnow() - timedelta(seconds=30)
    _set(app, SessionRow, last_seen_at=recent)
    assert alice.get("/api/v1/me").status_code == 200
    assert _last(app, SessionRow.last_seen_at) == recent  # no write for a read
    _set(app, SessionRow, last_seen_at=utcnow() - timedelta(minutes=2))
    assert alice.get("/api/v1/me").status_code == 200
    assert utcnow() - _last(app, SessionRow.last_seen_at) < timedelta(seconds=30)


def test_a_token_is_touched_at_most_once_a_minute(app: FastAPI, alice: TestClient) -> None:
    script = bearer(app, make_token(alice)["token"])
    assert script.get("/api/v1/me").status_code == 200
    recent = utcnow() - timedelta(seconds=30)
    _set(app, ApiToken, last_used_at=recent)
    assert script.get("/api/v1/me").status_code == 200
    assert _last(app, ApiToken.last_used_at) == recent
    _set(app, ApiToken, last_used_at=utcnow() - timedelta(minutes=2))
    assert script.get("/api/v1/me").status_code == 200
    assert utcnow() - _last(app, ApiToken.last_used_at) < timedelta(seconds=30)


def test_a_stored_assessment_answers_the_contract(app: FastAPI, alice: TestClient) -> None:
    writer = bearer(app, make_token(alice, scope="write")["token"])
    for http in (writer, alice):
        answer = http.post("/api/v1/assessments", json=baseline())
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        body = answer.json()
        assert AssessmentOut.model_validate(body).model_dump(mode="json") == body
        assert body["stored"] is True and body["id"]
        assert http.get(f"/api/v1/assessments/{body['id']}").json()["result"] == body["result"]


def test_revoking_or_disabling_holds_from_the_next_write(app: FastAPI, alice: TestClient) -> None:
    writer = bearer(app, make_token(alice, scope="write")["token"])
    assert writer.post("/api/v1/assessments", json=baseline()).status_code == 200
    _set(app, ApiToken, revoked_at=utcnow())
    refused = writer.post("/api/v1/assessments", json=baseline())
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert alice.post("/api/v1/assessments", json=baseline()).json()["stored"] is True
    _set(app, User, disabled_at=utcnow())
    anonymous = alice.post("/api/v1/assessments", json=baseline())
    assert anonymous.status_code == 200 and anonymous.json()["stored"] is False
    _set(app, SessionRow, revoked_at=utcnow())
    assert alice.get("/api/v1/me").status_code == 401


def test_the_signed_in_actor_carries_every_account_setting(app: FastAPI, alice: TestClient) -> None:
    """The quick look-up and the ORM's actor_for build the same Actor: a setting added to one and
    not the other would silently fall back to its default on every request."""
    with app.state.database.session() as db:
        db.execute(update(User).values(time_zone="Asia/Seoul", reminder_hours_before=48))
        db.execute(update(User).values(language="ko"))
        db.commit()
        session = db.scalars(select(SessionRow)).first()
        user = db.scalars(select(User)).first()
        assert session is not None and user is not None
        looked_up = session_actor(db, token_hash=session.token_hash, idle=timedelta(days=1))
        expected = replace(actor_for(user), session_id=session.id)
    assert looked_up == expected
    assert looked_up.reminder_hours_before == 48 and looked_up.language == "ko"


#: The token (the look-up), what helped (the session notes), the assessment and its audit row.
WRITE_STATEMENTS = 4


def test_a_stored_assessment_takes_one_connection_and_four_statements(
    app: FastAPI, alice: TestClient
) -> None:
    """The look-up and the write share one transaction and one pooled connection (on
    PostgreSQL each check-out is a pre-ping, a BEGIN and a COMMIT more). The rate limit's
    count is one statement more, on a connection of its own (``db/rate_buckets.py``)."""
    writer = bearer(app, make_token(alice, scope="write")["token"])
    assert writer.post("/api/v1/assessments", json=baseline()).status_code == 200  # touched
    checkouts: list[object] = []
    engine = app.state.database.engine

    def checked_out(*args: object) -> None:
        checkouts.append(args)

    event.listen(engine, "checkout", checked_out)
    try:
        with statements(app) as sent:
            answer = writer.post("/api/v1/assessments", json=baseline())
    finally:
        event.remove(engine, "checkout", checked_out)
    assert answer.status_code == 200 and answer.json()["stored"] is True
    assert len(checkouts) == 1
    assert len(sent) == WRITE_STATEMENTS, sent
