"""Therapist accounts over the API: sign-up with a profile (fields named when wrong), an
unverified profile until an admin verifies it, and the directory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import signed_in_client
from tests.web.consent import API, PROFILE


def therapist_signup(client: TestClient, **profile: Any) -> Any:
    body = {
        "email": "terry@example.org",
        "password": "a long enough password",
        "display_name": "Terry Therapist",
        "profile": {**PROFILE, **profile},
    }
    return client.post(f"{API}/auth/signup/therapist", json=body)


def test_a_therapist_signs_up_with_an_unverified_profile(app: FastAPI, client: TestClient) -> None:
    response = therapist_signup(client)
    assert response.status_code == 202, response.text
    assert therapist_signup(client).json() == response.json()  # the same for a taken address
    terry = signed_in_client(app, "terry@example.org", "a long enough password")
    profile = terry.get(f"{API}/therapist/profile").json()
    assert profile["verified"] is False and profile["complete"] is True
    assert profile["licence_number"] == "MT-12345" and len(profile["share_code"]) == 9


def test_a_wrong_profile_names_the_field(client: TestClient) -> None:
    response = therapist_signup(client, techniques=["reiki"], years_treating_sciatica=20)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "profile.techniques.0" in fields


def test_more_years_on_sciatica_than_in_practice_is_refused(tess: TestClient) -> None:
    response = tess.put(f"{API}/therapist/profile", json={**PROFILE, "years_treating_sciatica": 20})
    assert response.status_code == 422


def test_an_admin_verifies_a_profile(ada: TestClient, tess: TestClient) -> None:
    tess.put(f"{API}/therapist/profile", json=PROFILE)
    [listed] = ada.get(f"{API}/admin/therapists", params={"verified": False}).json()
    verified = ada.post(f"{API}/admin/therapists/{listed['user_id']}/verified")
    assert verified.status_code == 200 and verified.json()["verified"] is True
    assert tess.get(f"{API}/therapist/profile").json()["verified"] is True
    assert tess.get(f"{API}/therapists").json()["therapists"][0]["therapist"]["verified"] is True


def test_only_an_admin_verifies(tess: TestClient, alice: TestClient) -> None:
    me = tess.get(f"{API}/me").json()["id"]
    assert tess.post(f"{API}/admin/therapists/{me}/verified").status_code == 403
    assert alice.get(f"{API}/admin/therapists").status_code == 403


def test_a_client_has_no_therapist_profile(alice: TestClient) -> None:
    assert alice.get(f"{API}/therapist/profile").status_code == 403
