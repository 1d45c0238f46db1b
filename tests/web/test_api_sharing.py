"""Sharing by consent over the API: by code or invitation, the scopes confirmed and stored,
revoked by the client or ended by the therapist, effective on the very next request."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.conftest import baseline
from tests.web.consent import API, note_body, share, user_id, write_note


def test_a_client_shares_by_code_and_the_therapist_sees_them_in_the_list(
    alice: TestClient, tess: TestClient
) -> None:
    alice.post(f"{API}/assessments", json=baseline(conditions=["anticoagulants"]))
    alice.post(f"{API}/diary", json={"leg_pain": 6, "back_pain": 3})
    shared = share(alice, tess)
    assert shared["scopes"] == ["assessments", "diary", "notes"] and shared["active"]
    [row] = tess.get(f"{API}/therapist/clients").json()
    assert row["client_id"] == user_id(alice)
    assert row["leg_pain"] == 6 and row["triage_level"] == "self_care"
    assert any("no deep tissue or trigger point work" in line for line in row["precautions"]), row[
        "precautions"
    ]


def test_the_therapist_is_shown_before_the_client_confirms(
    alice: TestClient, tess: TestClient
) -> None:
    code = tess.get(f"{API}/therapist/share-code").json()["share_code"]
    found = alice.get(f"{API}/sharing/therapist", params={"code": code.lower()})
    assert found.status_code == 200 and found.json()["verified"] is False
    assert alice.get(f"{API}/sharing/therapist", params={"code": "ZZZZ-ZZZZ"}).status_code == 404


def test_sharing_needs_at_least_one_scope_named(alice: TestClient, tess: TestClient) -> None:
    code = tess.get(f"{API}/therapist/share-code").json()["share_code"]
    response = alice.post(f"{API}/sharing", json={"code": code, "scopes": []})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scopes"


def test_an_invitation_shares_once(alice: TestClient, bob: TestClient, tess: TestClient) -> None:
    invitation = tess.post(f"{API}/therapist/invitations", json={"days": 7}).json()
    assert invitation["path"].startswith("/share/invite/")
    body = {"invitation": invitation["token"], "scopes": ["diary"]}
    assert alice.post(f"{API}/sharing", json=body).status_code == 201
    assert bob.post(f"{API}/sharing", json=body).status_code == 404
    [listed] = tess.get(f"{API}/therapist/invitations").json()
    assert listed["used_at"] is not None


def test_a_rotated_code_stops_working(alice: TestClient, tess: TestClient) -> None:
    old = tess.get(f"{API}/therapist/share-code").json()["share_code"]
    new = tess.post(f"{API}/therapist/share-code/rotate").json()["share_code"]
    assert new != old
    response = alice.post(f"{API}/sharing", json={"code": old, "scopes": ["diary"]})
    assert response.status_code == 404


def test_revoking_ends_access_on_the_next_request(alice: TestClient, tess: TestClient) -> None:
    shared = share(alice, tess)
    alice_id = user_id(alice)
    assert tess.get(f"{API}/therapist/clients/{alice_id}").status_code == 200
    assert alice.delete(f"{API}/sharing/{shared['id']}").status_code == 204
    assert tess.get(f"{API}/therapist/clients/{alice_id}").status_code == 404
    assert tess.get(f"{API}/therapist/clients").json() == []
    assert alice.get(f"{API}/sharing").json() == []
    [ended] = alice.get(f"{API}/sharing", params={"include_ended": True}).json()
    assert ended["ended_by"] == "client" and not ended["active"]


def test_scopes_limit_what_the_therapist_sees(alice: TestClient, tess: TestClient) -> None:
    alice.post(f"{API}/assessments", json=baseline())
    alice.post(f"{API}/diary", json={"leg_pain": 6, "back_pain": 3})
    share(alice, tess, ["diary"])
    alice_id = user_id(alice)
    record = tess.get(f"{API}/therapist/clients/{alice_id}").json()
    assert record["scopes"] == ["diary"]
    assert record["trend"] is not None and record["latest"] is None and record["notes"] == []
    response = tess.post(f"{API}/clients/{alice_id}/notes", json=note_body())
    assert response.status_code == 404


def test_removing_a_client_keeps_the_notes_in_the_clients_record(
    alice: TestClient, tess: TestClient
) -> None:
    share(alice, tess)
    alice_id = user_id(alice)
    note = write_note(tess, alice_id)
    assert tess.delete(f"{API}/therapist/clients/{alice_id}").status_code == 204
    assert tess.get(f"{API}/notes/{note['id']}").status_code == 404
    assert alice.get(f"{API}/notes/{note['id']}").status_code == 200
    assert alice.get(f"{API}/sharing").json() == []


def test_the_next_session_shows_in_the_client_list(alice: TestClient, tess: TestClient) -> None:
    share(alice, tess)
    alice_id = user_id(alice)
    year = date.today().year + 1  # a next session is booked at most two years ahead
    at = f"{year}-01-02T10:00:00+00:00"
    body = {"next_session_at": at}
    assert tess.put(f"{API}/therapist/clients/{alice_id}/next-session", json=body).is_success
    [row] = tess.get(f"{API}/therapist/clients").json()
    assert row["next_session_at"].startswith(f"{year}-01-02T10:00")


def test_a_client_cannot_use_the_therapist_workspace(alice: TestClient, bob: TestClient) -> None:
    assert alice.get(f"{API}/therapist/clients").status_code == 403
    assert alice.get(f"{API}/therapist/clients/{user_id(bob)}").status_code == 403
