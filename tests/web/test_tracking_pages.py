"""The tracking pages (issue 10): the dashboard's quick log, backfilling a check-in by date, the
chart's ranges and focusable points, /diary in pages, the SBI as compact 0-6 scales."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.web.consent import API
from tests.web.test_follow_up import assess, check_in, form_post

DIARY = f"{API}/diary"


def stored(http: TestClient) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = http.get(DIARY, params={"limit": 2000}).json()
    return body


def local_input(at: datetime) -> str:
    """A time as the check-in's datetime-local field sends it (the account's zone is UTC)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


# --- Quick log -------------------------------------------------------------------------------


def test_the_dashboard_offers_the_quick_log_with_no_pain_chosen(alice: TestClient) -> None:
    html = alice.get("/dashboard").text
    form = html[
        html.index('action="/diary/quick"') : html.index("</form>", html.index("/diary/quick"))
    ]
    assert form.count('type="radio"') == 22
    assert " checked" not in form, "no pain level is chosen for the person"
    assert "Log pain</button>" in form
    assert 'href="/diary/new"' in html, "the full check-in stays for more detail"


def test_a_quick_log_without_back_pain_names_it_and_stores_nothing(alice: TestClient) -> None:
    response = form_post(alice, "/dashboard", "/diary/quick", {"leg_pain": "5"})
    assert response.status_code == 422
    assert 'href="#field-back_pain">Back pain: choose a number from 0 to 10' in response.text
    assert re.search(r'name="leg_pain" value="5"\s+required\s+checked', response.text), "kept"
    assert stored(alice) == [], "a pain not given is missing, never a 0"


def test_a_quick_log_refuses_a_value_off_the_scale_naming_the_field(alice: TestClient) -> None:
    response = form_post(alice, "/dashboard", "/diary/quick", {"leg_pain": "11", "back_pain": "x"})
    assert response.status_code == 422
    assert "Leg pain: " in response.text and "Back pain: enter a whole number" in response.text
    assert stored(alice) == []


def test_a_quick_log_stores_both_pains_and_nothing_else(alice: TestClient) -> None:
    assess(alice)  # this week's assessment is the weekly safety check
    extra = {"leg_pain": "4", "back_pain": "0", "note": "ignored", "heat": "yes"}
    response = form_post(alice, "/dashboard", "/diary/quick", extra)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard?saved=1"
    [entry] = stored(alice)
    assert (entry["leg_pain"], entry["back_pain"]) == (4, 0), "a 0 the person chose is kept"
    assert entry["note"] == "" and entry["heat"] is False
    recorded = datetime.fromisoformat(entry["recorded_at"])
    assert abs(recorded - datetime.now(UTC)) < timedelta(minutes=1)
    assert "Saved" in alice.get("/dashboard?saved=1").text


def test_the_first_quick_log_asks_the_weekly_safety_questions(alice: TestClient) -> None:
    response = form_post(alice, "/dashboard", "/diary/quick", {"leg_pain": "3", "back_pain": "2"})
    assert response.status_code == 303
    assert re.fullmatch(r"/diary/\w+/safety-check", response.headers["location"])
    assert alice.get(f"{API}/safety-check").json()["pending_entry_id"] == stored(alice)[0]["id"]


def test_a_quick_log_with_leg_pain_up_two_from_the_7_day_mean_asks_again(
    alice: TestClient,
) -> None:
    assess(alice)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    check_in(alice, leg_pain=3, recorded_at=yesterday.isoformat())
    calm = form_post(alice, "/dashboard", "/diary/quick", {"leg_pain": "4", "back_pain": "2"})
    assert calm.headers["location"] == "/dashboard?saved=1", "up 1 from the mean: not asked"
    worse = form_post(alice, "/dashboard", "/diary/quick", {"leg_pain": "6", "back_pain": "2"})
    ask = worse.headers["location"]
    assert re.fullmatch(r"/diary/\w+/safety-check", ask)
    entry_id = ask.split("/")[2]
    check = alice.get(f"{DIARY}/{entry_id}/safety-check").json()
    assert check["reason"] == "leg_pain_up" and check["pending"]


# --- Backfill --------------------------------------------------------------------------------


def test_the_check_in_offers_when_defaulting_to_now(alice: TestClient) -> None:
    html = alice.get("/diary/new").text
    field = re.search(r'<input[^>]*id="field-recorded_at"[^>]*>', html)
    assert field and 'type="datetime-local"' in field.group(0)
    shown = re.search(r'value="(\d{4}-\d\d-\d\dT\d\d:\d\d)"', field.group(0))
    assert shown
    assert abs(datetime.fromisoformat(shown.group(1)) - datetime.now()) < timedelta(minutes=2)


def test_a_missed_day_is_backfilled_at_the_time_chosen(alice: TestClient) -> None:
    assess(alice)
    when = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=3, hours=2)
    data = {"leg_pain": "5", "back_pain": "1", "recorded_at": local_input(when)}
    response = form_post(alice, "/diary/new", "/diary", data)
    assert response.status_code == 303, response.text
    [entry] = stored(alice)
    assert datetime.fromisoformat(entry["recorded_at"]) == when


def test_a_check_in_left_at_the_time_shown_is_recorded_now(alice: TestClient) -> None:
    assess(alice)
    shown = local_input(datetime.now(UTC) - timedelta(minutes=30))
    data = {"leg_pain": "5", "back_pain": "1", "recorded_at": shown, "recorded_at_shown": shown}
    assert form_post(alice, "/diary/new", "/diary", data).status_code == 303
    recorded = datetime.fromisoformat(stored(alice)[0]["recorded_at"])
    assert abs(recorded - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_check_in_in_the_future_is_refused_naming_when(alice: TestClient) -> None:
    later = local_input(datetime.now(UTC) + timedelta(hours=3))
    data = {"leg_pain": "5", "back_pain": "1", "note": "kept", "recorded_at": later}
    response = form_post(alice, "/diary/new", "/diary", data)
    assert response.status_code == 422
    assert 'href="#field-recorded_at">When: must not be in the future' in response.text
    assert f'value="{later}"' in response.text and ">kept</textarea>" in response.text
    assert stored(alice) == []


def test_a_time_that_is_not_a_time_is_refused_naming_when(alice: TestClient) -> None:
    data = {"leg_pain": "5", "back_pain": "1", "recorded_at": "yesterday-ish"}
    response = form_post(alice, "/diary/new", "/diary", data)
    assert response.status_code == 422
    assert "When: enter a date and a time" in response.text
    assert stored(alice) == []


def test_an_edit_can_move_a_check_in_to_another_day(alice: TestClient) -> None:
    assess(alice)
    entry = check_in(alice)
    edit = alice.get(f"/diary/{entry['id']}/edit").text
    assert 'name="recorded_at_shown"' in edit
    when = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=2)
    data = {"leg_pain": "4", "back_pain": "3", "recorded_at": local_input(when)}
    edit_page = f"/diary/{entry['id']}/edit"
    assert form_post(alice, edit_page, f"/diary/{entry['id']}", data).status_code == 303
    assert datetime.fromisoformat(stored(alice)[0]["recorded_at"]) == when


# --- The chart and its ranges ----------------------------------------------------------------


def history(http: TestClient, days: list[int]) -> None:
    now = datetime.now(UTC)
    for back in days:
        at = now - timedelta(days=back)
        check_in(http, leg_pain=back % 11, back_pain=2, recorded_at=at.isoformat())


def table_days(html: str) -> int:
    table = html[html.index("<table>", html.index('class="chart-table"')) :]
    table = table[: table.index("</table>")]
    return len(re.findall(r'<th scope="row">', table))


def test_the_trend_shows_the_range_chosen_with_plain_links(alice: TestClient) -> None:
    history(alice, [0, 3, 20, 60, 200])
    for chosen, days in (("7", 2), ("30", 3), ("90", 4), ("all", 5)):
        html = alice.get(f"/trend?range={chosen}").text
        assert table_days(html) == days, chosen
        assert html.count('tabindex="0" role="img"') == days, "a focusable point per day"
        assert f'href="/trend?range={chosen}" aria-current="page"' in html
        ranges = html[
            html.index('class="chart-ranges"') : html.index("</nav>", html.index("chart-ranges"))
        ]
        assert ranges.count('aria-current="page"') == 1
    assert table_days(alice.get("/trend").text) == 4, "90 days unless chosen"


def test_a_range_that_is_not_offered_is_refused_naming_it(alice: TestClient) -> None:
    response = alice.get("/trend?range=5")
    assert response.status_code == 422
    assert "range" in response.text


def test_each_point_of_the_chart_names_its_day_and_values(alice: TestClient) -> None:
    assess(alice)
    day = datetime.now(UTC) - timedelta(days=1)
    check_in(alice, leg_pain=7, back_pain=1, recorded_at=day.isoformat())
    html = alice.get("/dashboard").text
    label = f'aria-label="{day.day} {day:%b %Y}: leg pain 7.0, back pain 1.0'
    assert label in html
    assert '<text class="chart-tip"' in html
    assert 'href="/trend?range=7"' in html and 'href="/trend?range=all"' in html


# --- The diary in pages ----------------------------------------------------------------------


def test_the_diary_pages_newest_first_like_the_api(alice: TestClient) -> None:
    now = datetime.now(UTC)
    for minutes in range(65):
        at = now - timedelta(hours=minutes)
        check_in(alice, leg_pain=minutes % 11, recorded_at=at.isoformat())
    everything = [e["id"] for e in stored(alice)]
    pages = []
    for page in (1, 2, 3):
        html = alice.get("/diary" if page == 1 else f"/diary?page={page}").text
        pages.append(re.findall(r'href="/diary/(\w+)/edit"', html))
        if page < 3:
            assert f'href="/diary?page={page + 1}" rel="next">Older check-ins' in html
        else:
            assert "Older check-ins" not in html
        if page == 1:
            assert "Newer check-ins" not in html
        else:
            newer = "/diary" if page == 2 else f"/diary?page={page - 1}"
            assert f'href="{newer}" rel="prev">Newer check-ins' in html
    assert [len(p) for p in pages] == [30, 30, 5]
    assert [e for p in pages for e in p] == everything, "newest first, none skipped or repeated"
    api_page = alice.get(DIARY, params={"limit": 30, "offset": 30}).json()
    assert [e["id"] for e in api_page] == pages[1], "the API pages the same way"


def test_a_page_number_that_is_not_one_is_refused_naming_it(alice: TestClient) -> None:
    for bad in ("0", "-1", "two"):
        response = alice.get(f"/diary?page={bad}")
        assert response.status_code == 422 and "page" in response.text, bad
    assert "No check-ins this far back" in alice.get("/diary?page=4").text


# --- The SBI ---------------------------------------------------------------------------------


def test_the_sbi_is_four_compact_scales_with_their_meaning_in_words(alice: TestClient) -> None:
    html = alice.get("/sbi").text
    assert html.count("pain-scale--compact pain-scale--7") == 4
    assert html.count('type="radio"') == 28
    assert "0 = not at all, 3 = somewhat, 6 = extremely." in html
    assert html.count('<span class="visually-hidden"> extremely</span>') == 4
    missing = form_post(alice, "/sbi", "/sbi", {"leg_pain": "3", "weakness": "2"})
    assert missing.status_code == 422
    assert "Numbness or tingling in the leg, foot or groin: please choose an answer" in missing.text
    assert "Back or leg pain while sitting: please choose an answer" in missing.text
    answers = {"leg_pain": "3", "numbness_tingling": "6", "weakness": "0", "sitting_pain": "1"}
    assert form_post(alice, "/sbi", "/sbi", answers).status_code == 303
    assert alice.get(f"{API}/outcomes/sbi").json()["latest"] == 10
