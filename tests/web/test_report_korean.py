"""The doctor's report in Korean: the PDF (as pypdf extracts it) opens with the Korean emergency
message, says its clinical texts are a translation not yet reviewed by a Korean clinician, and
has no English headings left; the report pages answer in Korean (Accept-Language or the
language cookie), errors naming the field in Korean; the clinician's link follows the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.knowledge.loader import knowledge_base
from tests.conftest import baseline
from tests.web.consent import API, share, user_id, write_note
from tests.web.test_clinician_links import make_link
from tests.web.test_pages_support import post_form
from tests.web.test_report import EMERGENCY, SBI_ITEMS, SECTIONS, name_client, pages_of, text_of

KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}
NOT_REVIEWED = "아직 한국 임상의의 검토를 받지 않았습니다"
PDF_DIR = Path(__file__).resolve().parents[2] / "artifacts" / "pdf"


@pytest.fixture
def korean_alice(alice: TestClient) -> TestClient:
    """Alice, assessed, reading the site in Korean (the language cookie the switch sets)."""
    alice.post(f"{API}/assessments", json=baseline())
    alice.cookies.set("sc_lang", "ko")
    return alice


def korean_report(http: TestClient, name: str) -> bytes:
    answer = http.get(f"{API}/report.pdf", headers=KOREAN)
    assert answer.status_code == 200, answer.text
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    (PDF_DIR / f"{name}.pdf").write_bytes(answer.content)  # to look at (pdftoppm)
    return answer.content


def test_a_korean_emergency_report_says_the_emergency_first(
    app: FastAPI, alice: TestClient
) -> None:
    name_client(app, "alice@example.org", "김민지")
    alice.post(f"{API}/assessments", json=EMERGENCY)
    text = text_of(korean_report(alice, "report-ko-emergency"))
    triage = evaluate(Assessment.model_validate(EMERGENCY), knowledge_base("ko")).triage
    assert triage.level == "emergency"
    emergency = " ".join(triage.first_action.split())
    assert "응급실" in emergency
    first = text.index(emergency)
    # Before everything else the document holds: its title, the name, the facts, the sections.
    for later in ("의사에게 보여 줄 보고서", "김민지", "최근 평가", "출처"):
        assert first < text.index(later), later
    assert "119" in text
    assert NOT_REVIEWED in text
    assert "마사지는 중단" in text
    for english in ("Latest assessment", "Massage is on hold", "Sources", "page 1 of", "Why"):
        assert english not in text, english


def test_a_korean_report_has_every_section_in_korean(
    app: FastAPI, alice: TestClient, tess: TestClient
) -> None:
    alice.post(f"{API}/assessments", json=baseline(areas=["buttock", "thigh_back"]))
    for leg in (6, 5, 4):
        alice.post(f"{API}/diary", json={"leg_pain": leg, "back_pain": 3})
    alice.post(f"{API}/outcomes/sbi", json=dict.fromkeys(SBI_ITEMS, 2))
    share(alice, tess)
    write_note(tess, user_id(alice), techniques=["swedish"])
    body = korean_report(alice, "report-ko-self-care")
    text = text_of(body)
    assert pages_of(body) <= 2
    for heading in ("최근 평가", "위험 신호 질문", "시간에 따른 통증", "결과 측정", "마사지 세션"):
        assert heading in text, heading
    assert "스웨디시 마사지" in text
    assert NOT_REVIEWED in text
    assert "1 / " in text or "쪽" in text
    for heading in SECTIONS:
        assert heading not in text, heading


def test_an_english_report_says_nothing_of_a_translation(alice: TestClient) -> None:
    alice.post(f"{API}/assessments", json=EMERGENCY)
    answer = alice.get(f"{API}/report.pdf", headers={"Accept-Language": "en"})
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    (PDF_DIR / "report-en-emergency.pdf").write_bytes(answer.content)
    text = text_of(answer.content)
    assert "translated" not in text and NOT_REVIEWED not in text
    first = text.index("Go to an emergency department (A&E) now.")
    assert first < text.index("Latest assessment")


def test_the_report_page_asks_in_korean_and_names_the_field(korean_alice: TestClient) -> None:
    page = korean_alice.get("/report")
    assert page.status_code == 200
    assert '<html lang="ko"' in page.text
    assert "의사에게 무엇을 묻고 싶으세요?" in page.text
    assert "What do you want to ask" not in page.text
    wrong = post_form(korean_alice, "/report", "/report.pdf", {"questions": "y" * 1001})
    assert wrong.status_code == 422
    assert "묻고 싶은 것" in wrong.text and "최대 1000자" in wrong.text
    assert "at most" not in wrong.text
    answer = post_form(korean_alice, "/report", "/report.pdf", {"questions": "운전해도 되나요?"})
    assert answer.headers["content-type"] == "application/pdf"
    text = text_of(answer.content)
    assert "운전해도 되나요?" in text and "의사에게 묻고 싶은 것" in text


def test_the_links_page_in_korean_names_the_field(korean_alice: TestClient) -> None:
    page = korean_alice.get("/report/links")
    assert "의료인용 링크" in page.text and "Links for a clinician" not in page.text
    wrong = post_form(korean_alice, "/report/links", "/report/links", {"days": "99", "label": ""})
    assert wrong.status_code == 422
    assert "유효 기간(일)" in wrong.text and "1일에서 30일 사이" in wrong.text


def test_a_clinician_link_reads_in_the_readers_language(
    client: TestClient, korean_alice: TestClient
) -> None:
    korean_alice.post(f"{API}/assessments", json=EMERGENCY)
    _address, token = make_link(korean_alice, days="7")
    path = f"/clinician/{token}"
    korean = client.get(path, headers=KOREAN)
    assert korean.status_code == 200
    assert '<html lang="ko"' in korean.text and "지금 바로 응급실로 가세요." in korean.text
    assert NOT_REVIEWED in korean.text
    english = client.get(path, headers={"Accept-Language": "en-GB"})
    assert "Go to an emergency department (A&amp;E) now." in english.text
    assert NOT_REVIEWED not in english.text
    pdf = client.get(f"{path}/report.pdf", headers=KOREAN)
    assert pdf.status_code == 200
    assert NOT_REVIEWED in text_of(pdf.content)
    gone = client.get("/clinician/not-a-token", headers=KOREAN)
    assert gone.status_code == 404 and "이 링크로는 보고서를 열 수 없습니다" in gone.text


def test_the_links_page_tells_a_therapist_in_korean_it_is_for_clients(tess: TestClient) -> None:
    tess.cookies.set("sc_lang", "ko")
    page = tess.get("/report/links")
    assert page.status_code == 403
    assert "고객 전용" in page.text and "Only for clients" not in page.text


def test_the_pdf_footer_and_type_follow_the_language() -> None:
    from sciatica_care.web.pages.report_document import page_css

    english, korean = page_css("en"), page_css("ko")
    assert '"page " counter(page) " of " counter(pages)' in english
    assert "NanumGothic" not in english
    assert 'counter(page) " / " counter(pages) "쪽"' in korean
    assert '"NanumGothic"' in korean and "진단이 아닙니다" in korean
