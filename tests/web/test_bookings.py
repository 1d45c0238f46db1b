"""Bookings over the API and on the pages: booking, every action, refusals named by field,
a slot just taken, the cancellation policy, consent after booking, and the therapist's list."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.db.tables import utcnow
from tests.booking_setup import days_ahead, open_diary_in, set_rules, slot_in, start_in_the_past
from tests.conftest import baseline
from tests.web.conftest import add_user, signed_in_client
from tests.web.consent import API, PROFILE, share, user_id
from tests.web.test_rate_limits import app_with


@pytest.fixture
def tess_id(app: FastAPI, tess: TestClient) -> str:
    assert tess.put(f"{API}/therapist/profile", json=PROFILE).status_code == 200
    therapist = user_id(tess)
    open_diary_in(app.state.database, therapist)
    return therapist


def _book(http: TestClient, therapist: str, starts: Any = None, **extra: Any) -> Any:
    body = {
        "therapist_id": therapist,
        "starts_at": (starts or days_ahead(3)).isoformat(),
        "length_minutes": 60,
        **extra,
    }
    return http.post(f"{API}/bookings", json=body)


def test_the_api_books_lists_and_reads_a_booking(
    alice: TestClient, tess: TestClient, bob: TestClient, tess_id: str
) -> None:
    made = _book(alice, tess_id)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "confirmed" and body["actions"] == ["reschedule", "cancel"]
    assert alice.get(f"{API}/bookings").json()[0]["id"] == body["id"]
    assert tess.get(f"{API}/bookings/{body['id']}").json()["viewer"] == "therapist"
    assert bob.get(f"{API}/bookings/{body['id']}").status_code == 404
    assert bob.get(f"{API}/bookings").json() == []
    only = alice.get(f"{API}/bookings", params={"status": "cancelled"})
    assert only.status_code == 200 and only.json() == []


def test_api_refusals_name_the_field(alice: TestClient, tess_id: str) -> None:
    naive = _book(alice, tess_id, days_ahead(3).replace(tzinfo=None))
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "starts_at"
    wrong_length = alice.post(
        f"{API}/bookings",
        json={
            "therapist_id": tess_id,
            "starts_at": days_ahead(3).isoformat(),
            "length_minutes": 45,
        },
    )
    assert wrong_length.status_code == 422
    assert wrong_length.json()["errors"][0]["field"] == "length_minutes"
    assert _book(alice, tess_id).status_code == 201
    taken = _book(alice, tess_id, days_ahead(3) + timedelta(minutes=30))
    assert taken.status_code == 422 and taken.json()["errors"][0]["field"] == "starts_at"
    far = _book(alice, tess_id, days_ahead(3).replace(year=9999))
    assert far.status_code == 422 and far.json()["errors"][0]["field"] == "starts_at"
    for odd in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "not a time"):
        answer = alice.post(
            f"{API}/bookings",
            json={"therapist_id": tess_id, "starts_at": odd, "length_minutes": 60},
        )
        assert answer.status_code == 422, (odd, answer.text)
    assert _book(alice, "f" * 32).status_code == 404
    bad_filter = alice.get(f"{API}/bookings", params={"status": "bogus"})
    assert bad_filter.status_code == 422 and bad_filter.json()["errors"][0]["field"].startswith(
        "status"
    )


def test_the_api_walks_request_propose_accept_reschedule_cancel(
    app: FastAPI, alice: TestClient, tess: TestClient, tess_id: str
) -> None:
    with app.state.database.session() as db:
        set_rules(db, tess_id, new_clients="request")
    made = _book(alice, tess_id).json()
    assert made["status"] == "requested"
    base = f"{API}/bookings/{made['id']}"
    assert alice.post(f"{base}/confirm").status_code == 403
    later = days_ahead(4, 14).isoformat()
    proposed = tess.post(f"{base}/propose", json={"starts_at": later})
    assert proposed.status_code == 200 and proposed.json()["status"] == "proposed"
    accepted = alice.post(f"{base}/accept", json={"sequence": proposed.json()["sequence"]})
    assert accepted.json()["status"] == "confirmed", accepted.text
    stale = tess.post(f"{base}/reschedule", json={"starts_at": later, "sequence": 0})
    assert stale.status_code == 409 and "changed meanwhile" in stale.json()["detail"]
    moved = tess.post(f"{base}/reschedule", json={"starts_at": days_ahead(6).isoformat()})
    assert moved.status_code == 200 and moved.json()["starts_at"].startswith(
        days_ahead(6).date().isoformat()
    )
    cancelled = alice.post(f"{base}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert tess.post(f"{base}/status", json={"status": "completed"}).status_code == 409
    assert tess.post(f"{base}/status", json={"status": "bogus"}).status_code == 422


def test_the_api_cancellation_policy_and_the_therapists_outcomes(
    app: FastAPI, alice: TestClient, tess: TestClient, tess_id: str
) -> None:
    soon = _book(alice, tess_id, slot_in(3)).json()
    assert soon["inside_window"]
    base = f"{API}/bookings/{soon['id']}"
    refused = alice.post(f"{base}/cancel", json={})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "confirm_late"
    done = alice.post(f"{base}/cancel", json={"confirm_late": True}).json()
    assert done["cancelled_late"] and done["status"] == "cancelled"
    late = tess.post(f"{base}/status", json={"status": "late_cancelled"})
    assert late.status_code == 200 and late.json()["status"] == "late_cancelled"
    later = _book(alice, tess_id).json()
    with app.state.database.session() as db:
        start_in_the_past(db, later["id"])
    assert (
        alice.post(f"{API}/bookings/{later['id']}/status", json={"status": "no_show"}).status_code
        == 403
    )
    shown = tess.post(f"{API}/bookings/{later['id']}/status", json={"status": "no_show"})
    assert shown.json()["status"] == "no_show"


def post_page(http: TestClient, url: str, data: dict[str, Any] | None = None) -> Any:
    """A form post as a browser sends it (the redirect not followed)."""
    return http.post(url, data=data or {}, follow_redirects=False)


def test_the_book_page_books_a_free_time_without_javascript(
    alice: TestClient, tess: TestClient, tess_id: str
) -> None:
    day = days_ahead(3).date()
    page = alice.get(f"/therapists/{tess_id}/book", params={"day": day.isoformat()})
    assert page.status_code == 200 and "Book this time" in page.text
    assert "(UTC)" in page.text  # times are shown in the viewer's zone, named
    value = re.search(r'name="starts_at" value="([^"]+)"', page.text)
    assert value
    done = post_page(
        alice,
        f"/therapists/{tess_id}/book",
        {"length_minutes": "60", "day": day.isoformat(), "starts_at": value.group(1)},
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/bookings/")
    booking_page = alice.get(done.headers["location"])
    assert "Your booking is made." in booking_page.text
    assert "Share your record with" in booking_page.text  # consent offered, nothing shared
    again = post_page(
        alice,
        f"/therapists/{tess_id}/book",
        {"length_minutes": "60", "day": day.isoformat(), "starts_at": value.group(1)},
    )
    assert again.status_code == 422 and "just been taken" in again.text
    assert 'name="starts_at"' in again.text  # fresh times to choose from
    assert value.group(1) not in again.text


def test_the_book_page_names_bad_input(alice: TestClient, tess_id: str) -> None:
    missing = post_page(alice, f"/therapists/{tess_id}/book", {"length_minutes": "60"})
    assert missing.status_code == 422 and "Time: choose one of the free times" in missing.text
    bad_day = alice.get(
        f"/therapists/{tess_id}/book", params={"day": "31/02", "length_minutes": "7"}
    )
    assert bad_day.status_code == 422
    assert "Session length: choose one of 30, 60 minutes" in bad_day.text
    far = alice.get(f"/therapists/{tess_id}/book", params={"day": "9999-12-31"})
    assert far.status_code == 422 and "Day: give a date" in far.text
    assert alice.get(f"/therapists/{'0' * 32}/book").status_code == 404


def test_the_booking_page_shows_the_policy_before_a_late_cancel(
    alice: TestClient, tess: TestClient, tess_id: str
) -> None:
    made = _book(alice, tess_id, slot_in(3)).json()
    page = alice.get(f"/bookings/{made['id']}")
    assert "Cancellation policy" in page.text and "may be charged" in page.text
    refused = post_page(
        alice, f"/bookings/{made['id']}/cancel", {"sequence": str(made["sequence"])}
    )
    assert refused.status_code == 422 and "Cancellation policy:" in refused.text
    done = post_page(
        alice,
        f"/bookings/{made['id']}/cancel",
        {"sequence": str(made["sequence"]), "confirm_late": "yes"},
    )
    assert done.status_code == 303
    therapist_page = tess.get(f"/bookings/{made['id']}")
    assert "(cancelled late)" in therapist_page.text
    assert "Record as a late cancellation" in therapist_page.text
    listed = tess.get("/therapist/bookings")
    assert "cancelled late" in listed.text
    recorded = post_page(tess, f"/bookings/{made['id']}/status", {"status": "late_cancelled"})
    assert recorded.status_code == 303
    assert "Late cancellation" in tess.get(f"/bookings/{made['id']}").text


def test_rescheduling_on_the_page_lists_free_times_and_moves_it(
    alice: TestClient, tess: TestClient, tess_id: str
) -> None:
    made = _book(alice, tess_id).json()
    day = days_ahead(5).date().isoformat()
    picker = tess.get(f"/bookings/{made['id']}", params={"change": "reschedule", "day": day})
    assert "Move to this time" in picker.text
    value = re.search(r'name="starts_at" value="([^"]+)"', picker.text)
    assert value
    moved = post_page(
        tess,
        f"/bookings/{made['id']}/reschedule",
        {"starts_at": value.group(1), "sequence": str(made["sequence"])},
    )
    assert moved.status_code == 303
    stale = post_page(alice, f"/bookings/{made['id']}/cancel", {"sequence": str(made["sequence"])})
    assert stale.status_code == 409 and "changed meanwhile" in stale.text
    missing = post_page(tess, f"/bookings/{made['id']}/reschedule", {})
    assert missing.status_code == 422 and "Time: choose one of the free times" in missing.text


def test_consent_after_booking_shares_only_what_is_ticked_and_links_the_brief(
    alice: TestClient, tess: TestClient, tess_id: str
) -> None:
    assert alice.post(f"{API}/assessments", json=baseline()).status_code == 200
    made = _book(alice, tess_id).json()
    therapist_page = tess.get(f"/bookings/{made['id']}")
    assert (
        "has not shared their record" in therapist_page.text and "/brief" not in therapist_page.text
    )
    screen = alice.get(f"/bookings/{made['id']}/share")
    assert screen.status_code == 200 and "Nothing is shared until you tick it" in screen.text
    assert " checked" not in screen.text.split("<form")[-1]  # nothing pre-ticked
    nothing = post_page(alice, f"/bookings/{made['id']}/share", {})
    assert nothing.status_code == 422 and "tick at least one" in nothing.text
    assert tess.get(f"{API}/therapist/clients").json() == []
    done = post_page(alice, f"/bookings/{made['id']}/share", {"scopes": ["assessments"]})
    assert done.status_code == 303
    assert alice.get(f"{API}/sharing").json()[0]["scopes"] == ["assessments"]
    brief = re.search(
        r'href="(/assessments/[0-9a-f]+/brief)"', tess.get(f"/bookings/{made['id']}").text
    )
    assert brief and tess.get(brief.group(1)).status_code == 200


def test_nobody_else_reaches_a_booking_page(
    alice: TestClient, bob: TestClient, ada: TestClient, tess_id: str, sign_in: Any
) -> None:
    made = _book(alice, tess_id).json()
    uma = sign_in("uma@example.org", "therapist")
    for outsider in (bob, ada, uma):
        assert outsider.get(f"/bookings/{made['id']}").status_code == 404
        assert post_page(outsider, f"/bookings/{made['id']}/cancel", {}).status_code == 404
    assert bob.get(f"/bookings/{made['id']}/share").status_code == 404
    assert uma.get("/therapist/bookings").status_code == 200
    assert "No requests waiting" in uma.get("/therapist/bookings").text


def test_the_therapists_list_puts_requests_first(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient, tess_id: str
) -> None:
    share(alice, tess)
    with app.state.database.session() as db:
        set_rules(db, tess_id, new_clients="request")
    confirmed = _book(alice, tess_id, days_ahead(2)).json()
    requested = _book(bob, tess_id, days_ahead(4)).json()
    assert (confirmed["status"], requested["status"]) == ("confirmed", "requested")
    page = tess.get("/therapist/bookings").text
    answer, diary = page.index("Requests to answer"), page.index("Diary")
    assert answer < page.index(requested["id"]) < diary < page.index(confirmed["id"])
    assert utcnow() < days_ahead(2)


def test_making_bookings_is_rate_limited_per_address(settings: Settings) -> None:
    with app_with(settings, rate_limit_booking="2/minute") as app:
        add_user(app, "jo@example.org")
        add_user(app, "theo@example.org", "therapist")
        jo = signed_in_client(app, "jo@example.org")
        theo = signed_in_client(app, "theo@example.org")
        therapist = user_id(theo)
        open_diary_in(app.state.database, therapist)
        assert _book(jo, therapist, days_ahead(3)).status_code == 201
        assert _book(jo, therapist, days_ahead(4)).status_code == 201
        limited = _book(jo, therapist, days_ahead(5))
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
        page = jo.post(f"/therapists/{therapist}/book", data={}, follow_redirects=False)
        assert page.status_code == 429
        assert jo.get(f"{API}/bookings").status_code == 200  # reading is not limited
