"""The assessment wizard and the check-in's safety check in Korean, in chromium at phone width:
every step, the script's own words, an error shown by the server, and the safety check with
its error and its thanks. Each page is checked for English left in its main content and kept as
a screenshot (artifacts/screenshots/ko/)."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import (
    WAIT,
    click,
    click_and_wait,
    heading_reads,
    page_replaced,
    wait_for,
)
from tests.web.browser.korean import assert_all_korean, read_in_korean
from tests.web.browser.test_tracking_browser import sign_up
from tests.web.browser.test_wizard_browser import (
    mark,
    marked,
    none_of_these,
    pick_pain,
    visible_step,
)

pytestmark = pytest.mark.browser


def step_title(driver: Any, step: int) -> str:
    return " ".join(str(driver.find_element(By.ID, f"step-{step}-title").text).split())


def test_the_whole_wizard_in_korean(browser: Any) -> None:
    read_in_korean(browser)
    browser.get(browser.base_url + "/assessment")
    WebDriverWait(browser, WAIT).until(heading_reads("내 평가"))
    wait_for(browser, "#wizard-next")
    assert visible_step(browser) == 1
    assert step_title(browser, 1) == "6단계 중 1단계. 지금의 통증"
    assert_all_korean(browser, "wizard-step1")
    # The script's own words are the page's: an unanswered pain level names its question.
    click(browser, "#wizard-next")
    assert visible_step(browser) == 1
    message = browser.execute_script(
        "return document.querySelector('input[name=\"back_pain\"]').validationMessage;"
    )
    assert message == "답해 주세요: 지금 허리 통증은 얼마나 심한가요?"
    pick_pain(browser, "back_pain", 3)
    pick_pain(browser, "leg_pain", 6)
    click(browser, "label[for='field-side']")  # 왼쪽 다리
    click(browser, "#wizard-next")
    assert visible_step(browser) == 2
    assert step_title(browser, 2) == "6단계 중 2단계. 느껴지는 곳"
    assert browser.find_element(By.ID, "marked-list").text == "아직 표시한 부위가 없어요."
    mark(browser, "calf_back:left")
    assert marked(browser, "calf_back:left")
    assert browser.find_element(By.ID, "marked-list").text == "표시한 부위: 왼쪽 종아리 뒤쪽."
    assert_all_korean(browser, "wizard-step2-body-map")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 3
    click(browser, "label[for='field-symptoms-tingling']")
    browser.find_element(By.ID, "field-duration_weeks").send_keys("6")
    click(browser, "label[for='field-seen_clinician']")  # 예
    click(browser, "label[for='field-first_episode-no']")
    assert_all_korean(browser, "wizard-step3")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 4
    click(browser, "#wizard-next")
    assert visible_step(browser) == 4, "a group with nothing ticked is not answered"
    message = browser.execute_script(
        "return document.getElementById('field-rf-group-nerves').validationMessage;"
    )
    assert message == "해당하는 것에 표시하거나 ‘해당 없음’을 골라 주세요: 방광, 장, 안장 부위"
    none_of_these(browser)
    assert_all_korean(browser, "wizard-step4-safety")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 5
    browser.find_element(By.ID, "field-age").send_keys("44")
    assert_all_korean(browser, "wizard-step5")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 6
    click(browser, "label[for='field-prior_response']")  # 스웨디시 마사지: 받아 봄
    assert_all_korean(browser, "wizard-step6")
    # Sent as it is (the script's checks left out), the server names the field left
    # unanswered, in Korean.
    old = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script(
        "HTMLFormElement.prototype.submit.call(document.getElementById('wizard'));"
    )
    WebDriverWait(browser, WAIT).until(page_replaced(old))
    summary = wait_for(browser, ".error-summary")
    assert "답변에 문제가 있어요" in summary.text
    assert "스웨디시 마사지 경험: 어땠는지 고르거나 표시를 해제하세요" in summary.text
    assert visible_step(browser) == 6, "the step of the first error is open"
    assert_all_korean(browser, "wizard-error")
    click(browser, "label[for='field-prior-swedish']")  # 도움이 됨
    click_and_wait(browser, "#wizard-submit")
    wait_for(browser, ".triage")


def test_the_safety_check_in_korean(browser: Any) -> None:
    sign_up(browser, "korean.recheck@example.org")
    read_in_korean(browser)
    browser.get(browser.base_url + "/diary/new")
    click(browser, "label[for='field-leg_pain-7']")
    click(browser, "label[for='field-back_pain-2']")
    click_and_wait(browser, "form.checkin button[type='submit']")
    WebDriverWait(browser, WAIT).until(heading_reads("안전 확인"))
    assert_all_korean(browser, "safety-check")
    # Sent with one question unanswered: the error names it in Korean.
    for radio in browser.find_elements(By.CSS_SELECTOR, "form.safety-check input[value='no']"):
        question = str(radio.get_attribute("name")).removeprefix("sc_")
        if question != "fever":
            click(browser, f"label[for='field-sc-{question}-no']")
    click_and_wait(browser, "form.safety-check button[type='submit']")
    summary = wait_for(browser, ".error-summary")
    assert "안전 질문 “허리 통증과 함께 열, 오한 또는 전반적으로 몸이 좋지 않음”" in summary.text
    assert "‘예’나 ‘아니요’로 답해 주세요" in summary.text
    assert_all_korean(browser, "safety-check-error")
    click(browser, "label[for='field-sc-fever-no']")
    check = browser.current_url
    click_and_wait(browser, "form.safety-check button[type='submit']")
    WebDriverWait(browser, WAIT).until(lambda d: "/dashboard" in d.current_url)
    browser.get(check)  # the check answered: its thanks
    WebDriverWait(browser, WAIT).until(heading_reads("감사합니다"))
    assert_all_korean(browser, "safety-check-thanks")
