"""Password change and reset, email verification, the outbox (issue 11)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from sciatica_care.db.tables import AccountToken, OutboxMessage, utcnow
from sciatica_care.services import accounts
from tests.web.conftest import PASSWORD, add_user, signed_in_client
from tests.web.event_loop import on_the_event_loop
from tests.web.mailbox import body, sent_to, token_in

API = "/api/v1"
NEW = "a brand new passphrase"


def test_changing_the_password_needs_the_current_one(app: FastAPI) -> None:
    add_user(app, "alice@example.org")
    alice = signed_in_client(app, "alice@example.org")
    wrong = alice.post(
        f"{API}/me/password", json={"current_password": "nope nope", "new_password": NEW}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    short = alice.post(
        f"{API}/me/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "new_password"


def test_changing_the_password_ends_every_other_session_and_token(app: FastAPI) -> None:
    add_user(app, "alice@example.org")
    here = signed_in_client(app, "alice@example.org")
    elsewhere = signed_in_client(app, "alice@example.org")
    token = here.post(f"{API}/tokens", json={"name": "script"}).json()["token"]
    changed = here.post(
        f"{API}/me/password", json={"current_password": PASSWORD, "new_password": NEW}
    )
    assert changed.status_code == 204
    assert here.get(f"{API}/me").status_code == 200  # the session that changed it stays
    assert elsewhere.get(f"{API}/me").status_code == 401
    script = TestClient(app, headers={"authorization": f"Bearer {token}"})
    assert script.get(f"{API}/me").status_code == 401
    assert signed_in_client(app, "alice@example.org", NEW).get(f"{API}/me").status_code == 200
    assert "password" in sent_to(app, "alice@example.org")[-1]["Subject"].lower()


def test_the_settings_page_changes_the_password(app: FastAPI) -> None:
    add_user(app, "alice@example.org")
    alice = signed_in_client(app, "alice@example.org")
    page = alice.get("/settings")
    assert 'action="/settings/password"' in page.text
    done = alice.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": NEW},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "password is changed" in alice.get(done.headers["location"]).text


def _reset(http: TestClient, email: str) -> dict[str, object]:
    answer = http.post(f"{API}/auth/password-reset", json={"email": email})
    assert answer.status_code == 202
    body: dict[str, object] = answer.json()
    return body


def test_reset_answers_the_same_whether_or_not_the_account_exists(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "alice@example.org")
    client.headers["x-csrftoken"] = client.get(f"{API}/auth/csrf").json()["csrf_token"]
    assert _reset(client, "alice@example.org") == _reset(client, "nobody@example.org")
    page_known = client.post("/password-reset", data={"email": "alice@example.org"})
    page_unknown = client.post("/password-reset", data={"email": "nobody@example.org"})
    assert page_known.status_code == page_unknown.status_code == 200
    assert page_known.text == page_unknown.text
    assert sent_to(app, "nobody@example.org") == []
    assert len(sent_to(app, "alice@example.org")) == 2


def test_a_reset_link_works_once_and_ends_every_session(app: FastAPI, client: TestClient) -> None:
    add_user(app, "alice@example.org")
    alice = signed_in_client(app, "alice@example.org")
    client.headers["x-csrftoken"] = client.get(f"{API}/auth/csrf").json()["csrf_token"]
    _reset(client, "alice@example.org")
    mail = sent_to(app, "alice@example.org")[-1]
    assert mail["To"] == "alice@example.org"
    token = token_in(mail, "/password-reset/choose")
    assert body(mail).count("http://127.0.0.1:8000/password-reset/choose?token=") == 1
    form = client.get("/password-reset/choose", params={"token": token})
    assert form.status_code == 200 and "Choose a new password" in form.text
    done = client.post("/password-reset/choose", data={"token": token, "new_password": NEW})
    assert done.status_code == 200 and "Password changed" in done.text
    assert alice.get(f"{API}/me").status_code == 401
    again = client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "new_password": "another one!"}
    )
    assert again.status_code == 404
    assert signed_in_client(app, "alice@example.org", NEW).get(f"{API}/me").status_code == 200


def test_a_reset_link_expires(app: FastAPI, client: TestClient) -> None:
    add_user(app, "alice@example.org")
    client.headers["x-csrftoken"] = client.get(f"{API}/auth/csrf").json()["csrf_token"]
    _reset(client, "alice@example.org")
    token = token_in(sent_to(app, "alice@example.org")[-1], "/password-reset/choose")
    with app.state.database.session() as db:
        db.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    late = client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "new_password": NEW}
    )
    assert late.status_code == 404
    assert client.get("/password-reset/choose", params={"token": token}).status_code == 404


def test_only_the_hash_of_a_link_is_stored_and_a_sent_body_is_blanked(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "alice@example.org")
    client.headers["x-csrftoken"] = client.get(f"{API}/auth/csrf").json()["csrf_token"]
    _reset(client, "alice@example.org")
    token = token_in(sent_to(app, "alice@example.org")[-1], "/password-reset/choose")
    with app.state.database.session() as db:
        hashes = db.scalars(select(AccountToken.token_hash)).all()
        bodies = db.scalars(select(OutboxMessage.body_text)).all()
    assert token not in hashes and len(hashes) == 1
    assert all(token not in b for b in bodies)


def test_sign_up_sends_a_verification_link_and_the_account_asks_for_it(
    app: FastAPI, client: TestClient
) -> None:
    client.headers["x-csrftoken"] = client.get(f"{API}/auth/csrf").json()["csrf_token"]
    made = client.post(
        f"{API}/auth/signup", json={"email": "new@example.org", "password": PASSWORD}
    )
    assert made.status_code == 202
    client = signed_in_client(app, "new@example.org")
    assert "Please verify your email address" in client.get("/settings").text
    token = token_in(sent_to(app, "new@example.org")[-1], "/verify-email")
    assert client.get("/verify-email", params={"token": token}).status_code == 200
    assert "Please verify your email address" not in client.get("/settings").text
    assert client.get("/verify-email", params={"token": token}).status_code == 404


def test_an_admin_cannot_verify_a_therapist_whose_email_is_unverified(app: FastAPI) -> None:
    therapist_id = add_user(app, "tess@example.org", "therapist", verified=False)
    add_user(app, "ada@example.org", "admin")
    ada = signed_in_client(app, "ada@example.org")
    refused = ada.post(f"{API}/admin/therapists/{therapist_id}/verified")
    assert refused.status_code == 409
    with app.state.database.session() as db:
        from sciatica_care.db.tables import User

        db.execute(update(User).values(email_verified_at=utcnow()))
        db.commit()
    assert ada.post(f"{API}/admin/therapists/{therapist_id}/verified").status_code == 200


def test_an_unverified_account_can_still_reset_its_password(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "alice@example.org", verified=False)
    client.headers["x-csrftoken"] = client.get(f"{API}/auth/csrf").json()["csrf_token"]
    _reset(client, "alice@example.org")
    token = token_in(sent_to(app, "alice@example.org")[-1], "/password-reset/choose")
    done = client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "new_password": NEW}
    )
    assert done.status_code == 204


def test_mail_logs_say_where_never_what(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    add_user(app, "alice@example.org")
    client.headers["x-csrftoken"] = client.get(f"{API}/auth/csrf").json()["csrf_token"]
    with caplog.at_level(logging.DEBUG):
        _reset(client, "alice@example.org")
    token = token_in(sent_to(app, "alice@example.org")[-1], "/password-reset/choose")
    assert "written to" in caplog.text and "mail" in caplog.text
    assert token not in caplog.text
    assert "alice@example.org" not in caplog.text


def test_the_password_pages_hash_off_the_event_loop(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashing a password takes a CPU-quarter-second (verifying one as long): on the event loop
    it would hold up every other request of the process meanwhile."""
    add_user(app, "alice@example.org")
    where: list[bool] = []
    hasher = accounts.password_hash
    for name in ("hash", "verify"):
        real = getattr(hasher, name)

        def watched(*args: object, real: Any = real) -> Any:
            where.append(on_the_event_loop())
            return real(*args)

        monkeypatch.setattr(hasher, name, watched)
    alice = signed_in_client(app, "alice@example.org")
    changed = alice.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": NEW},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    client.headers["x-csrftoken"] = client.get(f"{API}/auth/csrf").json()["csrf_token"]
    _reset(client, "alice@example.org")
    token = token_in(sent_to(app, "alice@example.org")[-1], "/password-reset/choose")
    done = client.post("/password-reset/choose", data={"token": token, "new_password": "x" + NEW})
    assert done.status_code == 200 and "Password changed" in done.text
    assert len(where) >= 4  # the log-in's check, the change's check and hash, the reset's hash
    assert not any(where)
