"""The wizard in Korean: the page, its errors naming each field in Korean, and the words the
page makes (body-map places, error messages) in either language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sciatica_care.domain.assessment import FieldError
from sciatica_care.web.language import LANGUAGE_COOKIE
from sciatica_care.web.pages.body_map import region_side_words
from sciatica_care.web.pages.page_fields import (
    WHOLE_NUMBER,
    PageError,
    error_messages,
    error_words_in,
    message_in,
    page_error,
)
from tests.web.test_pages_support import pages, post_form, wizard_answers

__all__ = ["pages"]


def korean(client: TestClient) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, "ko")
    return client


def test_the_wizard_reads_in_korean_with_the_cookie(pages: TestClient) -> None:
    html = korean(pages).get("/assessment").text
    assert "<h1>내 평가</h1>" in html
    assert "6단계 중 1단계." in html
    assert "지금의 통증" in html  # a step's title
    assert "해당 없음" in html  # "None of these"
    assert "왼쪽 종아리 뒤쪽" in html  # a place on the body map
    assert "Your assessment" not in html


def test_the_wizard_reads_in_korean_for_accept_language(pages: TestClient) -> None:
    html = pages.get("/assessment", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).text
    assert "<h1>내 평가</h1>" in html


def test_a_bad_field_gets_a_korean_error_naming_the_field(pages: TestClient) -> None:
    response = post_form(korean(pages), "/assessment", "/assessment", wizard_answers(age="abc"))
    assert response.status_code == 422
    assert "답변에 문제가 있어요" in response.text  # the summary's title
    assert "나이: 정수를 입력하세요(입력한 값: &#39;abc&#39;)" in response.text
    assert "enter a whole number" not in response.text


def test_an_unanswered_question_is_named_in_korean(pages: TestClient) -> None:
    form = {k: v for k, v in wizard_answers().items() if k != "first_episode"}
    response = post_form(korean(pages), "/assessment", "/assessment", form)
    assert response.status_code == 422
    assert "첫 발병 여부: ‘예’나 ‘아니요’로 답해 주세요" in response.text


def test_the_same_bad_field_in_english_is_unchanged(pages: TestClient) -> None:
    response = post_form(pages, "/assessment", "/assessment", wizard_answers(age="abc"))
    assert response.status_code == 422
    assert "Your age: enter a whole number (you entered &#39;abc&#39;)" in response.text


def test_error_words_in_each_language() -> None:
    error = page_error(FieldError("red_flags.fever", "please answer yes or no"))
    assert error_words_in("en", error).startswith("Safety question “Fever, chills")
    assert error_words_in("ko", error) == (
        "안전 질문 “허리 통증과 함께 열, 오한 또는 전반적으로 몸이 좋지 않음”: "
        "‘예’나 ‘아니요’로 답해 주세요"
    )
    went = page_error(FieldError("prior_response.swedish", "choose how it went, or untick it"))
    assert error_words_in("ko", went) == "스웨디시 마사지 경험: 어땠는지 고르거나 표시를 해제하세요"
    # pydantic's limits, worded by domain/assessment.py, come back with their parts
    assert message_in("ko", "must be at least 12 (got 5)") == "12 이상이어야 해요(입력한 값: 5)"
    assert message_in("ko", "is required") == "답해 주세요"
    assert message_in("en", "is required") == "please answer this"
    assert message_in("ko", WHOLE_NUMBER % {"value": "'x'"}) == "정수를 입력하세요(입력한 값: 'x')"
    # another page's name, marked where it is written, is looked up; an unknown one stays
    other = PageError("code", "field-code", "Safety questions", "please answer yes or no")
    assert error_words_in("ko", other) == "안전 질문: ‘예’나 ‘아니요’로 답해 주세요"
    unknown = PageError("x", "field-x", "Frobnicate", "is wrong")
    assert error_words_in("ko", unknown) == "Frobnicate: is wrong"


def test_body_map_places_in_each_language() -> None:
    assert region_side_words("calf_back", "left", "en") == "Left back of the calf"
    assert region_side_words("calf_back", "left", "ko") == "왼쪽 종아리 뒤쪽"
    assert region_side_words("heel", "both", "ko") == "양쪽 발뒤꿈치"


def test_a_result_not_kept_here_says_so_in_korean(pages: TestClient) -> None:
    response = korean(pages).get("/assessment/result/not-here")
    assert response.status_code == 404
    assert "<h1>이 결과를 찾을 수 없어요</h1>" in response.text
    assert "24시간 동안 보관된 뒤 삭제돼요" in response.text


def test_another_forms_field_is_named_as_its_page_names_it() -> None:
    # Not a field of the assessment: its name is looked up as it is (marked where written).
    email = PageError("email", "field-email", "Your age", "please fill this in")
    assert error_words_in("ko", email) == "나이: 이 칸을 채워 주세요"
    whole = page_error(FieldError("", "the assessment must be a JSON object"))
    assert error_words_in("en", whole) == "Your answers: the assessment must be a JSON object"
    assert error_words_in("ko", whole) == "내 답변: 평가는 JSON 객체여야 해요"


def test_a_step_checked_without_the_script_says_so_in_korean(pages: TestClient) -> None:
    form = {"back_pain": "3", "leg_pain": "5", "side": "left", "upto": "1"}
    response = post_form(korean(pages), "/assessment", "/assessment", form)
    assert response.status_code == 200
    assert "지금까지 알려 주신 내용 중 급히 진료가 필요한 것은 없어요." in response.text
    assert "2단계로 계속하기" in response.text


def test_a_forms_own_message_with_parts_can_be_added() -> None:
    message = "enter a whole number (you entered %(value)s)"  # one already known: no change
    error_messages(message)
    assert message_in("ko", "enter a whole number (you entered 'x')").startswith("정수를")
    assert message_in("ko", "no such message 3") == "no such message 3"
