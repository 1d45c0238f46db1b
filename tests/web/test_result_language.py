"""The result, the home page and the dashboard in the reader's language: the same decisions,
the knowledge base's texts in that language, a note that the Korean clinical texts are not yet
reviewed by a Korean clinician, and the Korean emergency services (응급실, 119)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given, settings

from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.recommendation import NEUTRAL_REASON
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.web.pages.result_view import CORE_WORDS, MUSCLE_WORDS, result_in
from sciatica_care.web.templating import region_side_label, templates
from tests.unit.test_properties import assessment_data
from tests.web.test_follow_up import assess
from tests.web.test_pages_support import pages, post_form, wizard_answers

__all__ = ["pages"]

EN, KO = knowledge_base("en"), knowledge_base("ko")
NOT_REVIEWED = "아직 한국 의료인의 검토를 받지 않았습니다"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def main_of(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def korean(client: TestClient) -> TestClient:
    client.cookies.set("sc_lang", "ko")
    return client


def result_page(client: TestClient, **changes: Any) -> str:
    response = post_form(client, "/assessment", "/assessment", wizard_answers(**changes))
    assert response.status_code == 200
    return main_of(response.text)


def test_the_korean_result_shows_the_korean_knowledge_base_and_says_it_is_not_reviewed(
    pages: TestClient,
) -> None:
    html = result_page(korean(pages))
    assert KO.levels["self_care"].headline in html
    assert EN.levels["self_care"].headline not in html
    assert KO.techniques["swedish"].name in html and EN.techniques["swedish"].name not in html
    assert KO.session.frequency in html, "the folded session plan too"
    assert NOT_REVIEWED in html and 'id="translation-review"' in html
    assert "나에게 가장 잘 맞는 것" in html and "What fits you best" not in html
    assert "왼쪽 종아리 뒤" in html, "where to focus names the side in Korean"
    assert "이상근" in html, "the muscles are named in Korean"
    assert "수준의 근거" in html, "the evidence grades are said in Korean"
    # Citations name published works: in their own language, marked as not to translate.
    assert re.search(r'<li id="source-1" lang="en" translate="no">', html)


def test_the_english_result_has_no_korean_and_no_review_note(pages: TestClient) -> None:
    html = result_page(pages)
    assert EN.levels["self_care"].headline in html and "What fits you best" in html
    assert not HANGUL.search(html), "no Korean on an English page"
    assert 'id="translation-review"' not in html
    assert "Left back of the calf" in html and "piriformis" in html


def test_the_browsers_language_chooses_korean_too(pages: TestClient) -> None:
    pages.headers["accept-language"] = "ko-KR,ko;q=0.9,en;q=0.5"
    html = result_page(pages)
    assert KO.levels["self_care"].headline in html and NOT_REVIEWED in html


def test_a_korean_emergency_says_the_emergency_department_and_119(pages: TestClient) -> None:
    html = result_page(korean(pages), rf_saddle_numbness="yes")
    assert re.match(r'<main[^>]*>\s*<section class="triage triage--emergency"', html)
    assert "응급실" in html and 'href="tel:119"' in html and "119에 전화하기" in html
    assert "999" not in html and "A&amp;E" not in html
    assert NOT_REVIEWED in html


def test_a_korean_urgent_result_says_when_to_get_help_in_korean(pages: TestClient) -> None:
    html = result_page(korean(pages), rf_fever="yes")
    assert 'class="triage triage--urgent"' in html
    help_list = html[html.index('id="get-help"') :]
    assert "119에 전화하거나 응급실로 가세요" in help_list
    assert "call 999" not in help_list and "A&amp;E" not in help_list


def test_a_stored_result_and_the_dashboard_are_shown_in_korean(alice: TestClient) -> None:
    assessment_id = assess(alice)
    english = main_of(alice.get(f"/assessments/{assessment_id}").text)
    assert NOT_REVIEWED not in english and not HANGUL.search(english)
    korean(alice)
    stored = main_of(alice.get(f"/assessments/{assessment_id}").text)
    assert NOT_REVIEWED in stored and KO.techniques["swedish"].name in stored
    board = main_of(alice.get("/dashboard").text)
    assert "최근 계획" in board and "여기의 건강 안내는 영어에서 번역되었으며" in board
    level = re.search(r'class="triage triage--(\w+)"', board)
    assert level and KO.levels[level.group(1)].headline in board  # type: ignore[index]


def test_the_home_page_speaks_korean(pages: TestClient) -> None:
    html = main_of(korean(pages).get("/").text)
    assert "평가 시작하기" in html and "Start the assessment" not in html


# --- The result in another language: the same decisions, every knowledge-base text -----------


@settings(max_examples=60, derandomize=True, deadline=None)
@given(assessment_data())
def test_a_result_in_korean_is_the_korean_evaluation_of_the_same_answers(
    data: dict[str, object],
) -> None:
    assessment = parse_assessment(data)
    english, korean_result = evaluate(assessment, EN), evaluate(assessment, KO)
    shown = result_in(english, "ko")
    # The evaluation in Korean still has the words the core writes itself in English (the
    # vocabulary's labels, the neutral reason, the when-to-get-help lines); the page says them
    # in Korean too, and everything else is exactly the Korean evaluation.
    assert shown == result_in(korean_result, "ko")
    assert shown.triage == korean_result.triage and shown.excluded == korean_result.excluded
    assert shown.self_care_plan == korean_result.self_care_plan
    assert [r.technique for r in shown.recommendations] == [
        r.technique for r in korean_result.recommendations
    ]
    assert all(HANGUL.search(line) for line in shown.when_to_get_help)
    assert NEUTRAL_REASON not in str(shown.model_dump())
    assert result_in(english, "en") is english


def test_the_core_words_and_every_muscle_are_in_the_catalog() -> None:
    assert NEUTRAL_REASON in CORE_WORDS
    muscles = {m for target in EN.targets.values() for m in target.muscles}
    assert muscles == set(MUSCLE_WORDS)


def test_a_region_and_side_in_korean() -> None:
    assert region_side_label("calf_back", "left") == "Left back of the calf"
    assert region_side_label("calf_back", "left", "ko").startswith("왼쪽 ")
    assert region_side_label("buttock", "both", "ko") == "양쪽 엉덩이"


def test_the_next_appointment_says_who_in_korean_and_keeps_the_name_as_written() -> None:
    booking = SimpleNamespace(
        id="b1", starts_at=datetime(2026, 6, 3, 9, tzinfo=UTC), status="requested"
    )
    request = SimpleNamespace(
        state=SimpleNamespace(language="ko", actor=None), cookies={}, headers={}
    )
    partial = templates.get_template("partials/next_appointment.html")
    html = partial.render(request=request, user=None, next_appointment=(booking, "Tess <b>"))
    assert "다음 예약" in html and "아직 확정되지 않음" in html and "내 세션 전체" in html
    assert '<span translate="no">Tess &lt;b&gt;</span> 님' in html, "the name as written, escaped"
    anyone = partial.render(request=request, user=None, next_appointment=(booking, None))
    assert "담당 치료사" in anyone
