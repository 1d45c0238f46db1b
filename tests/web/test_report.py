"""The doctor's report: a PDF whose text (as pypdf extracts it) puts any emergency or urgent
triage first, has every section, renders a Korean name, and is read only after the access check
(the client; a therapist whose consent covers assessments; nobody else)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select, update

from sciatica_care.config import Settings
from sciatica_care.db.tables import AuditEvent, User
from sciatica_care.reports import pdf
from tests.conftest import baseline
from tests.web.conftest import add_user, signed_in_client
from tests.web.consent import API, share, user_id, write_note
from tests.web.test_pages_support import post_form
from tests.web.test_rate_limits import app_with

SECTIONS = (
    "Latest assessment",
    "Red-flag questions",
    "Pain over time",
    "Outcome measures",
    "Sciatica Bothersomeness Index",
    "Patient-Specific Functional Scale",
    "Global rating of change",
    "Massage sessions",
    "Current plan and precautions",
    "What the person wants to ask",
    "Sources",
)
EMERGENCY = baseline(red_flags=["saddle_numbness"], areas=["buttock"])


def text_of(body: bytes) -> str:
    """The PDF's text, pages in order, whitespace folded (lines wrap where the layout wants)."""
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pages_of(body: bytes) -> int:
    return len(PdfReader(io.BytesIO(body)).pages)


def name_client(app: FastAPI, email: str, name: str) -> None:
    with app.state.database.session() as db:
        db.execute(update(User).where(User.email == email).values(display_name=name))
        db.commit()


def report_of(http: TestClient, **params: Any) -> bytes:
    answer = http.get(f"{API}/report.pdf", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    return answer.content


def test_an_emergency_comes_first_exactly_as_on_screen(alice: TestClient) -> None:
    result = alice.post(f"{API}/assessments", json=EMERGENCY).json()["result"]
    triage = result["triage"]
    assert triage["level"] == "emergency"
    text = text_of(report_of(alice))
    first = text.index(triage["first_action"])
    assert first < text.index("Latest assessment")
    for reason in triage["reasons"]:
        assert " ".join(reason.split()) in text
    assert text.index(" ".join(triage["reasons"][0].split())) < text.index("Latest assessment")
    # The red flag said yes to is named as a yes; massage is on hold.
    assert "Yes: Numbness or an odd feeling around the genitals" in text
    assert "Massage is on hold" in text


def test_an_urgent_triage_comes_first_too(alice: TestClient) -> None:
    result = alice.post(f"{API}/assessments", json=baseline(red_flags=["progressive_weakness"]))
    triage = result.json()["result"]["triage"]
    assert triage["level"] == "urgent"
    text = text_of(report_of(alice))
    assert text.index(" ".join(triage["first_action"].split())) < text.index("Latest assessment")


def test_a_self_care_report_has_every_section_on_at_most_two_pages(
    app: FastAPI, alice: TestClient, tess: TestClient
) -> None:
    alice.post(f"{API}/assessments", json=baseline(areas=["buttock", "thigh_back"]))
    for leg in (6, 5, 4):
        alice.post(f"{API}/diary", json={"leg_pain": leg, "back_pain": 3})
    alice.post(f"{API}/outcomes/sbi", json=dict.fromkeys(SBI_ITEMS, 2))
    share(alice, tess)
    write_note(tess, user_id(alice), techniques=["swedish"])
    body = report_of(alice)
    text = text_of(body)
    assert pages_of(body) <= 2
    for heading in SECTIONS:
        assert heading in text, heading
    assert "No red flag was reported" in text
    assert text.index("No red flag was reported") < text.index("Latest assessment")
    assert "Swedish massage" in text and "7 → 4" in text
    assert "page 1 of" in text
    assert "Knowledge base" in text or "knowledge base" in text


SBI_ITEMS = ("leg_pain", "numbness_tingling", "weakness", "sitting_pain")


def test_a_korean_name_renders_and_extracts(app: FastAPI, alice: TestClient) -> None:
    name_client(app, "alice@example.org", "김민지")
    alice.post(f"{API}/assessments", json=baseline())
    text = text_of(report_of(alice))
    assert "김민지" in text


def test_what_the_person_wants_to_ask_is_printed_and_not_kept(
    app: FastAPI, alice: TestClient
) -> None:
    alice.post(f"{API}/assessments", json=baseline())
    question = "Should I have an MRI scan of my lower back?"
    answer = alice.post(f"{API}/report.pdf", json={"questions": question})
    assert answer.status_code == 200
    assert question in text_of(answer.content)
    assert question not in text_of(report_of(alice))
    too_long = alice.post(f"{API}/report.pdf", json={"questions": "x" * 1001})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "questions"


def test_the_report_page_asks_and_names_a_problem(pages_alice: TestClient) -> None:
    page = pages_alice.get("/report")
    assert page.status_code == 200 and "What do you want to ask your doctor?" in page.text
    answer = post_form(pages_alice, "/report", "/report.pdf", {"questions": "Can I drive?"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert "Can I drive?" in text_of(answer.content)
    wrong = post_form(pages_alice, "/report", "/report.pdf", {"questions": "y" * 1001})
    assert wrong.status_code == 422
    assert "What you want to ask" in wrong.text and "at most 1000 characters" in wrong.text
    assert "y" * 1001 in wrong.text  # nothing typed is lost


def test_the_download_is_never_cached_and_named_sensibly(alice: TestClient) -> None:
    answer = alice.get(f"{API}/report.pdf")
    assert answer.headers["cache-control"] == "no-store"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="sciatica-care-report-')
    assert disposition.endswith('.pdf"')


def test_reading_the_report_is_audited(app: FastAPI, alice: TestClient) -> None:
    report_of(alice)
    with app.state.database.session() as db:
        rows = db.scalars(select(AuditEvent).where(AuditEvent.record_type == "report")).all()
    assert [(r.action, r.actor_role) for r in rows] == [("read", "client")]


def test_a_therapist_with_consent_downloads_it_and_others_are_refused(
    alice: TestClient, tess: TestClient, sign_in: Any
) -> None:
    alice.post(f"{API}/assessments", json=EMERGENCY)
    alice_id = user_id(alice)
    uma = sign_in("uma@example.org", "therapist")
    bob = sign_in("bob@example.org")
    assert uma.get(f"{API}/report.pdf", params={"client_id": alice_id}).status_code == 404
    assert bob.get(f"{API}/report.pdf", params={"client_id": alice_id}).status_code == 404
    assert uma.get(f"/therapist/clients/{alice_id}/report.pdf").status_code == 404
    share(alice, tess)
    text = text_of(report_of(tess, client_id=alice_id))
    assert "Go to an emergency department" in text
    assert tess.get(f"/therapist/clients/{alice_id}/report.pdf").status_code == 200


def test_a_therapist_sees_only_what_the_consent_covers(alice: TestClient, tess: TestClient) -> None:
    alice.post(f"{API}/assessments", json=baseline())
    alice_id = user_id(alice)
    share(alice, tess, scopes=["diary"])
    assert tess.get(f"{API}/report.pdf", params={"client_id": alice_id}).status_code == 404
    tess_share = tess.get(f"{API}/therapist/clients").json()
    assert tess_share  # the sharing itself holds; the report needs the assessments
    alice_shares = alice.get(f"{API}/sharing").json()
    alice.patch(f"{API}/sharing/{alice_shares[0]['id']}", json={"scopes": ["assessments"]})
    text = text_of(report_of(tess, client_id=alice_id))
    assert "Latest assessment" in text
    assert text.count("Not shared with this reader") == 3  # trend, scores, sessions


def test_without_pango_the_answer_says_what_is_missing(
    alice: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Any:
        raise pdf.PdfUnavailable()

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    answer = alice.get(f"{API}/report.pdf")
    assert answer.status_code == 503
    assert "WeasyPrint" in answer.json()["detail"] and "libpango" in answer.json()["detail"]


@pytest.fixture
def pages_alice(app: FastAPI, alice: TestClient) -> TestClient:
    """Alice in a browser-like client (the pages' forms carry their CSRF token)."""
    alice.post(f"{API}/assessments", json=baseline())
    return alice


def test_reports_are_rate_limited_per_address(settings: Settings) -> None:
    with app_with(settings, rate_limit_report="2/hour") as app:
        add_user(app, "jo@example.org")
        jo = signed_in_client(app, "jo@example.org")
        assert jo.get(f"{API}/report.pdf").status_code == 200
        assert jo.post(f"{API}/report.pdf", json={}).status_code == 200
        for path in (f"{API}/report.pdf", "/clinician/made-up", "/clinician/x/report.pdf"):
            answer = jo.get(path)
            assert answer.status_code == 429, path
            assert int(answer.headers["retry-after"]) > 0
        # The report page itself (a form) is not counted.
        assert jo.get("/report").status_code == 200
