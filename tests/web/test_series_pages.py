"""The series and waitlist pages: preview with a conflict, book the free dates, the series
page; a wrong number re-rendered next to its field with the input kept; join the waitlist,
see the offer, take it."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sciatica_care.db.tables import WaitlistEntry
from tests.web.booking_setup import book, cancel, days_ahead, open_diary, user_id


def _ids(app: FastAPI) -> tuple[str, str, str]:
    therapist = user_id(app, "tess@example.org")
    open_diary(app, therapist)
    return therapist, user_id(app, "alice@example.org"), user_id(app, "bob@example.org")


def test_a_series_is_previewed_with_its_conflict_and_booked_without_it(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient
) -> None:
    therapist, alice_id, bob_id = _ids(app)
    first = book(app, therapist_id=therapist, client_id=alice_id, starts_at=days_ahead(3))
    book(app, therapist_id=therapist, client_id=bob_id, starts_at=days_ahead(3 + 7))
    page = alice.get(f"/bookings/{first}/series")
    assert page.status_code == 200
    assert "already taken" in page.text
    assert page.text.count('name="sessions"') == 4  # plan: 6 sessions, the first and one taken
    assert bob.get(f"/bookings/{first}/series").status_code == 404
    made = alice.post(
        f"/bookings/{first}/series",
        data={"every_weeks": "1", "count": "6", "action": "create", "sessions": ["3", "4"]},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    shown = alice.get(made.headers["location"])
    assert "Session 3 of 3" in shown.text and "Cancel the rest of the series" in shown.text
    assert "Confirm all" not in tess.get(f"/bookings/{first}/series").text  # all confirmed
    # The booking's own page says where it sits in the series, for both people.
    assert "Session 1 of 3" in alice.get(f"/bookings/{first}").text
    assert "Session 1 of 3" in tess.get(f"/bookings/{first}").text


def test_a_single_booking_offers_to_make_it_regular(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient
) -> None:
    therapist, alice_id, _ = _ids(app)
    single = book(app, therapist_id=therapist, client_id=alice_id, starts_at=days_ahead(4))
    page = alice.get(f"/bookings/{single}")
    assert f'href="/bookings/{single}/series"' in page.text and "every week" in page.text


def test_a_wrong_number_is_shown_next_to_its_field_with_the_input_kept(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient
) -> None:
    therapist, alice_id, _ = _ids(app)
    first = book(app, therapist_id=therapist, client_id=alice_id, starts_at=days_ahead(3))
    page = alice.post(
        f"/bookings/{first}/series",
        data={"every_weeks": "x2", "count": "4o", "action": "preview"},
    )
    assert page.status_code == 422
    assert 'id="field-every_weeks-error"' in page.text and 'value="x2"' in page.text
    assert 'id="field-count-error"' in page.text and 'value="4o"' in page.text
    again = alice.post(
        f"/bookings/{first}/series", data={"every_weeks": "1", "count": "40", "action": "preview"}
    )
    assert again.status_code == 422
    assert "choose between 2 and 12 sessions" in again.text and 'value="40"' in again.text


def test_join_the_waitlist_and_take_the_offered_time(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient
) -> None:
    therapist, alice_id, _ = _ids(app)
    taken = book(app, therapist_id=therapist, client_id=alice_id, starts_at=days_ahead(2))
    assert tess.get(f"/therapists/{therapist}/waitlist").status_code == 404
    form = bob.get(f"/therapists/{therapist}/waitlist")
    assert form.status_code == 200 and "Join the waitlist" in form.text
    wrong = bob.post(f"/therapists/{therapist}/waitlist", data={"length_minutes": "45"})
    assert wrong.status_code == 422 and 'id="field-length_minutes-error"' in wrong.text
    joined = bob.post(
        f"/therapists/{therapist}/waitlist", data={"length_minutes": "60"}, follow_redirects=False
    )
    assert joined.status_code == 303
    cancel(app, taken)
    with app.state.database.session() as db:
        entry = db.scalars(select(WaitlistEntry.id)).one()
    offer = bob.get(f"/waitlist/{entry}")
    assert "Take this time" in offer.text and "Held for you until" in offer.text
    assert alice.get(f"/waitlist/{entry}").status_code == 404
    took = bob.post(f"/waitlist/{entry}/accept", follow_redirects=False)
    assert took.status_code == 303
    assert "The time is yours" in bob.get(took.headers["location"]).text
