"""The series and waitlist API: preview with conflicts, make without them, cancel the rest,
confirm all; join, offer, accept; every refusal names its field (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from tests.web.booking_setup import book, cancel, days_ahead, open_diary, user_id
from tests.web.conftest import add_user, signed_in_client
from tests.web.test_rate_limits import app_with

API = "/api/v1"


def _cast(app: FastAPI) -> tuple[str, str, str]:
    therapist = user_id(app, "tess@example.org")
    open_diary(app, therapist)
    return therapist, user_id(app, "alice@example.org"), user_id(app, "bob@example.org")


def test_preview_shows_the_conflict_and_the_series_is_made_without_it(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient
) -> None:
    therapist, alice_id, bob_id = _cast(app)
    first = book(app, therapist_id=therapist, client_id=alice_id, starts_at=days_ahead(3))
    book(app, therapist_id=therapist, client_id=bob_id, starts_at=days_ahead(3 + 14))
    url = f"{API}/bookings/{first}/series"
    shown = alice.post(url, params={"preview": "1"}, json={"count": 4})
    assert shown.status_code == 200, shown.text
    assert shown.json()["conflicts"] == [3]
    assert shown.json()["every_weeks"] == 1  # the plan's suggestion
    refused = alice.post(url, json={"count": 4})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "leave_out"
    assert "session 3" in refused.json()["errors"][0]["message"]
    made = alice.post(url, json={"count": 4, "leave_out": [3]})
    assert made.status_code == 201, made.text
    body = made.json()
    assert [s["number"] for s in body["sessions"]] == [1, 2, 3]
    series_url = f"{API}/series/{body['id']}"
    assert tess.get(series_url).status_code == 200
    assert bob.get(series_url).status_code == 404
    assert alice.post(f"{series_url}/confirm").status_code == 404
    assert tess.post(f"{series_url}/confirm").status_code == 200
    after = alice.post(f"{series_url}/cancel")
    assert after.status_code == 200 and after.json()["sessions"] == []
    assert alice.post(f"{series_url}/cancel").status_code == 409
    assert alice.post(url, params={"preview": "1"}, json={}).status_code == 409


def test_wrong_series_input_names_the_fields(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient
) -> None:
    therapist, alice_id, _ = _cast(app)
    first = book(app, therapist_id=therapist, client_id=alice_id, starts_at=days_ahead(3))
    url = f"{API}/bookings/{first}/series"
    wrong = alice.post(url, params={"preview": "1"}, json={"count": 50, "every_weeks": 9})
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json()["errors"]} == {"count", "every_weeks"}
    typed = alice.post(url, params={"preview": "1"}, json={"count": "many", "extra": 1})
    assert typed.status_code == 422
    assert {e["field"] for e in typed.json()["errors"]} == {"count", "extra"}
    assert alice.post(f"{API}/bookings/{'0' * 32}/series", json={}).status_code == 404


def test_a_freed_time_is_offered_and_accepted_over_the_api(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient
) -> None:
    therapist, alice_id, bob_id = _cast(app)
    soon = days_ahead(2)
    taken = book(app, therapist_id=therapist, client_id=alice_id, starts_at=soon)
    later = book(app, therapist_id=therapist, client_id=bob_id, starts_at=soon + timedelta(days=20))
    joined = bob.post(
        f"{API}/waitlist",
        json={"therapist_id": therapist, "length_minutes": 60, "booking_id": later},
    )
    assert joined.status_code == 201, joined.text
    entry = joined.json()["id"]
    assert (
        bob.post(
            f"{API}/waitlist", json={"therapist_id": therapist, "length_minutes": 60}
        ).status_code
        == 409
    )
    cancel(app, taken)
    offer = bob.get(f"{API}/waitlist/{entry}").json()
    assert offer["status"] == "offered" and offer["offered_starts_at"] is not None
    assert alice.get(f"{API}/waitlist/{entry}").status_code == 404
    assert alice.post(f"{API}/waitlist/{entry}/accept").status_code == 404
    accepted = bob.post(f"{API}/waitlist/{entry}/accept")
    assert accepted.status_code == 200, accepted.text
    assert bob.get(f"{API}/waitlist").json() == []


def test_wrong_waitlist_input_names_the_fields(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient
) -> None:
    therapist, _, _ = _cast(app)
    wrong = bob.post(f"{API}/waitlist", json={"therapist_id": "x", "length_minutes": 0})
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json()["errors"]} == {"therapist_id", "length_minutes"}
    odd = bob.post(f"{API}/waitlist", json={"therapist_id": therapist, "length_minutes": 45})
    assert odd.status_code == 422 and odd.json()["errors"][0]["field"] == "length_minutes"


def test_series_previews_are_rate_limited_per_address(settings: Settings) -> None:
    with app_with(settings, rate_limit_series="2/minute") as app:
        add_user(app, "jo@example.org")
        jo = signed_in_client(app, "jo@example.org")
        url = f"{API}/bookings/{'0' * 32}/series"
        assert [jo.post(url, params={"preview": "1"}, json={}).status_code for _ in range(2)] == [
            404,
            404,
        ]
        limited = jo.post(url, params={"preview": "1"}, json={})
        assert limited.status_code == 429 and limited.headers["retry-after"]
        assert jo.post(f"/bookings/{'0' * 32}/series", data={}).status_code == 429
        assert jo.get(f"{API}/waitlist").status_code == 200  # other routes are not counted
