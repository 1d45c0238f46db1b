"""The pain diary, the check-in, the history, the trend and its chart, and the outcome measures
(PSFS, SBI, global rating, the outcome summary) read in Korean at phone width, in chromium:
each page and state has no English left in its main content, and a screenshot of each is kept
in artifacts/screenshots/ko/ (tracking-*.png)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from tests.conftest import baseline
from tests.web.browser.conftest import WAIT, click, click_and_wait, wait_for
from tests.web.browser.korean import (
    assert_all_korean,
    english_left,
    keep_screenshot,
    latin_words,
    read_in_korean,
)
from tests.web.browser.test_outcomes_browser import score, submit
from tests.web.browser.test_tracking_browser import PASSWORD, api_account, fill

pytestmark = pytest.mark.browser

#: The words of the shared error summary (macros/form.html, the wizard's) while they are still
#: English: an error state is checked in full once they are Korean.
SHARED_ERROR_WORDS = frozenset({"There", "is", "a", "problem", "with", "your", "answers", "Error"})


def log_in_korean(driver: Any, email: str) -> None:
    """Log in as ``email``, then read the site in Korean (the cookie set after signing in, as
    the switch would)."""
    driver.get(driver.base_url + "/login")
    fill(driver, "#field-email", email)
    fill(driver, "#field-password", PASSWORD)
    click_and_wait(driver, "form[action='/login'] button[type='submit']")
    wait_for(driver, "main")
    read_in_korean(driver)


def korean_error_state(driver: Any, name: str) -> None:
    """An error state: all Korean, leaving aside the shared summary's words while they are
    English; the errors themselves are Korean and name the field."""
    wait_for(driver, "#error-summary")
    if "There is a problem with your answers" not in driver.page_source:
        assert_all_korean(driver, name)
        return
    try:
        assert_all_korean(driver, name)
    except AssertionError:
        left = set(english_left(driver)) - SHARED_ERROR_WORDS
        assert not left, f"{name} shows English: {sorted(left)}"
    items = driver.find_elements(By.CSS_SELECTOR, "#error-summary li")
    assert items and all(not latin_words(i.text) for i in items), [i.text for i in items]


def korean_section(driver: Any, css: str, name: str) -> None:
    """A part of a page another area owns (the outcome summary on the dashboard): that part has
    no English; the screenshot is of the whole page."""
    section = wait_for(driver, css)
    text = driver.execute_script(
        """
        const root = arguments[0];
        const parts = [];
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.parentElement.closest('[translate="no"]')) { parts.push(n.textContent); }
        }
        return parts.join(' ');
        """,
        section,
    )
    keep_screenshot(driver, name)
    assert not latin_words(str(text)), f"{name} shows English: {latin_words(str(text))}"


def a_client_with_a_diary(base_url: str, email: str) -> httpx.Client:
    """A client who started at leg pain 3 and has checked in at 6 for six days (not settling),
    with a note and the things they did."""
    http = api_account(base_url, email)
    assert http.post("/assessments", json=baseline(leg_pain=3)).status_code == 200
    for days in range(6, 0, -1):
        at = (datetime.now(UTC) - timedelta(days=days)).isoformat()
        entry = {
            "leg_pain": 6,
            "back_pain": 2,
            "recorded_at": at,
            "heat": days % 2 == 0,
            "massage": ["swedish"] if days == 3 else [],
            "walk_minutes": 20 if days == 2 else None,
            "sleep_quality": 6,
            "note": "Sat too long at my desk" if days == 1 else "",
        }
        made = http.post("/diary", json=entry)
        assert made.status_code == 201, made.text
    return http


def test_the_diary_check_in_history_and_trend_read_in_korean(browser: Any) -> None:
    email = "korean.diary@example.org"
    fresh = api_account(browser.base_url, "korean.empty@example.org")
    fresh.close()
    log_in_korean(browser, "korean.empty@example.org")
    for page, name in (("/diary", "diary-empty"), ("/assessments", "history-empty")):
        browser.get(browser.base_url + page)
        wait_for(browser, "h1")
        assert_all_korean(browser, f"tracking-{name}")
    browser.get(browser.base_url + "/trend")
    wait_for(browser, ".chart svg")
    assert_all_korean(browser, "tracking-trend-empty")

    a_client_with_a_diary(browser.base_url, email).close()
    browser.delete_all_cookies()
    log_in_korean(browser, email)

    browser.get(browser.base_url + "/diary")
    entry = wait_for(browser, ".entry")
    assert "다리 6/10 · 허리 2/10" in entry.text
    assert browser.find_element(By.CSS_SELECTOR, ".note [translate='no']").text == (
        "Sat too long at my desk"
    )
    assert_all_korean(browser, "tracking-diary")

    browser.get(browser.base_url + "/diary/new")
    wait_for(browser, "label[for='field-leg_pain']")
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "지금 몸은 어떠세요?"
    assert_all_korean(browser, "tracking-checkin")
    click(browser, "label[for='field-back_pain-2']")
    click_and_wait(browser, "form.checkin button[type='submit']")
    korean_error_state(browser, "tracking-checkin-errors")
    summary = browser.find_element(By.CSS_SELECTOR, "#error-summary").text
    assert "다리 통증: 0부터 10까지 숫자를 고르세요" in summary

    browser.get(browser.base_url + "/diary")
    click_and_wait(browser, ".entry a[href$='/edit']")
    wait_for(browser, "label[for='field-leg_pain']")
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "이 기록 고치기"
    assert_all_korean(browser, "tracking-checkin-edit")

    browser.get(browser.base_url + "/assessments")
    wait_for(browser, "tbody a[href^='/assessments/']")
    assert_all_korean(browser, "tracking-history")

    browser.get(browser.base_url + "/trend")
    box = wait_for(browser, ".follow-up")
    assert "좀처럼 가라앉지 않아요" in box.text
    click(browser, ".chart-table summary")
    assert browser.find_element(By.CSS_SELECTOR, ".chart-table table").is_displayed()
    yesterday = date.today() - timedelta(days=1)
    axis = browser.find_elements(By.CSS_SELECTOR, ".chart-axis text")
    ticks = [t.get_attribute("textContent") for t in axis]
    assert f"{yesterday.month}. {yesterday.day}." in ticks, "the dates are Korean"
    assert_all_korean(browser, "tracking-trend")
    # A point's label shows on focus, in Korean.
    for point in browser.find_elements(By.CSS_SELECTOR, ".chart-point")[::5]:
        tip = point.find_element(By.CSS_SELECTOR, ".chart-tip")
        browser.execute_script("arguments[0].focus();", point)
        WebDriverWait(browser, WAIT).until(lambda _d, tip=tip: tip.is_displayed())
        assert "다리 통증" in str(point.get_attribute("aria-label"))
        assert tip.text.endswith("다리 6.0, 허리 2.0"), tip.text
        # The label stays inside the chart (it is not cut off at either edge).
        inside = browser.execute_script(
            """
            const box = arguments[0].getBoundingClientRect();
            const svg = arguments[0].ownerSVGElement.getBoundingClientRect();
            return box.left >= svg.left - 1 && box.right <= svg.right + 1;
            """,
            tip,
        )
        assert inside, tip.text
    assert_all_korean(browser, "tracking-trend-point-focused")
    browser.get(browser.base_url + "/trend?range=7")
    wait_for(browser, ".chart svg")
    assert (
        browser.find_element(By.CSS_SELECTOR, ".chart-ranges [aria-current='page']").text == "7일"
    )
    assert_all_korean(browser, "tracking-trend-7-days")


def test_the_outcome_measures_read_in_korean(browser: Any) -> None:
    email = "korean.outcomes@example.org"
    http = api_account(browser.base_url, email)
    log_in_korean(browser, email)

    # The dashboard asks the two-weekly questions: that part of it is Korean.
    browser.get(browser.base_url + "/dashboard")
    korean_section(browser, "section[aria-labelledby='outcomes-title']", "tracking-outcomes-due")

    browser.get(browser.base_url + "/psfs")
    wait_for(browser, "#field-activity_1")
    assert_all_korean(browser, "tracking-psfs")
    fill(browser, "#field-activity_1", "양말 신기")
    fill(browser, "#field-activity_2", "Sitting at work")
    score(browser, 1, 3)
    submit(browser, "form.psfs-form")
    korean_error_state(browser, "tracking-psfs-errors")
    assert "활동 2" in browser.find_element(By.ID, "error-summary").text

    browser.get(browser.base_url + "/sbi")
    wait_for(browser, "form.sbi")
    assert_all_korean(browser, "tracking-sbi")
    submit(browser, "form.sbi")
    korean_error_state(browser, "tracking-sbi-errors")

    browser.get(browser.base_url + "/global-rating")
    wait_for(browser, "label[for='field-rating']")
    assert_all_korean(browser, "tracking-global-rating")
    submit(browser, "form[action='/global-rating']")
    korean_error_state(browser, "tracking-global-rating-errors")

    # Scores over time: a PSFS three weeks ago and today, two SBIs, a rating.
    earlier = (date.today() - timedelta(days=21)).isoformat()
    for on, scores in ((earlier, (3, 2)), (None, (7, 6))):
        body: dict[str, Any] = {
            "activities": [
                {"activity": "양말 신기", "score": scores[0]},
                {"activity": "Sitting at work", "score": scores[1]},
            ]
        }
        if on:
            body["answered_on"] = on
        assert http.post("/psfs", json=body).status_code == 201
    for on, total in ((earlier, 4), (None, 2)):
        sbi: dict[str, Any] = {
            "leg_pain": total,
            "numbness_tingling": 1,
            "weakness": 1,
            "sitting_pain": 2,
        }
        if on:
            sbi["week_of"] = on
        assert http.post("/outcomes/sbi", json=sbi).status_code == 201
    assert http.post("/global-rating", json={"rating": 2}).status_code == 201
    http.close()

    browser.get(browser.base_url + "/psfs")
    wait_for(browser, "#psfs-history")
    assert "지난번: 10점 중 7점." in browser.page_source
    assert_all_korean(browser, "tracking-psfs-again")
    browser.get(browser.base_url + "/sbi")
    wait_for(browser, "#sbi-history")
    assert_all_korean(browser, "tracking-sbi-history")
    browser.get(browser.base_url + "/global-rating")
    wait_for(browser, "#rating-history")
    assert "나아졌어요" in browser.find_element(By.CSS_SELECTOR, "section").text
    assert_all_korean(browser, "tracking-global-rating-history")

    browser.get(browser.base_url + "/dashboard")
    section = "section[aria-labelledby='outcomes-title']"
    wait_for(browser, f"{section} svg")
    click(browser, f"{section} .chart-table summary")
    korean_section(browser, section, "tracking-outcome-summary")
    assert "호전으로 봐요" in browser.find_element(By.CSS_SELECTOR, section).text
