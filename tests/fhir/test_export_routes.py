"""The FHIR export through its faces, on SQLite and PostgreSQL: the demo client's bundle is
valid and whole; a therapist gets what the consent covers and nothing after it ends; the
privacy page links the download; the export is audited and rate limited."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, OutcomeMeasure, SessionNote
from sciatica_care.domain.outcomes import GlobalRatingInput, PsfsInput
from sciatica_care.reports.fhir import codes
from sciatica_care.services import outcomes
from sciatica_care.services.actors import Actor
from sciatica_care.services.demo import load_demo
from tests.fhir.schema import bundle_errors, round_trip
from tests.web.conftest import signed_in_client
from tests.web.test_rate_limits import app_with

API = "/api/v1"


def kinds(bundle: dict[str, Any]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        counted[kind] = counted.get(kind, 0) + 1
    return counted


def pain_observations(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["code"] == "72514-3"
    ]


def count(app: FastAPI, table: Any, column: Any, user_id: str) -> int:
    database: Database = app.state.database
    with database.session() as db:
        found = db.scalar(select(func.count()).select_from(table).where(column == user_id))
        return int(found or 0)


def measures_of(app: FastAPI, user_id: str) -> list[str]:
    database: Database = app.state.database
    with database.session() as db:
        return list(
            db.scalars(select(OutcomeMeasure.measure).where(OutcomeMeasure.user_id == user_id))
        )


def demo(app: FastAPI, settings: Settings) -> tuple[TestClient, TestClient, str]:
    accounts = {
        role: (email, pw) for role, email, pw in load_demo(settings.resolved_database_url())
    }
    client = signed_in_client(app, *accounts["client"])
    therapist = signed_in_client(app, *accounts["therapist"])
    client_id: str = client.get(f"{API}/me").json()["id"]
    return client, therapist, client_id


def fhir_of(http: TestClient, path: str) -> dict[str, Any]:
    answer = http.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/fhir+json")
    assert answer.headers["cache-control"] == "no-store"
    assert "attachment" in answer.headers["content-disposition"]
    bundle: dict[str, Any] = answer.json()
    assert bundle_errors(bundle) == []
    assert round_trip(bundle) == bundle
    return bundle


def test_the_demo_clients_bundle_is_valid_and_holds_every_rating(
    app: FastAPI, settings: Settings
) -> None:
    client, _, client_id = demo(app, settings)
    bundle = fhir_of(client, f"{API}/export/fhir")
    assert bundle["type"] == "collection"
    assessments = count(app, AssessmentRecord, AssessmentRecord.user_id, client_id)
    entries = count(app, DiaryEntry, DiaryEntry.user_id, client_id)
    sessions = count(app, SessionNote, SessionNote.client_id, client_id)
    assert (assessments, sessions) == (3, 4)
    # Leg and back for each assessment and check-in; before and after for each session.
    assert len(pain_observations(bundle)) == 2 * (assessments + entries) + 4 * sessions
    found = kinds(bundle)
    assert found["Patient"] == 1
    assert found["Condition"] == 1
    measures = measures_of(app, client_id)
    assert "sbi" in measures
    assert found["Questionnaire"] == len(set(measures))
    assert found["QuestionnaireResponse"] == len(measures)
    assert found["CodeSystem"] == 1
    assert found["Procedure"] == 4 + 5  # four sessions, five techniques between them
    (patient,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert patient["telecom"][0]["value"] == "demo.client@example.org"
    assert patient["name"] == [{"text": "Sam (demo client)"}]


def test_the_export_is_audited_and_the_page_links_it(app: FastAPI, alice: TestClient) -> None:
    alice.post(f"{API}/diary", json={"leg_pain": 4, "back_pain": 1})
    fhir_of(alice, f"{API}/export/fhir")
    page = alice.get("/privacy")
    assert 'href="/privacy/fhir.json"' in page.text
    assert "Download for another health system (FHIR)" in page.text
    bundle = fhir_of(alice, "/privacy/fhir.json")
    assert sorted(o["valueInteger"] for o in pain_observations(bundle)) == [1, 4]
    rows = alice.get(f"{API}/audit").json()
    exports = [r for r in rows if r["action"] == "export" and r["record_type"] == "export"]
    assert {r["route"] for r in exports} >= {
        f"GET {API}/export/fhir",
        "GET /privacy/fhir.json",
    }


def test_psfs_and_global_rating_are_questionnaire_responses(
    app: FastAPI, alice: TestClient
) -> None:
    me = alice.get(f"{API}/me").json()
    actor = Actor(me["id"], me.get("clinic_id") or "default", me["email"], "client")
    database: Database = app.state.database
    with database.session() as db:
        psfs = {
            "answered_on": date(2026, 1, 5),
            "activities": [{"activity": "Sitting", "score": 3}],
        }
        outcomes.record_psfs(db, actor=actor, answers=PsfsInput.model_validate(psfs))
        outcomes.record_global_rating(
            db,
            actor=actor,
            answers=GlobalRatingInput.model_validate(
                {"answered_on": date(2026, 1, 19), "rating": 3}
            ),
        )
        db.commit()
    bundle = fhir_of(alice, f"{API}/export/fhir")
    responses = {
        e["resource"]["questionnaire"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    }
    assert set(responses) == {codes.QUESTIONNAIRE_PSFS, codes.QUESTIONNAIRE_GRC}
    assert responses[codes.QUESTIONNAIRE_PSFS]["authored"] == "2026-01-05"
    assert responses[codes.QUESTIONNAIRE_GRC]["item"][0]["answer"][0]["valueCoding"]["code"] == "3"


def test_a_therapist_gets_what_the_consent_covers_and_nothing_after(
    app: FastAPI, settings: Settings
) -> None:
    client, therapist, client_id = demo(app, settings)
    path = f"{API}/therapist/clients/{client_id}/fhir"
    everything = fhir_of(therapist, path)
    (patient,) = [
        e["resource"] for e in everything["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert "telecom" not in patient  # the therapist's bundle leaves the email out
    assert kinds(everything)["Condition"] == 1
    (share,) = client.get(f"{API}/sharing").json()
    assert (
        client.patch(f"{API}/sharing/{share['id']}", json={"scopes": ["notes"]}).status_code == 200
    )
    notes_only = fhir_of(therapist, path)
    assert set(kinds(notes_only)) == {"Patient", "CodeSystem", "Procedure", "Observation"}
    assert all("partOf" in o for o in pain_observations(notes_only))
    assert client.delete(f"{API}/sharing/{share['id']}").status_code == 204
    assert therapist.get(path).status_code == 404
    # The client cannot use the therapist's route, even for their own id.
    assert client.get(path).status_code == 403


def test_nobody_else_gets_a_clients_bundle(
    app: FastAPI, alice: TestClient, bob: TestClient, tess: TestClient, ada: TestClient
) -> None:
    alice_id = alice.get(f"{API}/me").json()["id"]
    path = f"{API}/therapist/clients/{alice_id}/fhir"
    assert tess.get(path).status_code == 404  # no consent
    assert tess.get(f"{API}/therapist/clients/not-an-id/fhir").status_code == 404
    assert bob.get(path).status_code == 403
    assert ada.get(f"{API}/export/fhir").status_code in {403, 404}
    assert TestClient(app).get(f"{API}/export/fhir").status_code == 401


def test_fhir_exports_are_rate_limited_with_the_others(settings: Settings) -> None:
    with app_with(settings, rate_limit_export="2/minute") as app:
        from tests.web.conftest import add_user

        add_user(app, "jo@example.org")
        jo = signed_in_client(app, "jo@example.org")
        assert jo.get(f"{API}/export/fhir").status_code == 200
        assert jo.get("/privacy/fhir.json").status_code == 200
        for path in (f"{API}/export/fhir", f"{API}/therapist/clients/{'a' * 32}/fhir"):
            answer = jo.get(path)
            assert answer.status_code == 429, path
