"""The diary over the API: check-ins, corrections, deletion, trend, dashboard, SBI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.conftest import baseline

DIARY = "/api/v1/diary"


def check_in(http: TestClient, **fields: object) -> dict[str, object]:
    body: dict[str, object] = {"leg_pain": 5, "back_pain": 3, **fields}
    response = http.post(DIARY, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, object] = response.json()
    return result


def test_a_check_in_records_what_was_done(alice: TestClient) -> None:
    entry = check_in(
        alice,
        stretches=["piriformis_stretch"],
        heat=True,
        massage=["swedish"],
        walk_minutes=20,
        medicine=True,
        sleep_quality=6,
        areas=["buttock"],
        note="slept badly",
    )
    assert entry["stretches"] == ["piriformis_stretch"] and entry["massage"] == ["swedish"]
    assert alice.get(f"{DIARY}/{entry['id']}").json()["note"] == "slept badly"


def test_several_check_ins_a_day_are_kept_newest_first(alice: TestClient) -> None:
    morning = datetime.now(UTC).replace(hour=8, minute=0) - timedelta(days=1)
    check_in(alice, leg_pain=6, recorded_at=morning.isoformat())
    check_in(alice, leg_pain=4, recorded_at=(morning + timedelta(hours=10)).isoformat())
    assert [e["leg_pain"] for e in alice.get(DIARY).json()] == [4, 6]


def test_a_wrong_value_answers_422_naming_the_field(alice: TestClient) -> None:
    response = alice.post(DIARY, json={"leg_pain": 12, "back_pain": 3, "massage": ["reiki"]})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"leg_pain", "massage.0"}


def test_an_unknown_stretch_is_named(alice: TestClient) -> None:
    response = alice.post(DIARY, json={"leg_pain": 2, "back_pain": 3, "stretches": ["yoga"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stretches"


def test_a_check_in_can_be_corrected_and_deleted(alice: TestClient) -> None:
    entry = check_in(alice)
    changed = alice.patch(f"{DIARY}/{entry['id']}", json={"leg_pain": 2, "note": "better"})
    assert changed.status_code == 200
    assert changed.json()["leg_pain"] == 2 and changed.json()["back_pain"] == 3
    assert alice.delete(f"{DIARY}/{entry['id']}").status_code == 204
    assert alice.get(f"{DIARY}/{entry['id']}").status_code == 404


def test_someone_elses_check_in_answers_404_for_every_verb(
    alice: TestClient, bob: TestClient
) -> None:
    entry = check_in(alice)
    url = f"{DIARY}/{entry['id']}"
    assert bob.get(url).status_code == 404
    assert bob.patch(url, json={"leg_pain": 0}).status_code == 404
    assert bob.delete(url).status_code == 404
    assert alice.get(url).json()["leg_pain"] == 5
    assert bob.get(DIARY).json() == []


def test_the_trend_compares_the_7_day_mean_with_the_first_assessment(alice: TestClient) -> None:
    alice.post("/api/v1/assessments", json=baseline(leg_pain=7, back_pain=4))
    now = datetime.now(UTC)
    for days_ago in range(6, -1, -1):
        check_in(
            alice, leg_pain=4, back_pain=4, recorded_at=(now - timedelta(days=days_ago)).isoformat()
        )
    trend = alice.get("/api/v1/trend").json()
    assert trend["leg"]["baseline"] == 7 and trend["leg"]["current"] == 4
    assert trend["leg"]["verdict"].startswith("improving: leg pain down 3 points since you started")
    assert "2-point change that matters" in trend["leg"]["verdict"]
    assert trend["back"]["direction"] == "about_the_same"
    assert len(trend["days"]) == 7


def test_the_dashboard_gathers_plan_trend_and_recent_check_ins(alice: TestClient) -> None:
    alice.post("/api/v1/assessments", json=baseline())
    check_in(alice)
    board = alice.get("/api/v1/dashboard").json()
    assert board["latest"]["result"]["triage"]["level"] == "self_care"
    assert board["assessments_count"] == 1
    assert len(board["recent_entries"]) == 1 and board["trend"]["days"]


def test_the_weekly_sbi_is_scored_and_its_change_reported(alice: TestClient) -> None:
    items = {"leg_pain": 5, "numbness_tingling": 4, "weakness": 2, "sitting_pain": 5}
    first = alice.post("/api/v1/outcomes/sbi", json={**items, "week_of": "2026-01-05"})
    assert first.status_code == 201 and first.json()["total"] == 16
    later = {"leg_pain": 2, "numbness_tingling": 2, "weakness": 1, "sitting_pain": 2}
    alice.post("/api/v1/outcomes/sbi", json={**later, "week_of": "2026-02-04"})
    history = alice.get("/api/v1/outcomes/sbi").json()
    assert [s["total"] for s in history["scores"]] == [16, 7]
    assert history["change"] == -9
    assert "down 9" in history["summary"]


def test_a_second_sbi_in_the_same_week_replaces_the_first(alice: TestClient) -> None:
    items = {"leg_pain": 5, "numbness_tingling": 4, "weakness": 2, "sitting_pain": 5}
    alice.post("/api/v1/outcomes/sbi", json={**items, "week_of": "2026-01-05"})
    alice.post("/api/v1/outcomes/sbi", json={**items, "leg_pain": 0, "week_of": "2026-01-07"})
    assert [s["total"] for s in alice.get("/api/v1/outcomes/sbi").json()["scores"]] == [11]


def test_an_sbi_item_out_of_range_is_named(alice: TestClient) -> None:
    response = alice.post(
        "/api/v1/outcomes/sbi",
        json={"leg_pain": 7, "numbness_tingling": 0, "weakness": 0, "sitting_pain": 0},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "leg_pain"


def test_the_diary_needs_a_sign_in(client: TestClient) -> None:
    for path in (DIARY, "/api/v1/trend", "/api/v1/dashboard", "/api/v1/outcomes/sbi"):
        assert client.get(path).status_code == 401
