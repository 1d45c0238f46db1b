"""Sessions to ASVS level 2 (30 minutes idle, 12 hours at most), signing out (site data
cleared) and everywhere, and personal access tokens: expiring, read or write, for the API only,
never made by a token."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from sciatica_care.config import Settings
from sciatica_care.db.tables import ApiToken, utcnow
from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.web.templating import static_url
from tests.conftest import baseline
from tests.web.conftest import PASSWORD, signed_in_client
from tests.web.test_pages_support import csrf_of

DIARY = {"leg_pain": 3, "back_pain": 2}


def shift_sessions(app: FastAPI, **columns: object) -> None:
    with app.state.database.session() as db:
        db.execute(update(SessionRow).values(**columns))
        db.commit()


def make_token(http: TestClient, **body: object) -> dict[str, str]:
    created = http.post("/api/v1/tokens", json={"name": "script", **body})
    assert created.status_code == 201, created.text
    made: dict[str, str] = created.json()
    return made


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def bearer(app: FastAPI, token: str) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


# --- sessions ---


def test_sessions_default_to_30_minutes_idle_and_12_hours_at_most(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert (settings.session_idle_minutes, settings.session_max_hours) == (30, 12)


def test_a_session_idle_for_31_minutes_ends(app: FastAPI, alice: TestClient) -> None:
    assert app.state.settings.session_idle_minutes == 30
    shift_sessions(app, last_seen_at=utcnow() - timedelta(minutes=31))
    assert alice.get("/api/v1/me").status_code == 401


def test_a_busy_session_ends_12_hours_after_sign_in(app: FastAPI, alice: TestClient) -> None:
    login = alice.post(
        "/api/v1/auth/login", json={"email": "alice@example.org", "password": PASSWORD}
    )
    assert "Max-Age=43200" in login.headers["set-cookie"]
    alice.headers["x-csrftoken"] = login.json()["csrf_token"]
    shift_sessions(app, created_at=utcnow() - timedelta(hours=12), expires_at=utcnow())
    assert alice.get("/api/v1/me").status_code == 401


def test_signing_out_clears_the_sites_data_in_the_browser(alice: TestClient) -> None:
    response = alice.post("/api/v1/auth/logout")
    assert response.headers["clear-site-data"] == '"cache", "storage"'


def test_the_signed_out_page_forgets_the_wizards_saved_answers(pages: TestClient) -> None:
    form = pages.get("/settings").text
    signed_out = pages.post("/logout", data={"csrftoken": csrf_of(form)}, follow_redirects=False)
    assert signed_out.headers["clear-site-data"] == '"cache", "storage"'
    home = pages.get(signed_out.headers["location"]).text
    assert "data-forget-answers" in home and static_url("js/wizard.js") in home
    script = pages.get(static_url("js/wizard.js")).text
    assert "[data-forget-answers]" in script and "removeItem(KEY)" in script


def test_sign_out_everywhere_ends_every_session_and_token(app: FastAPI, alice: TestClient) -> None:
    phone = signed_in_client(app, "alice@example.org")
    script = bearer(app, make_token(alice, scope="write")["token"])
    assert script.get("/api/v1/me").status_code == 200
    ended = alice.post("/api/v1/auth/logout-everywhere")
    assert ended.status_code == 200 and ended.json()["ended"] == 3
    assert ended.headers["clear-site-data"] == '"cache", "storage"'
    for http in (alice, phone, script):
        assert http.get("/api/v1/me").status_code == 401


def test_a_token_cannot_sign_out_everywhere(app: FastAPI, alice: TestClient) -> None:
    script = bearer(app, make_token(alice, scope="write")["token"])
    assert script.post("/api/v1/auth/logout-everywhere").status_code == 403
    assert alice.get("/api/v1/me").status_code == 200


def test_the_settings_page_signs_out_everywhere(app: FastAPI, pages: TestClient) -> None:
    phone = signed_in_client(app, "page@example.org")
    settings = pages.get("/settings").text
    assert 'action="/settings/sign-out-everywhere"' in settings
    done = pages.post(
        "/settings/sign-out-everywhere",
        data={"csrftoken": csrf_of(settings)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/?signed_out=everywhere"
    assert phone.get("/api/v1/me").status_code == 401
    assert pages.get("/settings", follow_redirects=False).headers["location"].startswith("/login")


# --- personal access tokens ---


def test_a_token_expires_90_days_after_it_was_made_unless_chosen(alice: TestClient) -> None:
    default = make_token(alice)
    assert default["scope"] == "read"
    lasts = parse(default["expires_at"]) - parse(default["created_at"])
    assert lasts == timedelta(days=90)
    week = make_token(alice, expires_in_days=7)
    assert parse(week["expires_at"]) - parse(week["created_at"]) == timedelta(days=7)
    for wrong in (0, 366):
        refused = alice.post("/api/v1/tokens", json={"name": "x", "expires_in_days": wrong})
        assert refused.status_code == 422


def test_an_expired_token_signs_in_no_one(app: FastAPI, alice: TestClient) -> None:
    made = make_token(alice)
    with app.state.database.session() as db:
        db.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    assert bearer(app, made["token"]).get("/api/v1/me").status_code == 401
    assert alice.get("/api/v1/tokens").json() == []


def test_a_read_token_cannot_change_anything(app: FastAPI, alice: TestClient) -> None:
    reader = bearer(app, make_token(alice, scope="read")["token"])
    assert reader.get("/api/v1/diary").status_code == 200
    assert reader.post("/api/v1/diary", json=DIARY).status_code == 403
    assert reader.patch("/api/v1/me", json={"time_zone": "UTC"}).status_code == 403
    writer = bearer(app, make_token(alice, scope="write")["token"])
    assert writer.post("/api/v1/assessments", json=baseline()).json()["stored"] is True
    assert alice.get("/api/v1/diary").json() == []


@pytest.mark.parametrize("page", ["/dashboard", "/settings", "/diary", "/privacy/export.json"])
def test_a_token_never_opens_a_page(app: FastAPI, alice: TestClient, page: str) -> None:
    script = bearer(app, make_token(alice, scope="write")["token"])
    response = script.get(page, follow_redirects=False)
    assert response.status_code == 401
    assert "alice@example.org" not in response.text


def test_a_token_cannot_make_a_token(app: FastAPI, alice: TestClient) -> None:
    script = bearer(app, make_token(alice, scope="write")["token"])
    refused = script.post("/api/v1/tokens", json={"name": "child", "scope": "write"})
    assert refused.status_code == 403
    assert [t["name"] for t in alice.get("/api/v1/tokens").json()] == ["script"]


def test_making_a_token_needs_a_sign_in_within_the_hour(app: FastAPI, alice: TestClient) -> None:
    shift_sessions(app, created_at=utcnow() - timedelta(minutes=61))
    assert alice.post("/api/v1/tokens", json={"name": "late"}).status_code == 403
    again = signed_in_client(app, "alice@example.org")
    assert again.post("/api/v1/tokens", json={"name": "fresh"}).status_code == 201


@pytest.fixture
def pages(app: FastAPI) -> TestClient:
    """A client signed in through the log-in form (pages, not the API)."""
    from tests.web.conftest import add_user

    add_user(app, "page@example.org")
    http = TestClient(app)
    form = http.get("/login").text
    http.post(
        "/login",
        data={"email": "page@example.org", "password": PASSWORD, "csrftoken": csrf_of(form)},
    )
    return http
