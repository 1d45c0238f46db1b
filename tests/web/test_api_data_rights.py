"""The client's data rights over the API: export as JSON and CSV, erase after confirming
(health data and notes gone, the session dead, the fact kept in the audit log), and who
looked at my record."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sciatica_care.db.tables import AuditEvent, DiaryEntry, SessionNote, SessionNoteRevision
from sciatica_care.services import held
from tests.conftest import baseline
from tests.web.consent import API, share, user_id, write_note


def test_the_export_holds_everything_about_me(alice: TestClient, tess: TestClient) -> None:
    alice.post(f"{API}/assessments", json=baseline())
    alice.post(f"{API}/diary", json={"leg_pain": 5, "back_pain": 2, "note": "=1+1"})
    share(alice, tess)
    write_note(tess, user_id(alice))
    response = alice.get(f"{API}/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    document = response.json()
    assert document["format"] == "sciatica-care-export"
    assert len(document["assessments"]) == 1 and len(document["diary"]) == 1
    assert len(document["session_notes"]) == 1 and document["sharing"][0]["scopes"]
    diary = list(csv.DictReader(io.StringIO(alice.get(f"{API}/export/diary.csv").text)))
    assert diary[0]["Note"] == "'=1+1"
    sessions = list(csv.DictReader(io.StringIO(alice.get(f"{API}/export/sessions.csv").text)))
    assert sessions[0]["Techniques"] == "Myofascial release"


def test_a_therapist_cannot_export_a_clients_data(alice: TestClient, tess: TestClient) -> None:
    share(alice, tess)
    # The export is always of the signed-in account: the therapist's own (empty) record.
    document = tess.get(f"{API}/export").json()
    assert document["account"]["user_id"] == user_id(tess) and document["diary"] == []


def test_erasing_needs_the_password_and_the_phrase(alice: TestClient) -> None:
    response = alice.post(f"{API}/me/erase", json={"password": "nope", "confirm": "yes"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"password", "confirm"}
    assert alice.get(f"{API}/me").status_code == 200


def test_erasing_deletes_health_data_and_notes_and_ends_the_session(
    app: FastAPI, alice: TestClient, tess: TestClient
) -> None:
    alice.post(f"{API}/diary", json={"leg_pain": 5, "back_pain": 2})
    share(alice, tess)
    alice_id = user_id(alice)
    note = write_note(tess, alice_id)
    body = {"password": "correct horse battery", "confirm": "Delete my account"}
    assert alice.post(f"{API}/me/erase", json=body).status_code == 204
    assert alice.get(f"{API}/me").status_code == 401
    assert tess.get(f"{API}/notes/{note['id']}").status_code == 404
    assert tess.get(f"{API}/therapist/clients").json() == []
    with app.state.database.session() as db:
        for model, column in (
            (DiaryEntry, DiaryEntry.user_id),
            (SessionNote, SessionNote.client_id),
        ):
            assert db.scalar(select(func.count()).select_from(model).where(column == alice_id)) == 0
        assert db.scalar(select(func.count()).select_from(SessionNoteRevision)) == 0
        erased = db.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_user_id == alice_id, AuditEvent.action == "erase"
            )
        ).one()
        assert erased.record_type == "account"


def test_who_looked_at_my_record_names_the_therapist_and_the_route(
    alice: TestClient, tess: TestClient
) -> None:
    alice.post(f"{API}/diary", json={"leg_pain": 5, "back_pain": 2})
    share(alice, tess)
    tess.get(f"{API}/therapist/clients/{user_id(alice)}")
    looked = alice.get(f"{API}/audit", params={"others_only": True}).json()
    assert looked and all(not e["is_me"] for e in looked)
    assert {e["actor_role"] for e in looked} == {"therapist"}
    assert "GET /api/v1/therapist/clients/{client_id}" in {e["route"] for e in looked}
    assert all("5" not in e["route"] for e in looked)


def test_a_therapist_does_not_see_their_reads_of_a_client_in_their_own_log(
    alice: TestClient, tess: TestClient
) -> None:
    share(alice, tess)
    tess.get(f"{API}/therapist/clients/{user_id(alice)}")
    routes = {e["route"] for e in tess.get(f"{API}/audit").json()}
    assert "GET /api/v1/therapist/clients/{client_id}" not in routes


def test_erasing_lets_go_of_what_views_kept_in_memory(alice: TestClient, tess: TestClient) -> None:
    """The dashboard, the trend and the client list keep what they made from a person's
    records between views (services/held.py); erasing an account empties those stores."""
    assert alice.post(f"{API}/assessments", json=baseline()).status_code == 200
    for day in range(3):
        alice.post(f"{API}/diary", json={"leg_pain": 5 - day, "back_pain": 2})
    share(alice, tess)
    for path in ("/dashboard", f"{API}/dashboard?days=30", f"{API}/trend?days=30"):
        assert alice.get(path).status_code == 200
    assert tess.get(f"{API}/therapist/clients").status_code == 200
    filled = {store.name for store in held.STORES if store.size()}
    assert {"validated stored assessments", "charts", "client list glances"} <= filled
    body = {"password": "correct horse battery", "confirm": "Delete my account"}
    assert alice.post(f"{API}/me/erase", json=body).status_code == 204
    assert {store.name: store.size() for store in held.STORES if store.size()} == {}
