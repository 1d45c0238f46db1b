"""The tracking pages in Korean (issue 13): form errors name the field in Korean, the read-outs
(trend verdicts, follow-up reasons, PSFS and SBI changes, global ratings) are whole Korean
sentences, and the English made through the catalog is word for word the domain's."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sciatica_care.domain.diary import Change, describe_change, trend_readout
from sciatica_care.domain.follow_up import follow_up
from sciatica_care.domain.outcomes import psfs_change, sbi_change
from sciatica_care.web.pages.tracking_words import (
    change_words,
    follow_up_reason_words,
    psfs_change_words,
    sbi_change_words,
    short_day,
)
from tests.unit.test_follow_up import days_of
from tests.web.test_follow_up import assess, check_in, form_post
from tests.web.test_pages_support import csrf_of


@pytest.fixture
def korean(alice: TestClient) -> TestClient:
    """Alice reading the site in Korean (the language cookie, as the switch sets it)."""
    alice.cookies.set("sc_lang", "ko")
    return alice


def error_summary(html: str) -> str:
    start = html.index('class="error-summary"')
    return html[start : html.index("</div>", start)]


# --- Errors name the field in Korean ---------------------------------------------------------


def test_a_check_in_without_leg_pain_names_the_field_in_korean(korean: TestClient) -> None:
    response = form_post(korean, "/diary/new", "/diary", {"back_pain": "3"})
    assert response.status_code == 422
    assert '<html lang="ko"' in response.text
    summary = error_summary(response.text)
    assert 'href="#field-leg_pain">다리 통증: 0부터 10까지 숫자를 고르세요' in summary
    assert "choose a number" not in response.text


def test_a_check_in_off_the_scale_says_the_limit_in_korean(korean: TestClient) -> None:
    response = form_post(
        korean, "/diary/new", "/diary", {"leg_pain": "11", "back_pain": "2", "walk_minutes": "x"}
    )
    assert response.status_code == 422
    summary = error_summary(response.text)
    assert "다리 통증: 10 이하여야 해요(입력한 값: 11)" in summary
    assert "걸은 시간(분): 정수를 입력하세요(입력한 값: &#39;x&#39;)" in summary


def test_the_accept_language_header_alone_answers_in_korean(alice: TestClient) -> None:
    response = alice.post(
        "/psfs",
        data={"activity_1": "", "csrftoken": csrf_of(alice.get("/psfs").text)},
        headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"},
    )
    assert response.status_code == 422
    assert "활동 1: 어려운 활동을 하나 이상 적어 주세요" in error_summary(response.text)


def test_psfs_sbi_and_rating_errors_are_korean(korean: TestClient) -> None:
    psfs = form_post(korean, "/psfs", "/psfs", {"activity_2": "양말 신기"})
    assert "활동 2: 얼마나 잘 할 수 있는지 0부터 10까지 고르세요" in error_summary(psfs.text)
    sbi = form_post(korean, "/sbi", "/sbi", {"leg_pain": "2"})
    assert "다리, 발 또는 사타구니의 저림이나 따끔거림: 답을 골라 주세요" in error_summary(sbi.text)
    rating = form_post(korean, "/global-rating", "/global-rating", {})
    assert "좌골신경통: 답을 고르세요" in error_summary(rating.text)


def test_the_english_errors_are_unchanged(alice: TestClient) -> None:
    response = form_post(alice, "/diary/new", "/diary", {"back_pain": "3"})
    assert 'href="#field-leg_pain">Leg pain: choose a number from 0 to 10' in response.text


# --- The pages ------------------------------------------------------------------------------


def test_the_trend_page_speaks_korean_with_korean_dates(korean: TestClient) -> None:
    assess(korean)
    check_in(korean, leg_pain=6, back_pain=2)
    html = korean.get("/trend?range=30").text
    assert "<h1>내 변화 추이</h1>" in html
    assert "최근 30일이에요." in html
    assert "30일</a>" in html and "전체</a>" in html
    today = date.today()
    assert f">{today.month}. {today.day}.</text>" in html, "the chart's dates are Korean"
    assert f"{today.year}. {today.month}. {today.day}." in html, "the table's dates are Korean"


def test_the_diary_and_the_psfs_note_the_translation(korean: TestClient) -> None:
    check_in(korean, leg_pain=3, back_pain=1, heat=True, walk_minutes=20)
    diary = korean.get("/diary").text
    assert "다리 3/10 · 허리 1/10" in diary and "한 일: 온찜질, 20분 걷기" in diary
    for page in ("/psfs", "/sbi", "/global-rating"):
        assert "Sciatica Care가 직접 번역한 것으로, 공식 검증된 한국어판이 아니에요" in (
            korean.get(page).text
        )
    assert "official, validated" not in korean.get("/psfs").text.replace("공식", "")


# --- The read-outs: Korean sentences, English as the domain says it -------------------------


CHANGES = [
    (None, None),
    (5.0, 5.0),
    (5.0, 4.0),
    (5.0, 6.0),
    (6.0, 3.0),
    (6.0, 4.0),
    (4.0, 2.5),
    (8.0, 10.0),
    (3.0, 4.5),
    (2.0, 3.0),
    (6.0, 9.5),
    (1.0, 0.0),
]


@pytest.mark.parametrize(("baseline", "current"), CHANGES)
def test_the_trend_verdicts_in_english_are_the_domains(
    baseline: float | None, current: float | None
) -> None:
    for measure in ("leg", "back"):
        change: Change = describe_change(measure, baseline, current)  # type: ignore[arg-type]
        assert change_words(change, "en") == change.verdict
        korean = change_words(change, "ko")
        assert not re.search(r"[A-Za-z]", korean), korean


@pytest.mark.parametrize(
    "means", [[], [4.0], [4.0, 4.0], [4.0, 5.0], [4.0, 6.5], [6.0, 5.5], [7.0, 4.0]]
)
def test_the_psfs_change_in_english_is_the_domains(means: list[float]) -> None:
    change = psfs_change(means)
    assert psfs_change_words(change, "en") == change.summary
    assert not re.search(r"[A-Za-z]", psfs_change_words(change, "ko"))


@pytest.mark.parametrize("totals", [[], [12], [12, 12], [12, 8], [8, 15]])
def test_the_sbi_change_in_english_is_the_domains(totals: list[int]) -> None:
    change = sbi_change(totals)
    assert sbi_change_words(change, "en") == change.summary
    assert not re.search(r"[A-Za-z]", sbi_change_words(change, "ko"))


def test_the_follow_up_reasons_are_whole_korean_sentences() -> None:
    trend = trend_readout(days_of([3] * 10 + [6] * 14), baseline_leg=4, baseline_back=1)
    reading = follow_up(
        trend,
        today=date(2026, 3, 10),
        started_on=date(2026, 1, 1),
        technique_sessions=[("swedish", 5, "no_change")],
    )
    assert follow_up_reason_words(reading, "en") == list(reading.reasons)
    korean = follow_up_reason_words(reading, "ko")
    assert len(korean) == len(reading.reasons) >= 2
    assert any(r.startswith("다리 통증의 7일 평균") for r in korean)
    assert any(r.startswith("스웨디시 마사지: 5회") for r in korean)
    assert not any(re.search(r"[A-Za-z]", r) for r in korean), korean


def test_a_short_day_is_korean() -> None:
    assert short_day(date(2026, 3, 7), "ko") == "3. 7."
    assert short_day(date(2026, 3, 7), "en") == "7 Mar"


def test_a_wrong_range_or_page_in_the_address_is_named_in_korean(korean: TestClient) -> None:
    trend = korean.get("/trend?range=5")
    assert trend.status_code == 422
    assert "기간: 7, 30, 90 또는 전체 중에서 고르세요" in trend.text
    diary = korean.get("/diary?page=0")
    assert diary.status_code == 422
    assert "쪽: 1 이상의 정수여야 해요" in diary.text


def test_the_diarys_pages_are_korean(korean: TestClient) -> None:
    assess(korean)
    for hours in range(31):
        at = datetime.now(UTC) - timedelta(hours=hours + 1)
        check_in(korean, recorded_at=at.isoformat())
    first = korean.get("/diary").text
    assert "최신순: 1번째부터 30번째 기록이에요." in first and "이전 기록</a>" in first
    second = korean.get("/diary?page=2").text
    assert "<title>내 기록, 2쪽" in second
    assert "최신순: 31번째부터 31번째 기록이에요." in second and "최근 기록</a>" in second
    assert "이만큼 오래된 기록은 없어요." in korean.get("/diary?page=3").text
