"""The heaviest page routes read their form on the event loop and do their work in a thread:
the report's PDF is drawn off the loop (and outside the unit of work's turn), and the wizard's
stored assessment is evaluated and committed off it, as is a safety check's triage.
(Check-ins: test_write_turns; password hashing: test_passwords.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sciatica_care.services import follow_up
from sciatica_care.web.pages import assessment, report_document
from tests.conftest import baseline
from tests.web.event_loop import on_the_event_loop
from tests.web.test_follow_up import QUESTIONS, check_in, form_post
from tests.web.test_pages_support import post_form, wizard_answers

API = "/api/v1"


def _watch(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[bool]:
    """Record, for each call of ``module.name``, whether it ran on the event loop."""
    where: list[bool] = []
    real = getattr(module, name)

    def watched(*args: Any, **kwargs: Any) -> Any:
        where.append(on_the_event_loop())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return where


def test_the_report_pdf_is_drawn_off_the_event_loop(
    alice: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice.post(f"{API}/assessments", json=baseline())
    drawn = _watch(monkeypatch, report_document, "html_to_pdf")
    answer = post_form(alice, "/report", "/report.pdf", {"questions": "Can I drive?"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    wrong = post_form(alice, "/report", "/report.pdf", {"questions": "y" * 1001})
    assert wrong.status_code == 422 and "at most 1000 characters" in wrong.text
    assert drawn == [False]


def test_the_wizard_stores_an_assessment_off_the_event_loop(
    alice: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = _watch(monkeypatch, assessment, "run_assessment")
    answer = alice.post("/assessment", data=wizard_answers(), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/assessments/")
    assert stored == [False]
    assert len(alice.get(f"{API}/assessments").json()) == 1


def test_a_safety_check_answered_on_the_page_runs_its_triage_off_the_event_loop(
    alice: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A yes runs triage and stores a new assessment: in one thread, off the event loop; the
    emergency message still comes first."""
    answered_where = _watch(monkeypatch, follow_up, "answer_recheck")
    alice.post(f"{API}/assessments", json=baseline())
    yesterday = datetime.now(UTC) - timedelta(days=1)
    check_in(alice, leg_pain=2, recorded_at=yesterday.isoformat())
    # Leg pain up 2 or more from the 7-day mean: the safety questions are asked again.
    saved = form_post(alice, "/diary/new", "/diary", {"leg_pain": "6", "back_pain": "2"})
    ask = saved.headers["location"]
    assert ask.endswith("/safety-check"), ask
    missing = form_post(alice, ask, ask, {"sc_fever": "no"})
    assert missing.status_code == 422 and "are not answered yet" in missing.text
    answers = {f"sc_{q}": "no" for q in QUESTIONS} | {"sc_saddle_numbness": "yes"}
    answered = form_post(alice, ask, ask, answers)
    assert answered.status_code == 303 and answered.headers["location"] == ask
    main = alice.get(ask).text.split("<main", 1)[1]
    assert main.index('class="triage triage--emergency"') < main.index("Your check-in")
    assert answered_where == [False]
