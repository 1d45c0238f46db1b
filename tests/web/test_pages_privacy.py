"""The person's data rights over HTTP: "your data", who looked at my record, JSON and CSV
downloads, and erasing the account after a clear confirmation (then signed out, calmly)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.web.test_pages_support import XSS, pages, post_form
from tests.web.test_pages_therapist import (
    PASSWORD,
    browser_of,
    client_signs_up,
    share_code_of,
    shares_by_code,
    sharing_pair,
    therapist_signs_up,
    writes_note,
)

__all__ = ["pages"]

PRIVATE_PAGES = (
    "/privacy",
    "/privacy/audit",
    "/privacy/export.json",
    "/privacy/diary.csv",
    "/privacy/sessions.csv",
    "/privacy/erase",
)


def test_data_pages_send_a_stranger_to_log_in(pages: TestClient) -> None:
    for path in PRIVATE_PAGES:
        response = pages.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", path


def test_your_data_links_to_sharing_the_audit_the_downloads_and_erase(pages: TestClient) -> None:
    client_signs_up(pages)
    html = pages.get("/privacy").text
    for link in ("/sharing", "/privacy/audit", "/privacy/export.json", "/privacy/diary.csv"):
        assert f'href="{link}"' in html, link
    assert 'href="/privacy/sessions.csv"' in html and 'href="/privacy/erase"' in html
    dashboard = pages.get("/dashboard").text
    assert 'href="/share"' in dashboard and 'href="/privacy"' in dashboard


def test_downloads_hold_my_check_ins_and_my_therapists_notes(pages: TestClient) -> None:
    tess, alice, client_id = sharing_pair(pages)
    post_form(alice, "/diary/new", "/diary", {"leg_pain": "5", "back_pain": "2", "note": XSS})
    writes_note(tess, client_id, plan="=HYPERLINK(1)")
    everything = alice.get("/privacy/export.json")
    assert everything.status_code == 200
    assert 'filename="sciatica-care-export.json"' in everything.headers["content-disposition"]
    document = json.loads(everything.text)
    assert [e["note"] for e in document["diary"]] == [XSS], "what I wrote, as data"
    diary = alice.get("/privacy/diary.csv")
    assert diary.headers["content-type"].startswith("text/csv")
    assert 'filename="diary.csv"' in diary.headers["content-disposition"]
    assert len(diary.text.strip().splitlines()) == 2
    sessions = alice.get("/privacy/sessions.csv")
    assert "'=HYPERLINK(1)" in sessions.text, "formulas are defused"


def test_who_looked_at_my_record_names_the_therapist_and_what_they_opened(
    pages: TestClient,
) -> None:
    tess, alice = pages, browser_of(pages)
    code = share_code_of(therapist_signs_up(tess, name=XSS))
    client_signs_up(alice)
    shares_by_code(alice, code)
    listing = tess.get("/therapist/clients").text
    client_link = listing.split('href="/therapist/clients/')[1].split('"')[0]
    assert tess.get(f"/therapist/clients/{client_link}").status_code == 200
    audit = alice.get("/privacy/audit").text
    assert "Who looked at my record" in audit
    assert "&lt;script&gt;" in audit and XSS not in audit, "the therapist's name, escaped"
    assert "(therapist)" in audit and "Looked at" in audit


def test_erasing_needs_the_password_and_the_phrase_then_signs_out(pages: TestClient) -> None:
    client_signs_up(pages)
    form = pages.get("/privacy/erase").text
    assert "This cannot be undone" in form and "delete my account" in form
    wrong = post_form(
        pages, "/privacy/erase", "/privacy/erase", {"password": "nope", "confirm": "delete"}
    )
    assert wrong.status_code == 422
    assert 'href="#field-password"' in wrong.text and 'href="#field-confirm"' in wrong.text
    assert 'value="delete"' in wrong.text, "the typed phrase is kept"
    erased = post_form(
        pages,
        "/privacy/erase",
        "/privacy/erase",
        {"password": PASSWORD, "confirm": "Delete my account"},
    )
    assert erased.status_code == 200 and "Your account is deleted" in erased.text
    assert 'href="/login"' in erased.text, "signed out"
    assert pages.get("/dashboard", follow_redirects=False).status_code == 303
    again = post_form(
        pages, "/login", "/login", {"email": "alice@example.org", "password": PASSWORD}
    )
    assert again.status_code == 401
