"""The client's side of the visit (SQLite and PostgreSQL): "My sessions" with coming and past
sessions in plain words, the SOAP text only when the therapist shares it (page, API, form), the
next appointment on the dashboard, and bookings in the export and the erase."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sciatica_care.db.tables import (
    Booking,
    BookingSeries,
    CalendarFeed,
    WaitlistEntry,
    new_id,
    utcnow,
)
from tests.web.bookings import LONDON, add_booking, add_series, name_user
from tests.web.consent import API, PROFILE, share, user_id, write_note

SOAP_WORDS = "Tight piriformis on the left."  # the objective of consent.note_body()


@pytest.fixture
def people(app: FastAPI, alice: TestClient, tess: TestClient) -> dict[str, str]:
    tess.put(f"{API}/therapist/profile", json=PROFILE)
    ids = {"alice": user_id(alice), "tess": user_id(tess)}
    name_user(app, ids["alice"], "Alice Smith", "Europe/London")
    name_user(app, ids["tess"], "Tess Morgan", "Europe/London")
    return ids


def test_my_sessions_lists_coming_and_past_sessions_in_plain_words(
    app: FastAPI, alice: TestClient, tess: TestClient, people: dict[str, str]
) -> None:
    share(alice, tess)
    note = write_note(tess, people["alice"], home_care=["piriformis_stretch"])
    coming = datetime(2030, 6, 4, 9, 0, tzinfo=LONDON)
    add_booking(app, client_id=people["alice"], therapist_id=people["tess"], starts_at=coming)
    add_booking(
        app,
        client_id=people["alice"],
        therapist_id=people["tess"],
        starts_at=utcnow() + timedelta(days=3),
        status="cancelled",
    )
    page = alice.get("/sessions")
    assert page.status_code == 200
    text = page.text
    coming_part, past_part = text.split('id="past-title"')
    assert "Tue 4 Jun 2030, 09:00 (Europe/London)" in coming_part
    assert "With Tess Morgan" in coming_part and "Cancelled" not in coming_part
    assert "Myofascial release" in past_part and "Light" in past_part
    assert "7 out of 10 before, 4 after" in past_part
    assert "Piriformis" in past_part  # the stretch by its name, with how to do it
    assert f'href="/notes/{note["id"]}"' in past_part
    assert SOAP_WORDS not in text  # the SOAP text stays the therapist's


def test_the_soap_text_reaches_the_client_only_once_shared(
    alice: TestClient, tess: TestClient, people: dict[str, str]
) -> None:
    share(alice, tess)
    note = write_note(tess, people["alice"])
    assert note["shared_with_client"] is False
    mine = alice.get(f"{API}/notes/{note['id']}").json()
    assert mine["current"]["objective"] == "" and mine["current"]["techniques"]
    assert SOAP_WORDS not in alice.get(f"/notes/{note['id']}").text
    assert alice.get(f"{API}/notes").json()[0]["current"]["subjective"] == ""
    # The therapist still reads it all.
    assert tess.get(f"{API}/notes/{note['id']}").json()["current"]["objective"] == SOAP_WORDS

    shared = tess.patch(f"{API}/notes/{note['id']}", json={"shared_with_client": True})
    assert shared.status_code == 200 and shared.json()["shared_with_client"] is True
    assert shared.json()["version"] == note["version"]  # a setting, not a revision
    assert alice.get(f"{API}/notes/{note['id']}").json()["current"]["objective"] == SOAP_WORDS
    assert SOAP_WORDS in alice.get("/sessions").text

    refused = tess.patch(f"{API}/notes/{note['id']}", json={"shared_with_client": "maybe"})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["shared_with_client"]


def test_the_note_form_has_the_switch(
    alice: TestClient, tess: TestClient, people: dict[str, str]
) -> None:
    share(alice, tess)
    form = tess.get(f"/therapist/clients/{people['alice']}/notes/new").text
    assert (
        'name="shared_with_client"' in form
        and "checked" not in form.split('name="shared_with_client"')[1].split(">")[0]
    )
    body = {
        "pressure": "light",
        "duration_minutes": "45",
        "leg_pain_before": "6",
        "back_pain_before": "3",
        "leg_pain_after": "4",
        "back_pain_after": "2",
        "objective": "Shared words.",
        "shared_with_client": "yes",
    }
    saved = tess.post(
        f"/therapist/clients/{people['alice']}/notes", data=body, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    note = alice.get(f"{API}/notes").json()[0]
    assert note["shared_with_client"] is True and note["current"]["objective"] == "Shared words."
    edit = tess.get(f"/notes/{note['id']}/edit").text
    assert 'name="shared_with_client" value="yes" aria-describedby' in edit
    assert "checked" in edit.split('name="shared_with_client"')[1].split(">")[0]


def test_a_therapist_and_an_admin_have_no_my_sessions(tess: TestClient, ada: TestClient) -> None:
    assert tess.get("/sessions").status_code == 403
    assert ada.get("/sessions").status_code == 403


def test_the_dashboard_shows_the_next_appointment(
    app: FastAPI, alice: TestClient, people: dict[str, str]
) -> None:
    assert "Your next appointment" not in alice.get("/dashboard").text
    soon = datetime(2031, 1, 7, 10, 30, tzinfo=LONDON)
    booking = add_booking(
        app, client_id=people["alice"], therapist_id=people["tess"], starts_at=soon
    )
    add_booking(
        app,
        client_id=people["alice"],
        therapist_id=people["tess"],
        starts_at=soon + timedelta(days=7),
    )
    page = alice.get("/dashboard").text
    assert "Your next appointment" in page
    assert f'href="/bookings/{booking}"' in page
    assert "Tue 7 Jan 2031, 10:30 (Europe/London)" in page and "Tess Morgan" in page
    assert 'href="/sessions"' in page


def test_bookings_series_and_the_waitlist_are_in_the_export(
    app: FastAPI, alice: TestClient, people: dict[str, str]
) -> None:
    pair = {"client_id": people["alice"], "therapist_id": people["tess"]}
    add_booking(app, **pair, starts_at=datetime(2030, 6, 4, 9, 0, tzinfo=LONDON))
    series_id, _, _ = add_series(app, **pair, first_local=datetime(2030, 7, 1, 9, 0), count=2)
    with app.state.database.session() as db:
        db.add(WaitlistEntry(clinic_id="default", id=new_id(), length_minutes=60, **pair))
        db.commit()
    document = alice.get(f"{API}/export").json()
    assert len(document["bookings"]) == 3
    assert document["bookings"][0]["therapist_name"] == "Tess Morgan"
    assert document["booking_series"][0]["id"] == series_id
    assert document["booking_series"][0]["local_time"] == "09:00"
    assert document["waitlist"][0]["status"] == "waiting"
    archive = zipfile.ZipFile(io.BytesIO(alice.get(f"{API}/export.zip").content))
    rows = list(csv.DictReader(io.StringIO(archive.read("bookings.csv").decode())))
    assert rows[0]["Starts at (Europe/London)"] == "2030-06-04 09:00"
    assert rows[0]["Status"] == "confirmed" and rows[1]["Part of a series"] == "yes"
    assert "bookings.csv" in archive.read("README.txt").decode()


def test_erasing_removes_bookings_series_waitlist_and_calendar_feeds(
    app: FastAPI, alice: TestClient, people: dict[str, str]
) -> None:
    pair = {"client_id": people["alice"], "therapist_id": people["tess"]}
    add_booking(app, **pair, starts_at=datetime(2030, 6, 4, 9, 0, tzinfo=LONDON))
    add_series(app, **pair, first_local=datetime(2030, 7, 1, 9, 0), count=2)
    with app.state.database.session() as db:
        db.add(WaitlistEntry(clinic_id="default", id=new_id(), length_minutes=60, **pair))
        db.commit()
    feed = alice.post(f"{API}/calendar/feeds").json()["url"]
    body = {"password": "correct horse battery", "confirm": "delete my account"}
    assert alice.post(f"{API}/me/erase", json=body).status_code == 204
    assert TestClient(app).get(feed[feed.index("/calendar/") :]).status_code == 404
    with app.state.database.session() as db:
        for model in (Booking, BookingSeries, WaitlistEntry):
            assert db.scalar(select(func.count()).select_from(model)) == 0
        assert db.scalar(select(func.count()).select_from(CalendarFeed)) == 0


def test_a_therapist_with_bookings_can_erase_their_account(
    app: FastAPI, tess: TestClient, people: dict[str, str]
) -> None:
    add_booking(
        app,
        client_id=people["alice"],
        therapist_id=people["tess"],
        starts_at=datetime(2030, 6, 4, 9, 0, tzinfo=LONDON),
    )
    tess.post(f"{API}/calendar/feeds")
    body = {"password": "correct horse battery", "confirm": "delete my account"}
    assert tess.post(f"{API}/me/erase", json=body).status_code == 204
    with app.state.database.session() as db:
        assert db.scalar(select(func.count()).select_from(Booking)) == 0
