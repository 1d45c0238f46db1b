"""Save and track over HTTP: accounts, the check-in, the diary, the chart, history and SBI."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from sciatica_care.domain.outcomes import SBI_ITEMS
from tests.web.mailbox import sent_to
from tests.web.test_pages_support import XSS, csrf_of, pages, post_form, wizard_answers

__all__ = ["pages"]

PASSWORD = "a long enough password"


def sign_up(client: TestClient, email: str = "alice@example.org", **extra: str) -> str:
    """Sign up ("check your email"), then log in; returns the page logging in leads to."""
    response = post_form(
        client, "/signup", "/signup", {"email": email, "password": PASSWORD, **extra}
    )
    assert response.status_code == 200 and "Check your email" in response.text, response.text
    return log_in(client, email)


def log_in(client: TestClient, email: str) -> str:
    response = post_form(client, "/login", "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text[:500]
    return str(response.text)


def carried(html: str) -> str:
    match = re.search(r'name="assessment" value="([^"]*)"', html)
    assert match
    return match.group(1).replace("&#34;", '"').replace("&amp;", "&")


def test_pages_that_need_an_account_send_a_stranger_to_log_in(pages: TestClient) -> None:
    for path in ("/dashboard", "/diary", "/diary/new", "/trend", "/sbi", "/assessments"):
        response = pages.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", path


def test_sign_up_leads_to_an_empty_dashboard_and_log_out_ends_the_session(
    pages: TestClient,
) -> None:
    html = sign_up(pages, display_name="Alice")
    assert 'Hello, <span translate="no">Alice</span>' in html, "the name as written"
    assert "Log your pain now" in html and "Your weekly questionnaire is due" in html
    logout = post_form(pages, "/dashboard", "/logout", {})
    assert "Log in" in logout.text
    assert pages.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_short_password_is_named_and_a_taken_email_is_not_told(pages: TestClient) -> None:
    short = post_form(pages, "/signup", "/signup", {"email": "a@example.org", "password": "x"})
    assert short.status_code == 422 and 'href="#field-password"' in short.text
    new = post_form(pages, "/signup", "/signup", {"email": "bob@example.org", "password": PASSWORD})
    taken = post_form(
        pages, "/signup", "/signup", {"email": "bob@example.org", "password": "another one!"}
    )
    assert new.status_code == taken.status_code == 200
    assert new.text == taken.text and "Check your email" in taken.text
    subjects = [m["Subject"] for m in sent_to(pages.app, "bob@example.org")]
    assert subjects == [
        "Confirm your email address for Sciatica Care",
        "Someone tried to create a Sciatica Care account with your address",
    ]


def test_logging_in_with_a_wrong_password_says_so_and_keeps_the_email(pages: TestClient) -> None:
    sign_up(pages, "carol@example.org")
    post_form(pages, "/dashboard", "/logout", {})
    wrong = post_form(
        pages, "/login", "/login", {"email": "carol@example.org", "password": "wrong one!"}
    )
    assert wrong.status_code == 401
    assert 'value="carol@example.org"' in wrong.text and "error-summary" in wrong.text
    right = post_form(
        pages, "/login", "/login", {"email": "carol@example.org", "password": PASSWORD}
    )
    assert "Your dashboard" in right.text


def test_the_anonymous_assessment_is_kept_on_sign_up(pages: TestClient) -> None:
    result = post_form(pages, "/assessment", "/assessment", wizard_answers()).text
    form = pages.post(
        "/signup/keep", data={"assessment": carried(result), "csrftoken": csrf_of(result)}
    ).text
    assert "We will save the assessment you just took" in form
    keep = re.search(r'name="keep" value="([^"]*)"', form)
    assert keep
    sent = pages.post(
        "/signup",
        data={
            "email": "dora@example.org",
            "password": PASSWORD,
            "keep": keep.group(1).replace("&#34;", '"'),
            "csrftoken": csrf_of(form),
        },
        follow_redirects=True,
    ).text
    assert "Check your email" in sent
    dashboard = log_in(pages, "dora@example.org")
    assert "Your whole plan" in dashboard
    history = pages.get("/assessments").text
    assert history.count('href="/assessments/') >= 2


def test_signed_in_an_assessment_is_stored_and_shown_with_its_brief(pages: TestClient) -> None:
    sign_up(pages)
    response = post_form(pages, "/assessment", "/assessment", wizard_answers())
    assert re.search(r"/assessments/\w+$", str(response.url))
    assert 'class="triage triage--self_care' in response.text
    brief = pages.get(str(response.url) + "/brief")
    assert brief.status_code == 200 and "Therapist brief" in brief.text
    again = pages.get("/assessment?from=latest").text
    assert re.search(r'value="calf_back:left"\s+checked', again), "reassess starts from it"


def answer_no_to_the_safety_check(pages: TestClient, html: str) -> str:
    """Answer no to every question of the safety check ``html`` shows; the page after."""
    assert "<h1>Safety check</h1>" in html
    action = re.search(r'action="(/diary/\w+/safety-check)"', html)
    assert action
    names = set(re.findall(r'name="(sc_\w+)"', html))
    return post_form(pages, action.group(1), action.group(1), dict.fromkeys(names, "no")).text


def test_a_check_in_is_saved_shown_edited_and_deleted(pages: TestClient) -> None:
    sign_up(pages)
    form = {
        "leg_pain": "6",
        "back_pain": "2",
        "stretches": ["piriformis_stretch", "nerve_glide"],
        "heat": "yes",
        "massage": ["swedish"],
        "walk_minutes": "20",
        "sleep_quality": "7",
        "note": XSS,
    }
    check = post_form(pages, "/diary/new", "/diary", form).text
    # No assessment yet, so the first check-in asks the safety questions (weekly re-check).
    dashboard = answer_no_to_the_safety_check(pages, check)
    assert "Saved, with your answers to the safety questions" in dashboard
    assert "Leg 6/10" in dashboard
    assert "Piriformis stretch" in dashboard and "Swedish massage" in dashboard
    assert XSS not in dashboard and "&lt;script&gt;" in dashboard
    assert "<svg" in dashboard and "Show the numbers as a table" in dashboard
    diary = pages.get("/diary").text
    entry_id = re.search(r'href="/diary/(\w+)/edit"', diary)
    assert entry_id
    edit = pages.get(f"/diary/{entry_id.group(1)}/edit").text
    assert XSS not in edit and re.search(r'value="nerve_glide"\s+checked', edit)
    changed = post_form(
        pages,
        f"/diary/{entry_id.group(1)}/edit",
        f"/diary/{entry_id.group(1)}",
        {**form, "leg_pain": "4", "note": "better"},
    ).text
    assert "Leg 4/10" in changed and "better" in changed
    gone = post_form(pages, "/diary", f"/diary/{entry_id.group(1)}/delete", {}).text
    assert "No check-ins yet" in gone


def test_a_check_in_with_bad_values_names_the_fields_and_keeps_the_answers(
    pages: TestClient,
) -> None:
    sign_up(pages)
    response = post_form(
        pages, "/diary/new", "/diary", {"leg_pain": "12", "back_pain": "x", "note": "kept"}
    )
    assert response.status_code == 422
    assert 'href="#field-leg_pain"' in response.text and 'href="#field-back_pain"' in response.text
    assert ">kept</textarea>" in response.text


def test_several_check_ins_a_day_are_allowed(pages: TestClient) -> None:
    sign_up(pages)
    for leg in ("5", "3"):
        post_form(pages, "/diary/new", "/diary", {"leg_pain": leg, "back_pain": "1"})
    assert pages.get("/diary").text.count('class="entry"') == 2
    trend = pages.get("/trend").text
    assert "chart-leg" in trend and "<td>4.0</td>" in trend, "the day's mean"


def test_someone_elses_check_in_is_not_found(pages: TestClient) -> None:
    sign_up(pages, "erin@example.org")
    post_form(pages, "/diary/new", "/diary", {"leg_pain": "5", "back_pain": "1"})
    entry_id = re.search(r'href="/diary/(\w+)/edit"', pages.get("/diary").text)
    assert entry_id
    post_form(pages, "/dashboard", "/logout", {})
    sign_up(pages, "frank@example.org")
    assert pages.get(f"/diary/{entry_id.group(1)}/edit").status_code == 404


def test_the_weekly_sbi_is_recorded_and_no_longer_due(pages: TestClient) -> None:
    sign_up(pages)
    missing = post_form(pages, "/sbi", "/sbi", {"leg_pain": "3"})
    assert missing.status_code == 422 and 'href="#field-weakness"' in missing.text
    answers = dict.fromkeys(SBI_ITEMS, "2")
    dashboard = post_form(pages, "/sbi", "/sbi", answers).text
    assert "Your weekly questionnaire is due" not in dashboard
    assert "<td>8</td>" in pages.get("/sbi").text
