"""Every result has an address: POST-redirect-GET, anonymous results kept a day in the browser."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient
from itsdangerous.timed import TimestampSigner

from sciatica_care.web.pages.anonymous_result import COOKIE, KEPT_HOURS
from tests.web.test_pages_account import sign_up
from tests.web.test_pages_support import csrf_of, pages, wizard_answers

__all__ = ["pages"]

ADDRESS = re.compile(r"^/assessment/result/[A-Za-z0-9_-]{22}$")


def send(client: TestClient, **changes: str) -> tuple[int, str]:
    """Send the wizard's answers; the status and the Location answered (not followed)."""
    token = csrf_of(client.get("/assessment").text)
    response = client.post(
        "/assessment",
        data={**wizard_answers(**changes), "csrftoken": token},
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("location", "")


def test_an_anonymous_result_is_sent_to_its_own_address_with_no_health_data_in_it(
    pages: TestClient,
) -> None:
    status, location = send(pages)
    assert status == 303
    assert ADDRESS.match(location), location
    cookie = pages.cookies.get(COOKIE)
    assert cookie and "?" not in location, "the address carries nothing but the id"
    first = pages.get(location)
    assert first.status_code == 200 and "What fits you best" in first.text
    assert f"kept for {KEPT_HOURS} hours on this device" in first.text
    again = pages.get(location)  # a reload, or a bookmark opened later that day
    assert again.status_code == 200 and "What fits you best" in again.text


def test_the_cookie_is_http_only_and_lasts_as_long_as_the_page_says(pages: TestClient) -> None:
    token = csrf_of(pages.get("/assessment").text)
    response = pages.post(
        "/assessment", data={**wizard_answers(), "csrftoken": token}, follow_redirects=False
    )
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    assert f"Max-Age={KEPT_HOURS * 3600}" in set_cookie


def test_another_visitors_result_is_not_found(pages: TestClient) -> None:
    _, location = send(pages)
    other = TestClient(pages.app)
    assert other.get(location).status_code == 404
    made_up = pages.get("/assessment/result/AAAAAAAAAAAAAAAAAAAAAA")
    assert made_up.status_code == 404 and "could not find this result" in made_up.text


def test_a_tampered_cookie_opens_nothing(pages: TestClient) -> None:
    _, location = send(pages)
    value = pages.cookies.get(COOKIE)
    assert value
    # The tampered cookie in place of the app's (two of one name would leave the order of the
    # two in the header, which depends on the HTTP client, to decide which one is read).
    pages.cookies.delete(COOKIE)
    pages.cookies.set(COOKIE, value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    assert pages.get(location).status_code == 404


def test_an_expired_result_is_gone(pages: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    _, location = send(pages)
    later = int(time.time()) + KEPT_HOURS * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: later)
    response = pages.get(location)
    assert response.status_code == 410
    assert "forgotten" in response.text and "Take the assessment" in response.text


def test_a_new_assessment_replaces_the_one_kept(pages: TestClient) -> None:
    _, first = send(pages)
    _, second = send(pages, leg_pain="6")
    assert first != second
    assert pages.get(first).status_code == 404
    assert pages.get(second).status_code == 200


def test_an_emergency_is_answered_at_an_address_too_with_the_instruction_first(
    pages: TestClient,
) -> None:
    status, location = send(pages, rf_saddle_numbness="yes")
    assert status == 303 and ADDRESS.match(location)
    html = pages.get(location).text
    main = html[html.index('<main id="main"') :]
    assert re.match(r'<main[^>]*>\s*<section class="triage triage--emergency"', main)
    assert "What fits you best" not in main and "Save my plan" not in main


def test_signed_in_the_result_is_the_stored_assessment_and_can_be_shared(
    pages: TestClient,
) -> None:
    sign_up(pages)
    status, location = send(pages)
    assert status == 303 and re.match(r"^/assessments/\w+$", location)
    html = pages.get(location).text
    assert 'href="/share"' in html and "Share with your therapist" in html
    assert "Save my plan" not in html
    assert pages.get(location).status_code == 200


def test_the_brief_names_the_signed_in_client_and_the_date(pages: TestClient) -> None:
    sign_up(pages, display_name="Alice Example")
    _, location = send(pages)
    brief = pages.get(location + "/brief").text
    assert "Therapist brief: Alice Example" in brief
    assert re.search(r"Prepared \d{1,2} \w{3} \d{4}", brief)
    assert "(good fit)" in brief


def test_an_anonymous_brief_has_an_address_in_the_same_browser_only(pages: TestClient) -> None:
    _, location = send(pages)
    brief = pages.get(location + "/brief")
    assert brief.status_code == 200 and "Therapist brief</h1>" in brief.text
    assert TestClient(pages.app).get(location + "/brief").status_code == 404
