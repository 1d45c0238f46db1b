"""The result page in chromium: the answer on the first phone screen, an address that survives
reload and back/forward, folds that open by click and by keyboard, a brief on one A4 page."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import PHONE, WAIT, screenshot, wait_for
from tests.web.browser.test_accessibility import answers, submit

pytestmark = pytest.mark.browser

ADDRESS = re.compile(r"/assessment/result/[A-Za-z0-9_-]{22}$")


def take_the_assessment(driver: Any, **changes: list[str]) -> str:
    """Send the wizard for a typical case; the result's address (after the redirect)."""
    driver.get(driver.base_url + "/assessment")
    submit(driver, "#wizard", answers(**changes))
    wait_for(driver, ".triage")
    return str(driver.current_url)


def as_phone(driver: Any) -> None:
    width, height = PHONE
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )


def bottom_of(driver: Any, element: Any) -> float:
    return float(
        driver.execute_script("return arguments[0].getBoundingClientRect().bottom;", element)
    )


def test_the_first_phone_screen_names_the_best_technique_and_three_things_for_today(
    browser: Any,
) -> None:
    as_phone(browser)
    take_the_assessment(browser, symptoms=["tingling", "muscle_tightness"])
    assert browser.execute_script("return window.scrollY;") == 0
    best = browser.find_element(By.CSS_SELECTOR, ".glance__best a")
    first_card = browser.find_element(By.CSS_SELECTOR, ".technique h3")
    assert best.text and best.text in first_card.text, "the first screen names the top technique"
    assert "good fit" in first_card.text.lower()
    assert bottom_of(browser, best) <= PHONE[1]
    today = browser.find_elements(By.CSS_SELECTOR, ".glance__today li")
    assert len(today) == 3
    for item in today:
        assert item.is_displayed() and bottom_of(browser, item) <= PHONE[1], item.text
    screenshot(browser, "result-first-screen")


def test_the_result_address_survives_reload_back_and_forward(browser: Any) -> None:
    address = take_the_assessment(browser)
    assert ADDRESS.search(address), address
    browser.refresh()
    wait_for(browser, ".glance")
    assert browser.current_url == address
    browser.get(browser.base_url + "/")
    wait_for(browser, "main")
    browser.back()
    WebDriverWait(browser, WAIT).until(lambda d: d.current_url == address)
    assert wait_for(browser, ".glance__best a").text
    browser.forward()
    WebDriverWait(browser, WAIT).until(lambda d: d.current_url == browser.base_url + "/")
    browser.get(address)  # a bookmark opened later the same day
    assert wait_for(browser, ".glance").is_displayed()


def test_details_are_folded_and_open_by_click_and_by_keyboard(browser: Any) -> None:
    take_the_assessment(browser)
    folds = browser.find_elements(By.CSS_SELECTOR, "main details")
    assert folds and not any(f.get_attribute("open") is not None for f in folds)
    card = browser.find_element(By.CSS_SELECTOR, ".technique")
    how = card.find_element(By.CSS_SELECTOR, "details")
    hidden_text = how.find_element(By.CSS_SELECTOR, "h4")
    assert not hidden_text.is_displayed()
    summary = how.find_element(By.TAG_NAME, "summary")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", summary
    )
    summary.click()
    WebDriverWait(browser, WAIT).until(lambda _d: how.get_attribute("open") is not None)
    assert hidden_text.is_displayed()
    sources = browser.find_element(By.CSS_SELECTOR, "#sources-list")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", sources
    )
    sources.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(lambda _d: sources.get_attribute("open") is not None)
    assert sources.find_element(By.CSS_SELECTOR, "li#source-1").is_displayed()
    sources.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(lambda _d: sources.get_attribute("open") is None)


def test_a_source_number_leads_to_the_one_list_at_the_end(browser: Any) -> None:
    take_the_assessment(browser)
    toggles = [
        s for s in browser.find_elements(By.TAG_NAME, "summary") if s.text.startswith("Sources")
    ]
    assert len(toggles) == 1, "one sources list, not one per paragraph"
    first = browser.find_element(By.CSS_SELECTOR, ".cite a")
    number = first.get_attribute("href").rsplit("#source-", 1)[1]
    assert browser.find_elements(By.ID, f"source-{number}")


def test_the_therapist_brief_prints_on_one_a4_page(browser: Any) -> None:
    take_the_assessment(
        browser,
        area=[
            "lower_back:left",
            "buttock:left",
            "hip_side:left",
            "thigh_back:left",
            "calf_back:left",
            "calf_side:left",
            "foot_sole:left",
        ],
        symptoms=["tingling", "numbness", "muscle_tightness", "stiffness"],
        conditions=["diabetes", "varicose_veins", "antiplatelets"],
    )
    browser.get(
        browser.find_element(By.LINK_TEXT, "Brief for your therapist").get_attribute("href")
    )
    brief = wait_for(browser, ".brief")
    assert "Prepared" in brief.text
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    pdf = base64.b64decode(browser.print_page(options))
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages == 1, f"the brief printed on {pages} pages"
