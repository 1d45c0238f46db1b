"""Each account's time zone: set on sign-up, in settings and over the API; diary days and
the times on pages follow it, while stored times stay UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.web.templating import static_url
from tests.web.conftest import signed_in_client
from tests.web.test_pages_support import pages, post_form
from tests.web.test_pages_therapist import sharing_pair

__all__ = ["pages"]

NEW_YORK = ZoneInfo("America/New_York")
PASSWORD = "a long enough password"


def late_evening_in_new_york() -> datetime:
    """23:30 three days ago in New York: 03:30 or 04:30 UTC on the next calendar day."""
    local_day = (datetime.now(NEW_YORK) - timedelta(days=3)).date()
    return datetime(local_day.year, local_day.month, local_day.day, 23, 30, tzinfo=NEW_YORK)


def test_an_unknown_time_zone_is_refused_naming_the_field(alice: TestClient) -> None:
    response = alice.patch("/api/v1/me", json={"time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["time_zone"]
    assert alice.get("/api/v1/me").json()["time_zone"] == "UTC"


def test_a_new_account_is_in_utc_until_its_holder_chooses(alice: TestClient) -> None:
    assert alice.get("/api/v1/me").json()["time_zone"] == "UTC"
    changed = alice.patch("/api/v1/me", json={"time_zone": "Europe/London"})
    assert changed.status_code == 200 and changed.json()["time_zone"] == "Europe/London"
    assert alice.get("/api/v1/me").json()["time_zone"] == "Europe/London"


def test_sign_up_over_the_api_takes_a_time_zone_and_refuses_an_unknown_one(
    app: FastAPI, client: TestClient
) -> None:
    body = {"email": "ny@example.org", "password": PASSWORD, "time_zone": "Mars/Olympus"}
    refused = client.post("/api/v1/auth/signup", json=body)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["time_zone"]
    made = client.post("/api/v1/auth/signup", json={**body, "time_zone": "America/New_York"})
    assert made.status_code == 202
    assert signed_in_client(app, "ny@example.org", PASSWORD).get("/api/v1/me").json()[
        "time_zone"
    ] == ("America/New_York")


def test_a_late_evening_check_in_counts_for_the_local_day_in_the_trend(
    alice: TestClient,
) -> None:
    at = late_evening_in_new_york()
    assert at.astimezone(UTC).date() == at.date() + timedelta(days=1)
    entry = {"leg_pain": 6, "back_pain": 3, "recorded_at": at.astimezone(UTC).isoformat()}
    assert alice.post("/api/v1/diary", json=entry).status_code == 201
    in_utc = alice.get("/api/v1/trend").json()["days"]
    assert [d["day"] for d in in_utc] == [(at.date() + timedelta(days=1)).isoformat()]
    alice.patch("/api/v1/me", json={"time_zone": "America/New_York"})
    in_new_york = alice.get("/api/v1/trend").json()["days"]
    assert [d["day"] for d in in_new_york] == [at.date().isoformat()]
    stored = alice.get("/api/v1/diary").json()[0]["recorded_at"]
    assert datetime.fromisoformat(stored) == at, "stored times stay the same instant"


def sign_up(pages: TestClient, **extra: str) -> str:
    form = {"email": "alice@example.org", "password": PASSWORD, **extra}
    response = post_form(pages, "/signup", "/signup", form)
    assert response.status_code == 200, response.text[:500]
    login = {"email": form["email"], "password": PASSWORD}
    response = post_form(pages, "/login", "/login", login)
    assert response.status_code == 200, response.text[:500]
    return str(response.text)


def test_the_sign_up_form_offers_every_zone_and_guesses_only_until_one_is_chosen(
    pages: TestClient,
) -> None:
    html = pages.get("/signup").text
    assert f'<script src="{static_url("js/time_zone.js")}" defer></script>' in html
    assert 'data-guess-zone="true"' in html
    assert '<option value="UTC" selected>' in html
    assert '<option value="Europe/London">Europe/London</option>' in html
    refused = post_form(
        pages, "/signup", "/signup", {"email": "x", "password": "x", "time_zone": "Asia/Tokyo"}
    )
    assert refused.status_code == 422
    assert '<option value="Asia/Tokyo" selected>' in refused.text
    assert "data-guess-zone" not in refused.text, "a chosen zone is not guessed over"


def test_pages_show_times_in_the_account_holders_zone(pages: TestClient) -> None:
    sign_up(pages, time_zone="America/New_York")
    at = late_evening_in_new_york()
    form = {"leg_pain": "6", "back_pain": "3"}
    post_form(pages, "/diary/new", "/diary", form)
    entries = pages.get("/api/v1/diary").json()
    entry_id = entries[0]["id"]
    pages.patch(
        f"/api/v1/diary/{entry_id}",
        json={"recorded_at": at.astimezone(UTC).isoformat()},
        headers={"x-csrftoken": pages.get("/api/v1/auth/csrf").json()["csrf_token"]},
    )
    local = f"{at.day} {at:%b %Y}, 23:30"
    assert local in pages.get("/diary").text
    assert local in pages.get("/dashboard").text
    utc = at.astimezone(UTC)
    assert f"{utc.day} {utc:%b %Y}, {utc:%H:%M}" not in pages.get("/diary").text


def test_the_settings_form_changes_the_zone_and_keeps_the_answer_on_error(
    pages: TestClient,
) -> None:
    sign_up(pages)
    settings = pages.get("/settings").text
    assert '<option value="UTC" selected>' in settings
    assert 'name="csrftoken"' in settings and "data-guess-zone" not in settings
    refused = post_form(pages, "/settings", "/settings", {"time_zone": "Mars/Olympus"})
    assert refused.status_code == 422 and 'href="#field-time_zone"' in refused.text
    assert '<option value="Mars/Olympus" selected>' in refused.text
    saved = post_form(pages, "/settings", "/settings", {"time_zone": "Europe/London"})
    assert saved.status_code == 200 and "Your time zone is Europe/London" in saved.text
    assert '<option value="Europe/London" selected>' in saved.text
    assert pages.get("/api/v1/me").json()["time_zone"] == "Europe/London"


def test_a_therapist_enters_and_reads_times_in_their_own_zone_and_the_client_in_theirs(
    pages: TestClient,
) -> None:
    tess, alice, client_id = sharing_pair(pages)
    post_form(tess, "/settings", "/settings", {"time_zone": "Asia/Tokyo"})
    post_form(alice, "/settings", "/settings", {"time_zone": "Europe/London"})
    page = f"/therapist/clients/{client_id}"
    year = datetime.now(UTC).year + 1  # a next session is booked at most two years ahead
    post_form(tess, page, f"{page}/next-session", {"next_session_at": f"{year}-03-04T09:30"})
    # 09:30 in Tokyo is 00:30 UTC, which is 00:30 in London in March (GMT).
    assert f"4 Mar {year}, 09:30" in tess.get("/therapist/clients").text
    assert f'value="{year}-03-04T09:30"' in tess.get(page).text
    assert f"4 Mar {year}, 00:30" in alice.get("/sharing").text
