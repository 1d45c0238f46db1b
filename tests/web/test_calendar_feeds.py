"""Calendar feeds and .ics files over HTTP (SQLite and PostgreSQL): made, fetched without
cookies, rotated and revoked; what the entries say (and never: health data); a series across
the March daylight-saving change; one booking's .ics for its two people only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
import recurring_ical_events
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.db.tables import utcnow
from tests.web.bookings import LONDON, add_booking, add_series, name_user, set_booking
from tests.web.consent import API, PROFILE, share, user_id, write_note
from tests.web.test_rate_limits import ELSEWHERE, app_with

NEXT_WEEK = utcnow() + timedelta(days=7)


@pytest.fixture
def people(app: FastAPI, alice: TestClient, tess: TestClient) -> dict[str, str]:
    tess.put(f"{API}/therapist/profile", json=PROFILE)
    ids = {"alice": user_id(alice), "tess": user_id(tess)}
    name_user(app, ids["alice"], "Alice Smith", "Europe/London")
    name_user(app, ids["tess"], "Tess Morgan", "Europe/London")
    return ids


def make_feed(http: TestClient) -> str:
    made = http.post(f"{API}/calendar/feeds")
    assert made.status_code == 201, made.text
    url: str = made.json()["url"]
    assert url.endswith(".ics") and made.json()["webcal_url"].startswith("webcal://")
    return url[url.index("/calendar/") :]


def fetch(app: FastAPI, path: str) -> icalendar.Calendar:
    """The feed as a calendar app gets it: no cookies, no CSRF token."""
    response = TestClient(app).get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_a_feed_is_made_fetched_without_cookies_rotated_and_stopped(
    app: FastAPI, alice: TestClient, people: dict[str, str]
) -> None:
    add_booking(app, client_id=people["alice"], therapist_id=people["tess"], starts_at=NEXT_WEEK)
    first = make_feed(alice)
    response = TestClient(app).get(first)
    assert "private" in response.headers["cache-control"]
    assert response.headers["etag"] and response.headers["last-modified"]
    cal = icalendar.Calendar.from_ical(response.content)
    event = cal.walk("VEVENT")[0]
    assert event["SUMMARY"] == "Massage appointment with Tess"
    assert event["LOCATION"] == "Cardiff" and event["STATUS"] == "CONFIRMED"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert len(alice.get(f"{API}/calendar/feeds").json()) == 1

    second = make_feed(alice)  # rotating: the old address stops at once
    assert TestClient(app).get(first).status_code == 404
    assert fetch(app, second).walk("VEVENT")[0]["UID"] == event["UID"]  # stable UID
    assert alice.delete(f"{API}/calendar/feeds").status_code == 204
    assert TestClient(app).get(second).status_code == 404
    assert alice.get(f"{API}/calendar/feeds").json() == []


def test_an_unchanged_feed_answers_304_to_its_etag(
    app: FastAPI, alice: TestClient, people: dict[str, str]
) -> None:
    booking = add_booking(
        app, client_id=people["alice"], therapist_id=people["tess"], starts_at=NEXT_WEEK
    )
    path = make_feed(alice)
    etag = TestClient(app).get(path).headers["etag"]
    assert TestClient(app).get(path, headers={"if-none-match": etag}).status_code == 304
    set_booking(app, booking, status="requested")
    changed = TestClient(app).get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_made_up_and_malformed_tokens_find_nothing(app: FastAPI) -> None:
    anyone = TestClient(app)
    assert anyone.get(f"/calendar/{'A' * 43}.ics").status_code == 404
    assert anyone.get("/calendar/short.ics").status_code == 404
    assert anyone.get(f"/calendar/{'%00' * 43}.ics").status_code in {400, 404}


def test_the_therapist_feed_names_the_client_by_first_name_and_initial(
    app: FastAPI, tess: TestClient, people: dict[str, str]
) -> None:
    add_booking(app, client_id=people["alice"], therapist_id=people["tess"], starts_at=NEXT_WEEK)
    event = fetch(app, make_feed(tess)).walk("VEVENT")[0]
    assert event["SUMMARY"] == "Massage: Alice S."


def test_requests_are_tentative_and_cancelled_bookings_are_left_out(
    app: FastAPI, alice: TestClient, people: dict[str, str]
) -> None:
    pair = {"client_id": people["alice"], "therapist_id": people["tess"]}
    requested = add_booking(app, **pair, starts_at=NEXT_WEEK, status="requested")
    add_booking(app, **pair, starts_at=NEXT_WEEK + timedelta(days=1), status="cancelled")
    add_booking(app, **pair, starts_at=NEXT_WEEK + timedelta(days=2), status="declined")
    events = fetch(app, make_feed(alice)).walk("VEVENT")
    assert [(e["UID"], e["STATUS"]) for e in events] == [
        (f"booking-{requested}@massage-bookings", "TENTATIVE")
    ]


def test_no_health_data_reaches_a_calendar(
    app: FastAPI, alice: TestClient, tess: TestClient, people: dict[str, str]
) -> None:
    alice.post(f"{API}/diary", json={"leg_pain": 8, "back_pain": 3, "note": "Sciatica flare"})
    share(alice, tess)
    write_note(tess, people["alice"])
    booking = add_booking(
        app, client_id=people["alice"], therapist_id=people["tess"], starts_at=NEXT_WEEK
    )
    bodies = [
        TestClient(app).get(make_feed(alice)).text,
        TestClient(app).get(make_feed(tess)).text,
        alice.get(f"/bookings/{booking}.ics").text,
    ]
    for body in bodies:
        lowered = body.lower()
        for word in ("sciatica", "pain", "piriformis", "flare", "myofascial", "diagnos"):
            assert word not in lowered
        assert "alice@example.org" not in lowered and "tess@example.org" not in lowered


def test_a_weekly_0900_series_stays_0900_london_across_the_march_change(
    app: FastAPI, alice: TestClient, people: dict[str, str]
) -> None:
    year = date.today().year + 1
    _, starts, ids = add_series(
        app,
        client_id=people["alice"],
        therapist_id=people["tess"],
        first_local=datetime(year, 3, 15, 9, 0),
        count=6,
    )
    set_booking(app, ids[1], status="cancelled")
    set_booking(app, ids[3], starts_at=starts[3] + timedelta(hours=2))
    set_booking(app, ids[3], ends_at=starts[3] + timedelta(hours=3))
    cal = fetch(app, make_feed(alice))
    master = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and master["RRULE"]["COUNT"] == [6]
    assert master["DTSTART"].params["TZID"] == "Europe/London"
    expanded = recurring_ical_events.of(cal).between(date(year, 3, 1), date(year, 6, 1))
    local = sorted(e["DTSTART"].dt.astimezone(LONDON) for e in expanded)
    assert len(local) == 5  # one cancelled: an EXDATE
    assert starts[1].astimezone(LONDON) not in local
    moved = starts[3].astimezone(LONDON) + timedelta(hours=2)
    assert moved in local and moved.time() == time(11, 0)
    assert {t.time() for t in local if t != moved} == {time(9, 0)}  # before and after the change
    assert len({t.utcoffset() for t in local}) == 2  # GMT and BST both present


def test_one_booking_as_ics_for_its_two_people_only(
    app: FastAPI, alice: TestClient, tess: TestClient, bob: TestClient, people: dict[str, str]
) -> None:
    booking = add_booking(
        app, client_id=people["alice"], therapist_id=people["tess"], starts_at=NEXT_WEEK
    )
    mine = alice.get(f"/bookings/{booking}.ics")
    assert mine.status_code == 200 and "attachment" in mine.headers["content-disposition"]
    event = icalendar.Calendar.from_ical(mine.content).walk("VEVENT")[0]
    assert event["SUMMARY"] == "Massage appointment with Tess"
    therapists = icalendar.Calendar.from_ical(tess.get(f"/bookings/{booking}.ics").content)
    assert therapists.walk("VEVENT")[0]["SUMMARY"] == "Massage: Alice S."
    assert bob.get(f"/bookings/{booking}.ics").status_code == 404
    assert bob.get(f"/bookings/{'0' * 32}.ics").status_code == 404
    anonymous = TestClient(app).get(f"/bookings/{booking}.ics", follow_redirects=False)
    assert anonymous.headers["location"] == "/login"
    set_booking(app, booking, status="cancelled")
    cancelled = icalendar.Calendar.from_ical(alice.get(f"/bookings/{booking}.ics").content)
    event = cancelled.walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1


def test_the_calendar_page_shows_the_address_once(
    app: FastAPI, alice: TestClient, people: dict[str, str]
) -> None:
    assert "You have no calendar address yet" in alice.get("/calendar").text
    made = alice.post("/calendar")
    assert made.status_code == 200 and "shown only this once" in made.text
    token_path = made.text.split('value="http://127.0.0.1:8000', 1)[1].split('"', 1)[0]
    assert TestClient(app).get(token_path).status_code == 200
    again = alice.get("/calendar")
    assert token_path not in again.text and "You have a calendar address" in again.text
    stopped = alice.post("/calendar/revoke")
    assert "Stopped" in stopped.text
    assert TestClient(app).get(token_path).status_code == 404


def test_admins_have_no_feed(ada: TestClient) -> None:
    assert ada.post(f"{API}/calendar/feeds").status_code == 403
    assert ada.get("/calendar").status_code == 403


def test_feeds_and_ics_files_are_rate_limited_per_address(settings: Settings) -> None:
    with app_with(settings, rate_limit_calendar="2/minute") as app:
        anyone = TestClient(app)
        for _ in range(2):  # guessing tokens costs the guesser their allowance too
            assert anyone.get(f"/calendar/{'A' * 43}.ics").status_code == 404
        answer = anyone.get(f"/calendar/{'B' * 43}.ics")
        assert answer.status_code == 429 and int(answer.headers["retry-after"]) > 0
        assert anyone.get(f"/bookings/{'0' * 32}.ics").status_code == 429
        assert TestClient(app, client=ELSEWHERE).get("/calendar").status_code == 200
