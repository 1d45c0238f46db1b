"""The heaviest page routes read their form on the event loop and do their work in a thread:
the report's PDF is drawn off the loop (and outside the unit of work's turn), and the wizard's
stored assessment is evaluated and committed off it. (Check-ins: test_write_turns; password
hashing: test_passwords.)"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from sciatica_care.web.pages import assessment, report_document
from tests.conftest import baseline
from tests.web.event_loop import on_the_event_loop
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
