"""Helpers for the issue-4 API tests: a client shares with a therapist; notes are written."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"
ALL_SCOPES = ["assessments", "diary", "notes"]
PROFILE: dict[str, Any] = {
    "licence_number": "MT-12345",
    "years_experience": 12,
    "years_treating_sciatica": 6,
    "techniques": ["swedish", "myofascial_release"],
    "languages": ["English", "Welsh"],
    "city": "Cardiff",
    "bio": "Gentle, slow work.",
}


def user_id(http: TestClient) -> str:
    me: str = http.get(f"{API}/me").json()["id"]
    return me


def share(
    client: TestClient, therapist: TestClient, scopes: list[str] | None = None
) -> dict[str, Any]:
    """``client`` shares ``scopes`` (default: all) with ``therapist`` by share code."""
    code = therapist.get(f"{API}/therapist/share-code").json()["share_code"]
    response = client.post(f"{API}/sharing", json={"code": code, "scopes": scopes or ALL_SCOPES})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def note_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subjective": "Leg pain worse after sitting.",
        "objective": "Tight piriformis on the left.",
        "assessment": "Improving.",
        "plan": "Again next week.",
        "techniques": ["myofascial_release"],
        "areas_worked": [{"region": "buttock", "side": "left"}],
        "pressure": "light",
        "duration_minutes": 45,
        "leg_pain_before": 7,
        "back_pain_before": 4,
        "leg_pain_after": 4,
        "back_pain_after": 3,
    }
    body.update(changes)
    return body


def write_note(therapist: TestClient, client_id: str, **changes: Any) -> dict[str, Any]:
    response = therapist.post(f"{API}/clients/{client_id}/notes", json=note_body(**changes))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
