"""Rate limits on what costs CPU, per client address: sign-in and sign-up (also for all
addresses together), assessment evaluation and exports. Each test sets its own small limits,
per hour where it can: a token then comes back only after many minutes, so a test on a busy
machine, whose requests are slow, never gets one back halfway (4/minute gave one back every
15 s). The first test keeps 3/minute, as it reads the wait in seconds. Every other test runs
with limits no test reaches (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.web.app import create_app
from tests.conftest import baseline
from tests.web.conftest import PASSWORD, add_user, signed_in_client
from tests.web.test_pages_support import csrf_of

ELSEWHERE = ("198.51.100.2", 40000)


@contextmanager
def app_with(settings: Settings, **limits: object) -> Iterator[FastAPI]:
    """The app with ``limits`` in place of the test suite's generous ones."""
    application = create_app(settings.model_copy(update=limits))
    try:
        yield application
    finally:
        application.state.database.dispose()


def log_in(http: TestClient, email: str) -> int:
    answer = http.post("/api/v1/auth/login", json={"email": email, "password": "wrong password"})
    return answer.status_code


def test_sign_ins_from_one_address_are_limited_whatever_the_email(settings: Settings) -> None:
    with app_with(settings, rate_limit_sign_in="3/minute") as app:
        http = TestClient(app)
        assert [log_in(http, f"fresh{n}@example.org") for n in range(3)] == [401, 401, 401]
        refused = http.post(
            "/api/v1/auth/login", json={"email": "fresh9@example.org", "password": "x" * 8}
        )
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert refused.json() == {
            "detail": f"too many requests; please try again in "
            f"{refused.headers['retry-after']} seconds",
            "errors": [],
        }
        assert refused.headers["x-content-type-options"] == "nosniff"
        # The sign-up (which hashes a password too) and the log-in page share the limit; the
        # page says so in plain words, before any form or CSRF check.
        signup = http.post(
            "/api/v1/auth/signup", json={"email": "n@example.org", "password": PASSWORD}
        )
        assert signup.status_code == 429
        page = http.post("/login", data={"email": "fresh9@example.org", "password": "x" * 8})
        assert page.status_code == 429 and page.headers["retry-after"]
        assert page.text.startswith("Too many requests") and "fresh9" not in page.text
        # Another address has its own allowance.
        assert log_in(TestClient(app, client=ELSEWHERE), "fresh9@example.org") == 401


def test_sign_ins_from_all_addresses_together_are_limited(settings: Settings) -> None:
    with app_with(settings, rate_limit_sign_in_all="4/hour") as app:
        answers = [
            log_in(TestClient(app, client=(f"198.51.100.{n}", 40000)), "gus@example.org")
            for n in range(1, 7)
        ]
    assert answers == [401, 401, 401, 401, 429, 429]


PASSWORD_FORMS = [
    ("/api/v1/me/password", {"current_password": "wrong password", "new_password": "x" * 12}),
    ("/api/v1/me/erase", {"password": "wrong password", "confirm": "delete my account"}),
    ("/settings/password", {"current_password": "wrong password", "new_password": "x" * 12}),
    ("/privacy/erase", {"password": "wrong password", "confirm": "delete my account"}),
    ("/password-reset", {"email": "alice@example.org"}),
    ("/api/v1/auth/password-reset", {"email": "alice@example.org"}),
    ("/password-reset/choose", {"token": "t" * 40, "new_password": "x" * 12}),
    ("/api/v1/auth/password-reset/confirm", {"token": "t" * 40, "new_password": "x" * 12}),
    ("/settings/verify-email", {}),
    ("/api/v1/me/verify-email", {}),
]


def test_every_form_that_checks_or_sets_a_password_shares_the_sign_in_limit(
    settings: Settings,
) -> None:
    """Changing the password, erasing the account (each checks the password: argon2), choosing
    one through a reset link, and asking for that link or for the email's verification link
    again (a mail) are limited as sign-ins are: a stolen session cannot test guesses at the
    CPU's pace, nor anyone flood an inbox."""
    with app_with(settings, rate_limit_sign_in="2/hour") as app:
        add_user(app, "alice@example.org")
        alice = signed_in_client(app, "alice@example.org")  # the first of two
        wrong = alice.post("/api/v1/me/password", json=dict(PASSWORD_FORMS[0][1]))
        assert wrong.status_code == 422, wrong.text  # checked, and refused
        for path, body in PASSWORD_FORMS:
            api = path.startswith("/api/")
            answer = alice.post(path, json=body) if api else alice.post(path, data=body)
            assert answer.status_code == 429, (path, answer.status_code)
            assert int(answer.headers["retry-after"]) > 0
        # Another address has its own allowance; the account was not changed meanwhile.
        elsewhere = TestClient(app, client=ELSEWHERE)
        asked = elsewhere.post("/api/v1/auth/password-reset", json=PASSWORD_FORMS[5][1])
        assert asked.status_code == 202
        assert log_in(elsewhere, "alice@example.org") == 401  # the wrong password, still


def test_a_trusted_proxy_passes_on_the_client_address_and_nobody_else_can(
    settings: Settings,
) -> None:
    with app_with(settings, rate_limit_sign_in="1/hour", trusted_proxies="10.0.0.0/8") as app:
        proxy = TestClient(app, client=("10.0.0.5", 40000))

        def via_proxy(client: str) -> int:
            answer = proxy.post(
                "/api/v1/auth/login",
                json={"email": "ida@example.org", "password": "x" * 8},
                headers={"x-forwarded-for": f"192.0.2.1, {client}"},
            )
            return answer.status_code

        assert via_proxy("198.51.100.1") == 401
        assert via_proxy("198.51.100.2") == 401  # another client behind the same proxy
        assert via_proxy("198.51.100.1") == 429
        # Not a trusted proxy: its X-Forwarded-For is ignored, the peer is the client.
        direct = TestClient(app, client=("203.0.113.50", 40000))
        statuses = [
            direct.post(
                "/api/v1/auth/login",
                json={"email": "ida@example.org", "password": "x" * 8},
                headers={"x-forwarded-for": forged},
            ).status_code
            for forged in ("198.51.100.7", "198.51.100.8")
        ]
        assert statuses == [401, 429]


def test_assessment_evaluation_is_limited_per_address(settings: Settings) -> None:
    with app_with(settings, rate_limit_assessment="2/hour") as app:
        http = TestClient(app)
        assert http.post("/api/v1/assessments", json=baseline()).status_code in {200, 201}
        form = http.get("/assessment")
        token = csrf_of(form.text)
        triage = http.post("/assessment/triage", data={"csrftoken": token})
        assert triage.status_code == 200
        for path in (
            "/api/v1/assessments",
            "/assessment/triage",
            "/assessment",
            "/assessment/brief",
        ):
            answer = http.post(path, data={"csrftoken": token})
            assert answer.status_code == 429, path
            assert int(answer.headers["retry-after"]) > 0
        other = TestClient(app, client=ELSEWHERE)
        assert other.post("/api/v1/assessments", json=baseline()).status_code in {200, 201}


def test_exports_are_limited_per_address(settings: Settings) -> None:
    with app_with(settings, rate_limit_export="2/hour") as app:
        add_user(app, "jo@example.org")
        jo = signed_in_client(app, "jo@example.org")
        assert jo.get("/api/v1/export").status_code == 200
        assert jo.get("/api/v1/export/diary.csv").status_code == 200
        for path in ("/api/v1/export", "/api/v1/export/sessions.csv", "/privacy/export.json"):
            answer = jo.get(path)
            assert answer.status_code == 429, path
            assert int(answer.headers["retry-after"]) > 0


@pytest.mark.parametrize("password", ["12345678", "password"])
def test_common_passwords_are_refused_at_sign_up_over_the_api(
    client: TestClient, password: str
) -> None:
    answer = client.post(
        "/api/v1/auth/signup", json={"email": "kim@example.org", "password": password}
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["password"]
    assert "common" in answer.json()["errors"][0]["message"]


@pytest.mark.parametrize("password", ["12345678", "password"])
def test_common_passwords_are_refused_on_the_sign_up_page(
    client: TestClient, password: str
) -> None:
    token = csrf_of(client.get("/signup").text)
    page = client.post(
        "/signup", data={"email": "kim@example.org", "password": password, "csrftoken": token}
    )
    assert page.status_code == 422
    assert 'href="#field-password"' in page.text and "most commonly used" in page.text
