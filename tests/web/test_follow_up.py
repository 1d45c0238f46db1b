"""Follow-up safety over HTTP (outcomes.md v2): the check-in's safety re-check in the API and the
pages, no silent zeros, and "not settling" on the dashboard and the therapist's client list."""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sciatica_care.domain.follow_up import recheck_questions
from sciatica_care.domain.safety_questions import QUESTION_TEXT
from tests.conftest import baseline
from tests.web.consent import API, share
from tests.web.test_pages_support import csrf_of

DIARY = f"{API}/diary"
QUESTIONS = [q for q, _ in recheck_questions(None)]


def no_to_all(**yes: bool) -> dict[str, bool]:
    return {**dict.fromkeys(QUESTIONS, False), **yes}


def check_in(http: TestClient, **fields: Any) -> dict[str, Any]:
    response = http.post(DIARY, json={"leg_pain": 4, "back_pain": 3, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assess(http: TestClient, **changes: Any) -> str:
    response = http.post(f"{API}/assessments", json=baseline(**changes))
    assert response.status_code == 200, response.text
    assessment_id: str = response.json()["id"]
    return assessment_id


# --- The API ---------------------------------------------------------------------------------


def test_without_an_assessment_the_first_check_in_asks_and_all_no_is_recorded(
    alice: TestClient,
) -> None:
    assert alice.get(f"{API}/safety-check").json()["due"] == "weekly"
    entry = check_in(alice)
    check = entry["safety_check"]
    assert check["pending"] and check["reason"] == "weekly" and check["triage"] is None
    assert [q["id"] for q in check["questions"]] == QUESTIONS
    assert alice.get(f"{API}/safety-check").json()["pending_entry_id"] == entry["id"]
    answered = alice.post(f"{DIARY}/{entry['id']}/safety-check", json={"answers": no_to_all()})
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert not body["pending"] and body["yes"] == [] and body["checked_at"]
    status = alice.get(f"{API}/safety-check").json()
    assert status["due"] is None and status["pending_entry_id"] is None
    assert check_in(alice)["safety_check"] is None, "answered today: not due again"


def test_an_assessment_this_week_counts_as_the_weekly_check(alice: TestClient) -> None:
    assess(alice)
    assert check_in(alice)["safety_check"] is None


def test_leg_pain_up_two_points_from_the_7_day_mean_asks_again(alice: TestClient) -> None:
    assess(alice)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    check_in(alice, leg_pain=3, recorded_at=yesterday.isoformat())
    assert check_in(alice, leg_pain=4)["safety_check"] is None
    entry = check_in(alice, leg_pain=6)  # mean of the days before: 3 and 4 -> 3.5; +2.5
    assert entry["safety_check"]["reason"] == "leg_pain_up"


def test_a_yes_triages_the_latest_assessment_with_the_answers_and_stores_it(
    alice: TestClient,
) -> None:
    first = assess(alice, red_flags=["night_pain"])
    yesterday = datetime.now(UTC) - timedelta(days=1)
    check_in(alice, leg_pain=3, recorded_at=yesterday.isoformat())
    entry = check_in(alice, leg_pain=7, back_pain=2)
    answers = no_to_all(bladder_dysfunction=True)
    response = alice.post(f"{DIARY}/{entry['id']}/safety-check", json={"answers": answers})
    assert response.status_code == 200, response.text
    body = response.json()
    assert next(iter(body)) == "triage", "the triage comes first"
    assert body["triage"]["level"] == "emergency" and body["yes"] == ["bladder_dysfunction"]
    stored = alice.get(f"{API}/assessments/{body['assessment_id']}").json()
    assert body["assessment_id"] != first
    assert stored["assessment"]["red_flags"] == ["night_pain", "bladder_dysfunction"]
    assert (stored["assessment"]["leg_pain"], stored["assessment"]["back_pain"]) == (7, 2)
    assert stored["result"]["triage"]["level"] == "emergency"
    again = alice.post(f"{DIARY}/{entry['id']}/safety-check", json={"answers": answers})
    assert again.status_code == 409, "answered once; the answers are kept"


def test_the_export_holds_the_safety_check_and_the_soreness(alice: TestClient) -> None:
    assess(alice)
    entry = check_in(alice, leg_pain=8, soreness_48h=True)
    answers = no_to_all(calf_swelling=True)
    body = alice.post(f"{DIARY}/{entry['id']}/safety-check", json={"answers": answers}).json()
    exported = alice.get(f"{API}/export").json()["diary"]
    row = next(e for e in exported if e["id"] == entry["id"])
    assert row["soreness_48h"] is True and row["safety_yes"] == ["calf_swelling"]
    assert row["safety_assessment_id"] == body["assessment_id"] and row["safety_checked_at"]
    csv_text = alice.get(f"{API}/export/diary.csv").text
    [row] = [r for r in csv.DictReader(io.StringIO(csv_text)) if r["Check-in id"] == entry["id"]]
    assert row["Sore over 48 hours after a massage"] == "yes"
    assert row["Safety questions answered yes"] == QUESTION_TEXT["calf_swelling"]
    assert row["Assessment made by the safety check"] == body["assessment_id"]
    assert row["Safety questions answered at (UTC)"]


def test_the_answers_can_come_with_the_check_in(alice: TestClient) -> None:
    entry = check_in(alice, safety_check=no_to_all(calf_swelling=True))
    check = entry["safety_check"]
    assert check["triage"]["level"] == "urgent" and check["assessment_id"] is None


def test_an_unanswered_question_is_named_and_nothing_is_stored(alice: TestClient) -> None:
    answers = no_to_all()
    del answers["fever"]
    response = alice.post(DIARY, json={"leg_pain": 4, "back_pain": 3, "safety_check": answers})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["safety_check.fever"]
    assert alice.get(DIARY).json() == []
    entry = check_in(alice)
    late = alice.post(f"{DIARY}/{entry['id']}/safety-check", json={"answers": answers})
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "safety_check.fever"
    unknown = alice.post(
        f"{DIARY}/{entry['id']}/safety-check", json={"answers": {**answers, "rash": True}}
    )
    assert unknown.status_code == 422


def test_people_with_cancer_are_asked_about_new_numbness_and_weakness(alice: TestClient) -> None:
    assess(alice, conditions=["active_cancer"])
    status = alice.get(f"{API}/safety-check").json()
    assert [q["id"] for q in status["questions"]][-2:] == ["new_numbness", "new_weakness"]


def test_a_check_in_without_both_pain_levels_is_refused_naming_the_field(
    alice: TestClient,
) -> None:
    response = alice.post(DIARY, json={"back_pain": 3})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["leg_pain"]
    assert alice.get(DIARY).json() == []


def test_someone_elses_safety_check_is_not_found(alice: TestClient, bob: TestClient) -> None:
    entry = check_in(alice)
    assert bob.get(f"{DIARY}/{entry['id']}/safety-check").status_code == 404
    answered = bob.post(f"{DIARY}/{entry['id']}/safety-check", json={"answers": no_to_all()})
    assert answered.status_code == 404


def test_not_settling_shows_on_the_dashboard_and_the_therapists_client_list(
    alice: TestClient, tess: TestClient
) -> None:
    assess(alice, leg_pain=3)
    for days in range(5, 0, -1):
        at = datetime.now(UTC) - timedelta(days=days)
        check_in(alice, leg_pain=6, recorded_at=at.isoformat())
    assert "This is not settling" in alice.get("/trend").text
    board = alice.get(f"{API}/dashboard").json()
    assert board["follow_up"]["not_settling"] is True
    assert board["follow_up"]["advice"].startswith("This is not settling")
    share(alice, tess)
    [row] = tess.get(f"{API}/therapist/clients").json()
    assert row["not_settling"] is True and row["follow_up"]
    assert row["both_legs"] is False
    page = tess.get("/therapist/clients").text
    assert "Not settling" in page


def test_the_client_list_marks_both_legs_from_the_body_map(
    alice: TestClient, tess: TestClient
) -> None:
    assess(alice, areas=["calf_back", "shin"], area_sides={"calf_back": "left", "shin": "right"})
    share(alice, tess)
    [row] = tess.get(f"{API}/therapist/clients").json()
    assert row["both_legs"] is True
    assert "Both legs" in tess.get("/therapist/clients").text


# --- The pages -------------------------------------------------------------------------------


def form_post(http: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    token = csrf_of(http.get(page).text)
    return http.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.fixture
def pages_alice(alice: TestClient) -> TestClient:
    return alice


def test_the_check_in_page_starts_with_no_pain_level_chosen(pages_alice: TestClient) -> None:
    html = pages_alice.get("/diary/new").text
    assert html.count('type="radio"') >= 22
    assert not re.search(r'name="(leg|back)_pain"[^>]*checked', html)
    assert 'type="range"' not in html


def test_a_check_in_without_a_pain_level_is_refused_naming_it(pages_alice: TestClient) -> None:
    response = form_post(pages_alice, "/diary/new", "/diary", {"back_pain": "3", "note": "kept"})
    assert response.status_code == 422
    assert 'href="#field-leg_pain">Leg pain: choose a number from 0 to 10' in response.text
    assert ">kept</textarea>" in response.text
    assert re.search(r'value="3"\s+required\s+checked', response.text), "back pain kept"
    assert pages_alice.get(DIARY).json() == []


def test_a_yes_in_the_diarys_safety_check_shows_the_emergency_message_first(
    pages_alice: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assess(pages_alice)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    check_in(pages_alice, leg_pain=2, recorded_at=yesterday.isoformat())
    saved = form_post(pages_alice, "/diary/new", "/diary", {"leg_pain": "6", "back_pain": "2"})
    assert saved.status_code == 303
    ask = saved.headers["location"]
    assert re.fullmatch(r"/diary/\w+/safety-check", ask)
    html = pages_alice.get(ask).text
    assert "<h1>Safety check</h1>" in html and "up 2 points or more" in html
    missing = form_post(pages_alice, ask, ask, {"sc_fever": "no"})
    assert missing.status_code == 422 and "are not answered yet" in missing.text
    answers = {f"sc_{q}": "no" for q in QUESTIONS} | {"sc_saddle_numbness": "yes"}
    answered = form_post(pages_alice, ask, ask, answers)
    assert answered.status_code == 303 and answered.headers["location"] == ask
    result = pages_alice.get(ask).text
    main = result[result.index("<main") :]
    assert main.index('class="triage triage--emergency"') < main.index("Your check-in")
    assert re.search(r'<h1 id="triage-title">', main)
    assert "saddle" not in caplog.text.lower() and "emergency" not in caplog.text.lower()


def test_all_no_in_the_page_goes_back_to_the_dashboard(pages_alice: TestClient) -> None:
    saved = form_post(pages_alice, "/diary/new", "/diary", {"leg_pain": "3", "back_pain": "2"})
    ask = saved.headers["location"]
    answered = form_post(pages_alice, ask, ask, {f"sc_{q}": "no" for q in QUESTIONS})
    assert answered.headers["location"] == "/dashboard?saved=1&checked=1"
    assert "<h1>Thank you</h1>" in pages_alice.get(ask).text


def test_the_dashboard_says_when_a_safety_check_is_waiting(pages_alice: TestClient) -> None:
    entry = check_in(pages_alice)
    html = pages_alice.get("/dashboard").text
    assert "A safety check is waiting" in html
    assert f'href="/diary/{entry["id"]}/safety-check"' in html
    assess(pages_alice)  # the whole assessment asks every question again
    assert "A safety check is waiting" not in pages_alice.get("/dashboard").text
