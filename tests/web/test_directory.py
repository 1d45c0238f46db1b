"""The directory, public profiles, free slots and the therapist's availability, over the API
and as pages (SQLite and PostgreSQL): filters named when wrong, the plan's order, the Book link
carrying the slot, and availability saved, read back and refused field by field."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.web.app import create_app
from sciatica_care.web.rate_limit import is_slots_route
from tests.conftest import baseline
from tests.web.conftest import SignIn
from tests.web.consent import API, PROFILE

WEEKDAYS = [
    {"weekday": day, "starts": starts, "ends": ends}
    for day in range(5)
    for starts, ends in (("09:00", "12:30"), ("13:30", "17:00"))
]
AVAILABILITY: dict[str, Any] = {
    "weekly_hours": WEEKDAYS,
    "exceptions": [],
    "session_lengths": [60, 90],
    "buffer_before_minutes": 0,
    "buffer_after_minutes": 15,
    "min_notice_hours": 0,
    "horizon_days": 30,
    "slot_step_minutes": 30,
    "new_clients": "request",
    "cancellation_window_hours": 24,
    "waitlist_hold_minutes": 120,
    "accepting_new_clients": True,
    "daily_agenda": True,
}


def therapist(sign_in: SignIn, email: str, **profile: Any) -> tuple[TestClient, str]:
    http = sign_in(email, "therapist")
    response = http.put(f"{API}/therapist/profile", json={**PROFILE, **profile})
    assert response.status_code == 200, response.text
    me: str = http.get(f"{API}/me").json()["id"]
    return http, me


def test_the_directory_is_public_and_filters(client: TestClient, sign_in: SignIn) -> None:
    therapist(sign_in, "tess@example.org", latitude=51.48, longitude=-3.18, postcode="CF10 1EP")
    therapist(
        sign_in,
        "kim@example.org",
        techniques=["trigger_point"],
        languages=["Korean"],
        city="London",
        training=["pregnancy"],
    )
    everyone = client.get(f"{API}/therapists").json()
    assert everyone["total"] == 2 and everyone["page"] == 1
    assert all(e["therapist"]["verified"] is False for e in everyone["therapists"])
    by_language = client.get(f"{API}/therapists", params={"language": "korean"}).json()
    assert [e["therapist"]["languages"] for e in by_language["therapists"]] == [["Korean"]]
    both = client.get(f"{API}/therapists", params=[("training", "pregnancy"), ("city", "Cardiff")])
    assert both.json()["total"] == 0
    near = client.get(f"{API}/therapists", params={"near": "CF10 1AA", "within_km": 5}).json()
    assert near["total"] == 1 and near["therapists"][0]["distance_km"] is not None
    assert "latitude" not in near["therapists"][0]["therapist"]  # only distances are public


def test_bad_filters_are_named(client: TestClient) -> None:
    response = client.get(
        f"{API}/therapists",
        params={"technique": "reiki", "min_years": "many", "within_km": "-1", "near": "1,1"},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"technique.0", "min_years", "within_km"} <= fields
    unknown = client.get(f"{API}/therapists", params={"near": "ZZ9 9ZZ"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "near"
    assert "postcode" in unknown.json()["errors"][0]["message"]
    page = client.get("/therapists", params={"min_years": "many", "language": "Welsh"})
    assert page.status_code == 422
    assert 'id="field-min_years-error"' in page.text and 'value="Welsh"' in page.text


def test_a_signed_in_client_gets_the_order_of_their_plan(
    alice: TestClient, sign_in: SignIn
) -> None:
    plan = alice.post(f"{API}/assessments", json=baseline()).json()
    top = plan["result"]["recommendations"][0]["technique"]
    therapist(sign_in, "tess@example.org", techniques=["deep_tissue"], years_treating_sciatica=9)
    therapist(sign_in, "uma@example.org", techniques=[top], years_treating_sciatica=1)
    found = alice.get(f"{API}/therapists").json()
    assert found["ranked_by"] == "plan" and found["plan"]["techniques"][0] == top
    first = found["therapists"][0]
    assert first["therapist"]["techniques"] == [top]
    assert first["reasons"][0].endswith("your top technique")


def test_the_result_page_links_to_the_directory_for_the_plan(alice: TestClient) -> None:
    plan = alice.post(f"{API}/assessments", json=baseline()).json()
    top = plan["result"]["recommendations"][0]
    page = alice.get(f"/assessments/{plan['id']}")
    assert f"Find a therapist who offers {top['name'].lower()}" in page.text
    link = re.search(r'href="(/therapists\?[^"]+)"', page.text)
    assert link and f"technique={top['technique']}" in link.group(1)
    directory = alice.get(link.group(1).replace("&amp;", "&"))
    assert directory.status_code == 200 and "In the order that suits your plan" in directory.text


def test_availability_is_saved_and_read_back(sign_in: SignIn) -> None:
    tess, _ = therapist(sign_in, "tess@example.org")
    before = tess.get(f"{API}/therapist/availability").json()
    assert before["set_up"] is False and before["time_zone"] == "UTC"
    saved = tess.put(f"{API}/therapist/availability", json=AVAILABILITY)
    assert saved.status_code == 200, saved.text
    again = tess.get(f"{API}/therapist/availability").json()
    assert again["set_up"] is True and len(again["weekly_hours"]) == 10
    assert again["session_lengths"] == [60, 90]


def test_wrong_availability_names_each_field(sign_in: SignIn) -> None:
    tess, _ = therapist(sign_in, "tess@example.org")
    body = {
        **AVAILABILITY,
        "weekly_hours": [
            {"weekday": 0, "starts": "09:00", "ends": "12:00"},
            {"weekday": 0, "starts": "11:00", "ends": "13:00"},
            {"weekday": 7, "starts": "09:00", "ends": "08:00"},
        ],
        "exceptions": [{"day": "2001-01-01", "kind": "extra"}],
        "session_lengths": [7],
        "new_clients": "maybe",
    }
    response = tess.put(f"{API}/therapist/availability", json=body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"weekly_hours.2.weekday", "session_lengths.0", "new_clients"} <= fields
    assert any(f.startswith("exceptions.0") for f in fields)
    overlapping = tess.put(f"{API}/therapist/availability", json={**AVAILABILITY, **body_of(0)})
    assert overlapping.status_code == 422
    assert overlapping.json()["errors"][0]["field"] == "weekly_hours.1.starts"


def body_of(day: int) -> dict[str, Any]:
    stretches = [("09:00", "12:00"), ("11:00", "13:00")]
    return {"weekly_hours": [{"weekday": day, "starts": s, "ends": e} for s, e in stretches]}


def test_the_profile_shows_free_slots_and_the_book_link_carries_one(
    client: TestClient, sign_in: SignIn
) -> None:
    tess, me = therapist(sign_in, "tess@example.org")
    assert client.get(f"{API}/therapists/{me}").json()["next_slots"]["takes_bookings"] is False
    tess.put(f"{API}/therapist/availability", json={**AVAILABILITY, "new_clients": "book"})
    profile = client.get(f"{API}/therapists/{me}").json()
    assert profile["booking"] == "book"
    first = profile["next_slots"]["slots"][0]
    page = client.get(f"/therapists/{me}")
    assert page.status_code == 200 and "(UTC)" in page.text
    starts = first["starts_at"].replace("+00:00", "Z")
    assert f"/therapists/{me}/book?starts={starts.replace(':', '%3A')}&amp;length=60" in page.text
    longer = client.get(f"{API}/therapists/{me}/slots", params={"length": 90}).json()
    assert longer["length"] == 90 and longer["slots"]


def test_slot_searches_are_checked(client: TestClient, sign_in: SignIn) -> None:
    tess, me = therapist(sign_in, "tess@example.org")
    tess.put(f"{API}/therapist/availability", json=AVAILABILITY)
    wrong_length = client.get(f"{API}/therapists/{me}/slots", params={"length": 45})
    assert wrong_length.status_code == 422
    assert wrong_length.json()["errors"][0]["field"] == "length"
    backwards = client.get(
        f"{API}/therapists/{me}/slots", params={"from": "2030-01-10", "to": "2030-01-01"}
    )
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "to"
    assert client.get(f"{API}/therapists/{me}/slots", params={"from": "soon"}).status_code == 422
    assert client.get(f"{API}/therapists/not-an-id/slots").status_code == 404
    page = client.get(f"/therapists/{me}", params={"length": "45"})
    assert page.status_code == 422 and 'id="field-length-error"' in page.text


def test_the_availability_page_keeps_the_input_and_names_the_problem(sign_in: SignIn) -> None:
    tess, _ = therapist(sign_in, "tess@example.org")
    page = tess.get("/therapist/availability")
    assert page.status_code == 200 and "UTC" in page.text
    assert 'name="slot_step_minutes" value="45"' in page.text
    form = {
        "hours_0": "09:00-12:00, 13:00-17:00",
        "hours_1": "nine to five",
        **{name: str(value) for name, value in AVAILABILITY.items() if type(value) is int},
        "session_lengths": "60",
        "slot_step_minutes": "30",
        "new_clients": "book",
        "exc_day": ["", ""],
        "exc_kind": ["off", "off"],
        "exc_from": ["", ""],
        "exc_to": ["", ""],
    }
    refused = tess.post("/therapist/availability", data=form)
    assert refused.status_code == 422
    assert 'id="field-hours_1-error"' in refused.text and 'value="nine to five"' in refused.text
    form["hours_1"] = "10:00-16:00"
    # A value of the wrong kind is named in a person's words, not pydantic's ("must be int").
    wrong_kind = tess.post("/therapist/availability", data={**form, "buffer_before_minutes": "x"})
    assert wrong_kind.status_code == 422
    assert "must be a whole number (got &#39;x&#39;)" in wrong_kind.text, wrong_kind.text
    saved = tess.post("/therapist/availability", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    hours = tess.get(f"{API}/therapist/availability").json()["weekly_hours"]
    assert [(h["weekday"], h["starts"]) for h in hours] == [
        (0, "09:00:00"),
        (0, "13:00:00"),
        (1, "10:00:00"),
    ]


def test_profile_extras_are_checked(sign_in: SignIn) -> None:
    tess = sign_in("tess@example.org", "therapist")
    half = tess.put(f"{API}/therapist/profile", json={**PROFILE, "latitude": 51.4})
    assert half.status_code == 422 and half.json()["errors"][0]["field"] == "longitude"
    training = tess.put(f"{API}/therapist/profile", json={**PROFILE, "training": ["reiki"]})
    assert training.status_code == 422
    whole = {**PROFILE, "latitude": 51.4, "longitude": -2.6, "training": ["oncology"]}
    mine = tess.put(f"{API}/therapist/profile", json=whole).json()
    assert mine["latitude"] == 51.4 and mine["training"] == ["oncology"]


def test_slot_searches_are_rate_limited_per_address(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"rate_limit_slots": "2/minute"}))
    try:
        http = TestClient(app)
        answers = [http.get(f"{API}/therapists/{n:032x}/slots").status_code for n in range(3)]
        assert answers == [404, 404, 429]
        assert http.get("/therapists/" + "0" * 32).status_code == 429
        assert http.get(f"{API}/therapists").status_code == 200  # the search itself is not
    finally:
        app.state.database.dispose()


def test_which_routes_count_as_slot_searches() -> None:
    assert is_slots_route("GET", "/therapists/abc")
    assert is_slots_route("GET", f"{API}/therapists/abc")
    assert is_slots_route("GET", f"{API}/therapists/abc/slots")
    assert not is_slots_route("GET", "/therapists/abc/book")
    assert not is_slots_route("GET", "/therapists/abc/slots")
    assert not is_slots_route("POST", f"{API}/therapists/abc/slots")
    assert not is_slots_route("GET", "/therapists")


def test_time_off_and_extra_hours_change_the_free_slots(
    client: TestClient, sign_in: SignIn
) -> None:
    tess, me = therapist(sign_in, "tess@example.org")
    found = tess.put(f"{API}/therapist/availability", json=AVAILABILITY)
    assert found.status_code == 200
    slots = client.get(f"{API}/therapists/{me}/slots").json()["slots"]
    day = slots[-1]["starts_at"][:10]  # a working day (UTC is the therapist's zone here)
    changes = [{"day": day, "kind": "off"}]
    saturday = next(s for s in _days_ahead(30) if s.weekday() == 5).isoformat()
    changes.append({"day": saturday, "kind": "extra", "starts": "10:00", "ends": "12:00"})
    tess.put(f"{API}/therapist/availability", json={**AVAILABILITY, "exceptions": changes})
    after = [s["starts_at"] for s in client.get(f"{API}/therapists/{me}/slots").json()["slots"]]
    assert not any(s.startswith(day) for s in after)
    assert [s[11:16] for s in after if s.startswith(saturday)] == ["10:00", "10:30", "11:00"]


def _days_ahead(n: int) -> list[date]:
    today = datetime.now(UTC).date()
    return [today + timedelta(days=k) for k in range(2, n)]


def test_slots_show_in_the_viewer_zone_with_the_zone_named(
    alice: TestClient, sign_in: SignIn
) -> None:
    tess, me = therapist(sign_in, "tess@example.org")
    tess.put(f"{API}/therapist/availability", json=AVAILABILITY)
    alice.patch(f"{API}/me", json={"time_zone": "Asia/Seoul"})
    page = alice.get(f"/therapists/{me}")
    assert "Times in Asia/Seoul" in page.text
    assert re.search(r"\w{3} \d{1,2} \w{3}, \d\d:\d\d \(Asia/Seoul\)", page.text)


def test_the_dashboard_links_to_the_directory(alice: TestClient) -> None:
    alice.post(f"{API}/assessments", json=baseline())
    assert "Find a therapist who offers" in alice.get("/dashboard").text


def test_the_profile_page_takes_place_and_training(sign_in: SignIn) -> None:
    tess = sign_in("tess@example.org", "therapist")
    form = {
        **{k: str(v) for k, v in PROFILE.items() if isinstance(v, str | int)},
        "techniques": PROFILE["techniques"],
        "languages": ", ".join(PROFILE["languages"]),
        "postcode": "CF10 1EP",
        "latitude": "north",
        "longitude": "-3.18",
        "training": ["pregnancy"],
    }
    refused = tess.post("/therapist/profile", data=form)
    assert refused.status_code == 422 and 'id="field-latitude-error"' in refused.text
    assert 'value="CF10 1EP"' in refused.text
    saved = tess.post("/therapist/profile", data={**form, "latitude": "51.48"})
    assert saved.status_code == 200  # followed to the saved profile
    mine = tess.get(f"{API}/therapist/profile").json()
    assert (mine["latitude"], mine["training"]) == (51.48, ["pregnancy"])
