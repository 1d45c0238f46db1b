"""Session notes and "what helped" over the API: written by the client's therapist, corrected
freely for 24 hours, then amended with a reason, the history kept; what helped reaches the
client's dashboard and their recommendation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from sciatica_care.db.tables import utcnow
from sciatica_care.services import session_notes
from tests.conftest import baseline
from tests.web.conftest import SignIn
from tests.web.consent import API, share, user_id, write_note


def test_a_note_is_written_and_read_by_both_sides(alice: TestClient, tess: TestClient) -> None:
    share(alice, tess)
    note = write_note(tess, user_id(alice))
    assert note["version"] == 1 and note["history"][0]["kind"] == "original"
    assert note["editable_freely"] is True
    [mine] = alice.get(f"{API}/notes").json()
    # The client reads what was done; the SOAP text once the therapist shares it (issue 8).
    assert mine["current"]["techniques"] == ["myofascial_release"]
    assert mine["current"]["objective"] == ""
    tess.patch(f"{API}/notes/{note['id']}", json={"shared_with_client": True})
    [mine] = alice.get(f"{API}/notes").json()
    assert mine["current"]["objective"] == "Tight piriformis on the left."
    assert tess.get(f"{API}/clients/{user_id(alice)}/notes").json()[0]["id"] == note["id"]


def test_a_wrong_field_is_named(alice: TestClient, tess: TestClient) -> None:
    share(alice, tess)
    body = {"pressure": "brutal", "duration_minutes": 45, "leg_pain_before": 11}
    response = tess.post(f"{API}/clients/{user_id(alice)}/notes", json=body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"pressure", "leg_pain_before", "back_pain_before"} <= fields


def test_a_correction_within_a_day_needs_no_reason(alice: TestClient, tess: TestClient) -> None:
    share(alice, tess)
    note = write_note(tess, user_id(alice))
    body = {"changes": {"plan": "Twice next week."}}
    revised = tess.patch(f"{API}/notes/{note['id']}", json=body).json()
    assert [r["kind"] for r in revised["history"]] == ["original", "correction"]
    assert revised["history"][0]["fields"]["plan"] == "Again next week."


def test_after_a_day_a_change_is_an_amendment_with_its_reason(
    alice: TestClient, tess: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    share(alice, tess)
    note = write_note(tess, user_id(alice))
    later = utcnow() + timedelta(hours=25)
    monkeypatch.setattr(session_notes, "utcnow", lambda: later)
    url, changes = f"{API}/notes/{note['id']}", {"assessment": "Flare-up."}
    refused = tess.patch(url, json={"changes": changes})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    amended = tess.patch(url, json={"changes": changes, "reason": "Client called next day."})
    history = amended.json()["history"]
    assert [r["kind"] for r in history] == ["original", "amendment"]
    assert history[1]["reason"] == "Client called next day."
    assert tess.get(url).json()["history"][0]["fields"]["assessment"] == "Improving."
    # The client reads the earlier SOAP text too, once the therapist shares the note (no reason:
    # sharing is not a change to the note's text).
    assert tess.patch(url, json={"shared_with_client": True}).status_code == 200
    assert alice.get(url).json()["history"][0]["fields"]["assessment"] == "Improving."


def test_only_the_author_may_change_a_note(
    alice: TestClient, tess: TestClient, sign_in: SignIn
) -> None:
    share(alice, tess)
    note = write_note(tess, user_id(alice))
    other = sign_in("theo@example.org", "therapist")
    share(alice, other)
    assert other.get(f"{API}/notes/{note['id']}").status_code == 200
    response = other.patch(f"{API}/notes/{note['id']}", json={"changes": {"plan": "x"}})
    assert response.status_code == 403
    assert (
        alice.patch(f"{API}/notes/{note['id']}", json={"changes": {"plan": "x"}}).status_code == 404
    )


def test_what_helped_gives_a_verdict_from_three_sessions_and_weighs_the_plan(
    alice: TestClient, tess: TestClient
) -> None:
    share(alice, tess)
    alice_id = user_id(alice)
    for days in (3, 2):
        at = (utcnow() - timedelta(days=days)).isoformat()
        write_note(tess, alice_id, session_at=at)
    helped = alice.get(f"{API}/what-helped").json()
    assert helped["techniques"][0]["verdict"] is None
    write_note(tess, alice_id, session_at=(utcnow() - timedelta(days=1)).isoformat())
    summary = tess.get(f"{API}/clients/{alice_id}/what-helped").json()["techniques"][0]
    assert summary["verdict"] == "helped" and summary["sessions"] == 3
    assert "lowered your leg pain by 3 points" in summary["sentence"]
    result = alice.post(f"{API}/assessments", json=baseline()).json()["result"]
    reasons = [r for rec in result["recommendations"] for r in rec["reasons"]]
    assert any("lowered your leg pain" in r for r in reasons), reasons
    dashboard = alice.get(f"{API}/dashboard").json()
    assert dashboard["what_helped"]["techniques"][0]["verdict"] == "helped"
