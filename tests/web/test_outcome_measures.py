"""The PSFS and the global rating of change over the API and as pages: errors name the field,
another client's data is not found, a therapist reads them only with the client's consent, and
the dashboard and the therapist's client page show what is due and the change in words."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.web.consent import API, share, user_id

PSFS = f"{API}/psfs"
RATING = f"{API}/global-rating"


def psfs_body(*pairs: tuple[str, int], on: date | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"activities": [{"activity": a, "score": s} for a, s in pairs]}
    if on is not None:
        body["answered_on"] = on.isoformat()
    return body


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


# --- API -------------------------------------------------------------------------------------


def test_the_psfs_is_recorded_and_its_mean_change_said_in_words(alice: TestClient) -> None:
    first = alice.post(PSFS, json=psfs_body(("sitting", 2), ("walking", 4), on=date(2026, 1, 5)))
    assert first.status_code == 201, first.text
    assert first.json()["mean"] == 3.0
    assert first.json()["activities"][0] == {"activity": "sitting", "score": 2}
    alice.post(PSFS, json=psfs_body(("sitting", 5), ("walking", 6), on=date(2026, 1, 19)))
    history = alice.get(PSFS).json()
    assert [a["answered_on"] for a in history["answers"]] == ["2026-01-05", "2026-01-19"]
    assert (history["first"], history["latest"], history["change"]) == (3.0, 5.5, 2.5)
    assert history["meaningful"] is True and history["meaningful_change"] == 2
    assert "improving by at least the 2-point change that matters" in history["summary"]


def test_a_wrong_psfs_answer_is_named_field_by_field(alice: TestClient) -> None:
    body = psfs_body(("sitting", 3), ("walking", 4), ("stairs", 11))
    body["activities"][1]["activity"] = "   "
    response = alice.post(PSFS, json=body)
    assert response.status_code == 422
    assert fields_of(response) == {"activities.1.activity", "activities.2.score"}
    too_many = alice.post(PSFS, json=psfs_body(*[(f"a{n}", 1) for n in range(6)]))
    assert too_many.status_code == 422 and fields_of(too_many) == {"activities"}
    future = (date.today() + timedelta(days=5)).isoformat()
    late = alice.post(PSFS, json={**psfs_body(("sitting", 3)), "answered_on": future})
    assert fields_of(late) == {"answered_on"}
    assert alice.get(PSFS).json()["answers"] == []


def test_the_global_rating_is_recorded_in_words(alice: TestClient) -> None:
    made = alice.post(RATING, json={"rating": 2, "answered_on": "2026-02-01"})
    assert made.status_code == 201, made.text
    assert (made.json()["label"], made.json()["improved"]) == ("better", True)
    alice.post(RATING, json={"rating": 1, "answered_on": "2026-02-15"})
    ratings = alice.get(RATING).json()
    assert [r["rating"] for r in ratings["ratings"]] == [2, 1]
    assert ratings["latest"]["label"] == "a little better"
    assert ratings["latest"]["improved"] is False


def test_a_rating_off_the_scale_is_named(alice: TestClient) -> None:
    for wrong in ({"rating": 4}, {"rating": "better"}, {}, {"rating": 1, "extra": True}):
        response = alice.post(RATING, json=wrong)
        assert response.status_code == 422
        assert fields_of(response) & {"rating", "extra"}, response.text


def test_another_clients_scores_are_not_found(alice: TestClient, bob: TestClient) -> None:
    alice.post(PSFS, json=psfs_body(("sitting", 3)))
    alice.post(RATING, json={"rating": 0})
    alice_id = user_id(alice)
    for path in (PSFS, RATING):
        assert bob.get(path, params={"client_id": alice_id}).status_code == 404
        mine = bob.get(path).json()
        assert mine.get("answers", mine.get("ratings")) == []


def test_a_therapist_reads_them_only_with_the_clients_consent(
    alice: TestClient, tess: TestClient
) -> None:
    alice.post(PSFS, json=psfs_body(("sitting", 3)))
    alice.post(RATING, json={"rating": 3})
    alice_id = user_id(alice)
    for path in (PSFS, RATING):
        assert tess.get(path, params={"client_id": alice_id}).status_code == 404
    share(alice, tess, ["assessments", "notes"])  # the scores go with the diary: not shared
    for path in (PSFS, RATING):
        assert tess.get(path, params={"client_id": alice_id}).status_code == 404
    alice.patch(
        f"{API}/sharing/{alice.get(f'{API}/sharing').json()[0]['id']}",
        json={"scopes": ["assessments", "diary", "notes"]},
    )
    assert tess.get(PSFS, params={"client_id": alice_id}).json()["latest"] == 3.0
    assert tess.get(RATING, params={"client_id": alice_id}).json()["latest"]["rating"] == 3


def test_an_admin_keeps_no_scores(ada: TestClient) -> None:
    assert ada.post(PSFS, json=psfs_body(("sitting", 3))).status_code == 403
    assert ada.get(RATING).status_code == 403


def test_the_routes_are_documented(client: TestClient) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in ("/api/v1/psfs", "/api/v1/global-rating"):
        assert {"get", "post"} <= set(paths[path]), path
        assert "422" in paths[path]["post"]["responses"]


# --- Pages -----------------------------------------------------------------------------------

PRESELECTED = re.compile(r"<input\b[^>]*\schecked\b")


def preselected(html: str) -> bool:
    """Whether any control on the page starts ticked or chosen."""
    return PRESELECTED.search(html) is not None


def test_the_psfs_page_names_wrong_rows_and_keeps_the_answers(alice: TestClient) -> None:
    page = alice.get("/psfs")
    assert page.status_code == 200
    assert 'name="score_1"' in page.text and not preselected(page.text)  # none preselected
    wrong = alice.post(
        "/psfs",
        data={
            "activity_1": "Sitting at work",
            "activity_2": "",
            "score_2": "4",
            "activity_3": "Stairs",
        },
    )
    assert wrong.status_code == 422
    assert 'href="#field-score_1"' in wrong.text and 'href="#field-activity_2"' in wrong.text
    assert 'href="#field-score_3"' in wrong.text
    assert 'value="Sitting at work"' in wrong.text
    empty = alice.post("/psfs", data={})
    assert empty.status_code == 422 and 'href="#field-activity_1"' in empty.text
    assert alice.get(PSFS).json()["answers"] == []


def test_the_psfs_is_saved_and_offered_again_to_re_rate(alice: TestClient) -> None:
    saved = alice.post(
        "/psfs",
        data={
            "activity_1": "Sitting at work",
            "score_1": "3",
            "activity_4": "Socks",
            "score_4": "6",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/dashboard?saved=1"
    stored = alice.get(PSFS).json()["answers"][0]
    assert stored["activities"] == [
        {"activity": "Sitting at work", "score": 3},
        {"activity": "Socks", "score": 6},
    ]
    again = alice.get("/psfs").text
    assert 'name="activity_1" value="Sitting at work"' in again
    assert 'name="activity_2" value="Socks"' in again
    assert "Last time: 3 of 10" in again
    assert not preselected(again)


def test_the_global_rating_page_asks_seven_answers_none_chosen(alice: TestClient) -> None:
    page = alice.get("/global-rating").text
    assert "Compared with when you started, your sciatica is" in page
    assert page.count('name="rating"') == 7 and not preselected(page)
    missing = alice.post("/global-rating", data={})
    assert missing.status_code == 422 and 'href="#field-rating"' in missing.text
    off = alice.post("/global-rating", data={"rating": "9"})
    assert off.status_code == 422
    saved = alice.post("/global-rating", data={"rating": "-2"}, follow_redirects=False)
    assert saved.status_code == 303
    assert alice.get(RATING).json()["latest"]["label"] == "worse"


def test_the_dashboard_asks_at_the_start_then_shows_the_change(alice: TestClient) -> None:
    start = alice.get("/dashboard").text
    assert "Your two-weekly questions are due" in start and 'href="/psfs"' in start
    assert 'href="/global-rating"' not in start  # nothing to compare with yet
    long_ago = date.today() - timedelta(days=28)
    alice.post(PSFS, json=psfs_body(("sitting", 2), on=long_ago))
    later = alice.get("/dashboard").text
    assert 'href="/psfs"' in later and 'href="/global-rating"' in later
    alice.post(PSFS, json=psfs_body(("sitting", 5)))
    alice.post(RATING, json={"rating": 3})
    now = alice.get("/dashboard").text
    assert "Your two-weekly questions are due" not in now
    assert "up 3.0 since you started (2.0)" in now
    assert "<strong>much better</strong>" in now and "counts as improved" in now
    assert "Activity score over time" in now  # the chart


def test_the_therapists_client_page_shows_the_scores_with_consent(
    alice: TestClient, tess: TestClient
) -> None:
    alice.post(PSFS, json=psfs_body(("walking", 4)))
    alice.post(RATING, json={"rating": 1})
    share(alice, tess)
    page = tess.get(f"/therapist/clients/{user_id(alice)}").text
    assert "Activities and overall change" in page
    assert "first score: 4.0 of 10" in page
    assert "Their latest overall rating" in page and "a little better" in page
    assert 'href="/psfs"' not in page


# --- Readable exports ------------------------------------------------------------------------


def test_the_outcomes_csv_and_the_zip_are_readable(alice: TestClient) -> None:
    alice.patch(f"{API}/me", json={"time_zone": "Asia/Seoul"})
    alice.post(f"{API}/diary", json={"leg_pain": 5, "back_pain": 2, "massage": ["swedish"]})
    alice.post(PSFS, json=psfs_body(("Sitting at work", 3), ("@SUM(1)", 5), on=date(2026, 1, 5)))
    alice.post(RATING, json={"rating": -1, "answered_on": "2026-01-19"})
    outcomes = alice.get(f"{API}/export/outcomes.csv")
    assert outcomes.status_code == 200 and "attachment" in outcomes.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(outcomes.text)))
    assert [r["Day"] for r in table] == ["2026-01-05", "2026-01-19"]
    assert table[0]["Details"] == "Sitting at work: 3;' @SUM(1): 5"
    assert table[0]["Score"] == "4.0"
    assert (table[1]["Score"], table[1]["In words"]) == ("-1", "a little worse")
    for path in (f"{API}/export.zip", "/privacy/export.zip"):
        response = alice.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            names = set(archive.namelist())
            readme = archive.read("README.txt").decode("utf-8")
            diary = archive.read("diary.csv").decode("utf-8")
        assert names == {"README.txt", "diary.csv", "sessions.csv", "outcomes.csv", "bookings.csv"}
        assert "Asia/Seoul" in readme and "- Leg pain (0-10): " in readme
        [row] = list(csv.DictReader(io.StringIO(diary)))
        assert row["Massage"] == "Swedish massage"
        assert row["Checked in at (Asia/Seoul)"], "the time column names the zone"
    assert alice.get("/privacy/outcomes.csv").text == outcomes.text


def test_the_csv_times_are_the_persons_local_times(alice: TestClient) -> None:
    alice.patch(f"{API}/me", json={"time_zone": "Asia/Seoul"})
    at = "2026-01-05T23:30:00+00:00"
    alice.post(f"{API}/diary", json={"leg_pain": 5, "back_pain": 2, "recorded_at": at})
    [row] = list(csv.DictReader(io.StringIO(alice.get(f"{API}/export/diary.csv").text)))
    assert row["Checked in at (Asia/Seoul)"] == "2026-01-06 08:30"
    assert alice.get(f"{API}/export").json()["diary"][0]["recorded_at"] == at


def test_the_privacy_page_links_the_readable_downloads(alice: TestClient) -> None:
    page = alice.get("/privacy").text
    assert 'href="/privacy/export.zip"' in page and 'href="/privacy/outcomes.csv"' in page


def test_the_workspace_api_gives_the_therapist_the_scores_with_the_diary(
    alice: TestClient, tess: TestClient
) -> None:
    alice.post(PSFS, json=psfs_body(("walking", 4), on=date(2026, 1, 5)))
    alice.post(PSFS, json=psfs_body(("walking", 7), on=date(2026, 1, 19)))
    alice.post(RATING, json={"rating": 2})
    share(alice, tess, ["assessments", "notes"])
    record = tess.get(f"{API}/therapist/clients/{user_id(alice)}").json()
    assert record["outcomes"] is None
    share_id = alice.get(f"{API}/sharing").json()[0]["id"]
    alice.patch(f"{API}/sharing/{share_id}", json={"scopes": ["assessments", "diary", "notes"]})
    outcomes = tess.get(f"{API}/therapist/clients/{user_id(alice)}").json()["outcomes"]
    assert [p["mean"] for p in outcomes["psfs"]] == [4.0, 7.0]
    assert outcomes["psfs_meaningful"] is True
    assert (outcomes["latest_rating"], outcomes["latest_rating_label"]) == (2, "better")
    assert outcomes["improved"] is True
