"""The per-email sign-in throttle, kept in the database: parallel guesses cannot pass the limit,
refused attempts do not prolong the wait, and a busy hashing service says so (503)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import func, select, update

from sciatica_care.config import Settings
from sciatica_care.db.tables import LoginAttempt, utcnow
from sciatica_care.services import accounts
from sciatica_care.services.errors import InvalidCredentials, Throttled
from sciatica_care.services.throttle import password_work
from sciatica_care.web.app import create_app
from tests.web.conftest import PASSWORD, add_user

GUESSES = 40


@pytest.fixture
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at a small cost: forty guesses need not take ten CPU-seconds."""
    monkeypatch.setattr(accounts, "password_hash", PasswordHash((Argon2Hasher(memory_cost=1024),)))


def stored_failures(app: FastAPI, email: str) -> int:
    with app.state.database.session() as db:
        return int(
            db.scalar(
                select(func.count()).where(
                    LoginAttempt.email == email, LoginAttempt.succeeded.is_(False)
                )
            )
        )


def test_forty_parallel_guesses_check_no_more_passwords_than_the_limit(
    app: FastAPI, cheap_hashes: None
) -> None:
    settings: Settings = app.state.settings
    add_user(app, "lee@example.org")
    start = threading.Barrier(GUESSES)
    outcomes: list[str] = []

    def guess(n: int) -> None:
        with app.state.database.session() as db:
            start.wait()
            try:
                accounts.log_in(
                    db, settings=settings, email="lee@example.org", password=f"guess {n:04}"
                )
                outcomes.append("signed in")
            except InvalidCredentials:
                outcomes.append("checked")
            except Throttled:
                outcomes.append("throttled")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counted = Counter(outcomes)
    assert sum(counted.values()) == GUESSES
    assert counted["signed in"] == 0
    assert counted["checked"] <= settings.login_max_failures
    assert counted["checked"] + counted["throttled"] == GUESSES
    assert stored_failures(app, "lee@example.org") == counted["checked"]


def test_refused_attempts_do_not_prolong_the_wait_and_the_owner_gets_in_after_the_window(
    app: FastAPI, client: TestClient
) -> None:
    settings: Settings = app.state.settings
    add_user(app, "max@example.org")

    def attempt(password: str) -> int:
        answer = client.post(
            "/api/v1/auth/login", json={"email": "max@example.org", "password": password}
        )
        return answer.status_code

    limit = settings.login_max_failures
    assert [attempt("wrong password") for _ in range(limit)] == [401] * limit
    assert [attempt("wrong password") for _ in range(20)] == [429] * 20
    assert attempt(PASSWORD) == 429  # the owner too, for now
    assert stored_failures(app, "max@example.org") == limit
    # A window later (the failures moved back in time) the owner signs in; a success
    # starts the count afresh.
    with app.state.database.session() as db:
        window = timedelta(minutes=settings.login_window_minutes, seconds=1)
        db.execute(update(LoginAttempt).values(at=utcnow() - window))
        db.commit()
    assert attempt(PASSWORD) == 200
    client.cookies.clear()  # signed out again
    assert attempt("wrong password") == 401


@pytest.fixture
def one_slot_app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(
        settings.model_copy(update={"password_hash_slots": 1, "password_hash_wait_seconds": 0})
    )
    yield application
    application.state.database.dispose()


def test_when_every_hashing_slot_is_busy_sign_in_answers_503_and_counts_no_failure(
    one_slot_app: FastAPI,
) -> None:
    app = one_slot_app
    add_user(app, "nia@example.org")
    http = TestClient(app)
    with password_work(app.state.settings).slot():  # someone else is hashing
        api = http.post(
            "/api/v1/auth/login", json={"email": "nia@example.org", "password": PASSWORD}
        )
        signup = http.post(
            "/api/v1/auth/signup", json={"email": "oli@example.org", "password": PASSWORD}
        )
    assert api.status_code == 503 and int(api.headers["retry-after"]) >= 1
    assert "busy" in api.json()["detail"]
    assert signup.status_code == 503 and signup.headers["retry-after"]
    assert stored_failures(app, "nia@example.org") == 0
    assert (
        http.post(
            "/api/v1/auth/login", json={"email": "nia@example.org", "password": PASSWORD}
        ).status_code
        == 200
    )
