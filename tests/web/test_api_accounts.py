"""Accounts over the API: sign up, log in (rotated, throttled), log out (revoked), tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.db.tables import utcnow
from sciatica_care.web.auth import SESSION_COOKIE
from tests.conftest import baseline
from tests.web.conftest import PASSWORD, SignIn, add_user, signed_in_client
from tests.web.mailbox import body, sent_to


def test_sign_up_answers_check_your_email_and_signs_no_one_in(
    app: FastAPI, client: TestClient
) -> None:
    response = client.post(
        "/api/v1/auth/signup", json={"email": "Carol@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 202
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert client.get("/api/v1/me").status_code == 401
    carol = signed_in_client(app, "carol@example.org")
    assert carol.get("/api/v1/me").json()["role"] == "client"
    cookie = carol.post(
        "/api/v1/auth/login", json={"email": "carol@example.org", "password": PASSWORD}
    ).headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http in tests; Secure over TLS


def test_sign_up_keeps_an_anonymous_assessment(app: FastAPI, client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/signup",
        json={"email": "dan@example.org", "password": PASSWORD, "assessment": baseline()},
    )
    assert response.status_code == 202
    dan = signed_in_client(app, "dan@example.org")
    assert len(dan.get("/api/v1/assessments").json()) == 1


def test_sign_up_names_a_wrong_email_and_a_short_password(client: TestClient) -> None:
    response = client.post("/api/v1/auth/signup", json={"email": "nope", "password": "short"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"password"}
    response = client.post("/api/v1/auth/signup", json={"email": "nope", "password": PASSWORD})
    assert [e["field"] for e in response.json()["errors"]] == ["email"]


def test_sign_up_does_not_tell_whether_an_email_has_an_account(
    app: FastAPI, client: TestClient, alice: TestClient
) -> None:
    taken = client.post(
        "/api/v1/auth/signup", json={"email": "alice@example.org", "password": "other password"}
    )
    new = client.post(
        "/api/v1/auth/signup", json={"email": "nobody@example.org", "password": "other password"}
    )
    assert taken.status_code == new.status_code == 202
    assert taken.json() == new.json()
    assert alice.get("/api/v1/me").status_code == 200  # the owner's account is untouched
    told = sent_to(app, "alice@example.org")
    assert [m["Subject"] for m in told] == [
        "Someone tried to create a Sciatica Care account with your address"
    ]
    assert "/password-reset" in body(told[0])


def test_no_one_signs_up_as_an_admin(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/signup",
        json={"email": "eve@example.org", "password": PASSWORD, "role": "admin"},
    )
    assert response.status_code == 422


def test_a_wrong_password_is_refused(app: FastAPI, client: TestClient) -> None:
    add_user(app, "frank@example.org")
    response = client.post(
        "/api/v1/auth/login", json={"email": "frank@example.org", "password": "wrong password"}
    )
    assert response.status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_logging_in_rotates_the_session(app: FastAPI, alice: TestClient) -> None:
    old = alice.cookies[SESSION_COOKIE]
    response = alice.post(
        "/api/v1/auth/login", json={"email": "alice@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert alice.cookies[SESSION_COOKIE] != old
    stale = TestClient(app, cookies={SESSION_COOKIE: old})
    assert stale.get("/api/v1/me").status_code == 401


def test_logging_out_revokes_the_session_on_the_server(app: FastAPI, alice: TestClient) -> None:
    token = alice.cookies[SESSION_COOKIE]
    assert alice.post("/api/v1/auth/logout").status_code == 204
    replay = TestClient(app, cookies={SESSION_COOKIE: token})
    assert replay.get("/api/v1/me").status_code == 401


def test_an_idle_session_ends(app: FastAPI, alice: TestClient) -> None:
    idle = timedelta(minutes=app.state.settings.session_idle_minutes + 1)
    with app.state.database.session() as db:
        db.execute(update(SessionRow).values(last_seen_at=utcnow() - idle))
        db.commit()
    assert alice.get("/api/v1/me").status_code == 401


def test_repeated_failures_throttle_the_email_even_with_the_right_password(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "gina@example.org")
    limit = app.state.settings.login_max_failures
    for _ in range(limit):
        client.post("/api/v1/auth/login", json={"email": "gina@example.org", "password": "x" * 8})
    response = client.post(
        "/api/v1/auth/login", json={"email": "gina@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "try again in" in response.json()["detail"]


def test_the_throttle_is_kept_in_the_database_across_app_instances(
    settings: object, app: FastAPI, client: TestClient
) -> None:
    from sciatica_care.web.app import create_app

    add_user(app, "hal@example.org")
    for _ in range(app.state.settings.login_max_failures):
        client.post("/api/v1/auth/login", json={"email": "hal@example.org", "password": "x" * 8})
    other_process = TestClient(create_app(app.state.settings))
    response = other_process.post(
        "/api/v1/auth/login", json={"email": "hal@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_a_personal_access_token_signs_in_scripts_without_csrf(
    app: FastAPI, alice: TestClient
) -> None:
    created = alice.post("/api/v1/tokens", json={"name": "my script", "scope": "write"})
    assert created.status_code == 201
    token = created.json()["token"]
    script = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert script.get("/api/v1/me").json()["email"] == "alice@example.org"
    assert script.post("/api/v1/assessments", json=baseline()).json()["stored"] is True
    listed = alice.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["my script"] and "token" not in listed[0]
    assert listed[0]["scope"] == "write" and listed[0]["expires_at"]


def test_a_revoked_token_signs_in_no_one(app: FastAPI, alice: TestClient) -> None:
    created = alice.post("/api/v1/tokens", json={"name": "old"}).json()
    assert alice.delete(f"/api/v1/tokens/{created['id']}").status_code == 204
    script = TestClient(app, headers={"Authorization": f"Bearer {created['token']}"})
    assert script.get("/api/v1/me").status_code == 401
    assert alice.get("/api/v1/tokens").json() == []


def test_someone_elses_token_answers_404(alice: TestClient, bob: TestClient) -> None:
    created = alice.post("/api/v1/tokens", json={"name": "mine"}).json()
    assert bob.delete(f"/api/v1/tokens/{created['id']}").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/tokens"])
def test_account_endpoints_need_a_sign_in(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 401


def test_a_cast_member_can_sign_in_again(app: FastAPI, sign_in: SignIn) -> None:
    sign_in("ivy@example.org")
    again = signed_in_client(app, "ivy@example.org")
    assert again.get("/api/v1/me").status_code == 200


def test_sign_up_does_the_same_work_for_a_taken_email(
    client: TestClient, alice: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timing: both answers cost one password hash (argon2 dominates the time)."""
    from sciatica_care.services import accounts

    hashed: list[str] = []
    real = accounts.password_hash

    class Counting:
        def hash(self, password: str) -> str:
            hashed.append(password)
            return real.hash(password)

        def verify(self, password: str, stored: str) -> bool:
            return real.verify(password, stored)

    monkeypatch.setattr(accounts, "password_hash", Counting())
    for email in ("alice@example.org", "someone.new@example.org"):
        hashed.clear()
        answer = client.post("/api/v1/auth/signup", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 202 and hashed == [PASSWORD], email
