"""POST/GET /api/v1/assessments: anonymous evaluated only, signed in stored; 422 names the field;
someone else's ids answer 404."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sciatica_care.db.tables import AssessmentRecord
from tests.conftest import baseline

API = "/api/v1/assessments"


def test_an_anonymous_assessment_is_evaluated_but_not_stored(client: TestClient) -> None:
    response = client.post(API, json=baseline())
    assert response.status_code == 200
    body = response.json()
    assert body["id"] is None and body["stored"] is False
    assert body["result"]["triage"]["level"] == "self_care"
    assert body["result"]["knowledge_version"]


def test_a_wrong_field_answers_422_naming_the_field(client: TestClient) -> None:
    response = client.post(API, json=baseline(leg_pain=11, side="up"))
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {"leg_pain", "side"}
    assert "at most 10" in fields["leg_pain"]


def test_an_unknown_field_and_a_missing_field_are_named(client: TestClient) -> None:
    data = baseline(favourite_colour="blue")
    del data["age"]
    errors = client.post(API, json=data).json()["errors"]
    assert {e["field"] for e in errors} == {"favourite_colour", "age"}


def test_a_body_that_is_not_json_answers_422(client: TestClient) -> None:
    response = client.post(API, content=b"not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"]


def test_a_signed_in_assessment_is_stored_and_listed(alice: TestClient) -> None:
    created = alice.post(API, json=baseline(leg_pain=6)).json()
    assert created["stored"] is True and created["id"]
    history = alice.get(API).json()
    assert [a["id"] for a in history] == [created["id"]]
    assert history[0]["leg_pain"] == 6
    again = alice.get(f"{API}/{created['id']}").json()
    assert again["result"] == created["result"]
    assert again["assessment"]["leg_pain"] == 6


def test_an_emergency_assessment_is_stored_with_its_triage_level(alice: TestClient) -> None:
    created = alice.post(API, json=baseline(red_flags=["saddle_numbness"])).json()
    assert created["result"]["triage"]["level"] == "emergency"
    assert alice.get(API).json()[0]["triage_level"] == "emergency"


def test_someone_elses_assessment_answers_404(alice: TestClient, bob: TestClient) -> None:
    created = alice.post(API, json=baseline()).json()
    assert bob.get(f"{API}/{created['id']}").status_code == 404
    assert bob.get(API).json() == []


def test_an_unknown_id_answers_404(alice: TestClient) -> None:
    assert alice.get(f"{API}/{'0' * 32}").status_code == 404
    assert alice.get(f"{API}/not-an-id").status_code == 404


def test_the_history_needs_a_sign_in(client: TestClient) -> None:
    assert client.get(API).status_code == 401


def test_an_admin_sees_no_health_data(alice: TestClient, ada: TestClient) -> None:
    created = alice.post(API, json=baseline()).json()
    assert ada.get(f"{API}/{created['id']}").status_code == 404


def test_a_pain_level_missing_from_stored_answers_is_null_never_0(
    app: FastAPI, alice: TestClient
) -> None:
    created = alice.post(API, json=baseline(leg_pain=6)).json()
    with app.state.database.session() as db:
        record = db.scalar(select(AssessmentRecord).where(AssessmentRecord.id == created["id"]))
        assert record is not None
        record.input = {k: v for k, v in record.input.items() if k != "back_pain"}
        db.commit()
    summary = alice.get(API).json()[0]
    assert summary["leg_pain"] == 6
    assert summary["back_pain"] is None
