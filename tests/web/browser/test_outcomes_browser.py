"""The PSFS and the global rating of change in chromium: asked on the dashboard at the start,
answered with the keyboard-usable radio scales, charted after; screenshots of each page."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import (
    WAIT,
    click,
    click_and_wait,
    page_replaced,
    screenshot,
    wait_for,
)
from tests.web.browser.test_tracking_browser import fill, sign_up

from sciatica_care.config import Settings
from sciatica_care.services.demo import load_demo

pytestmark = pytest.mark.browser


def score(driver: Any, row: int, value: int) -> None:
    """Choose a 0-10 score of activity ``row`` (none is chosen to start with)."""
    click(driver, f"label[for='field-score_{row}{'' if value == 0 else f'-{value}'}']")


def submit(driver: Any, css: str) -> None:
    form = driver.find_element(By.CSS_SELECTOR, css)
    click(driver, f"{css} button[type='submit']")
    WebDriverWait(driver, WAIT).until(page_replaced(form))


def test_the_psfs_is_asked_answered_and_charted(browser: Any) -> None:
    sign_up(browser, "psfs.browser@example.org")
    due = wait_for(browser, "#outcomes-title")
    assert due.text == "Activities and overall change"
    assert "Your two-weekly questions are due" in browser.page_source
    screenshot(browser, "dashboard-outcomes-due")

    click_and_wait(browser, "a[href='/psfs']")
    wait_for(browser, "#field-activity_1")
    assert not browser.find_elements(By.CSS_SELECTOR, "input[type='radio']:checked")
    fill(browser, "#field-activity_1", "Sitting at work")
    fill(browser, "#field-activity_2", "Putting on socks")
    score(browser, 1, 3)
    screenshot(browser, "psfs")
    submit(browser, "form.psfs-form")
    # Activity 2 has a name and no score: named, and the answers are kept.
    summary = wait_for(browser, "#error-summary")
    assert "Activity 2" in summary.text
    assert browser.find_element(By.ID, "field-activity_2").get_attribute("value") == (
        "Putting on socks"
    )
    assert browser.find_element(By.ID, "field-score_1-3").is_selected()
    screenshot(browser, "psfs-errors")
    # The scale is usable with the keyboard: focus 0, arrow to 1, 2.
    first = browser.find_element(By.ID, "field-score_2")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", first
    )
    first.send_keys(" ")
    first.send_keys("\ue014\ue014")  # ArrowRight twice
    WebDriverWait(browser, WAIT).until(
        ec.element_located_to_be_selected((By.ID, "field-score_2-2"))
    )
    submit(browser, "form.psfs-form")

    wait_for(browser, ".notice--success")
    text = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='outcomes-title']").text
    assert "first score: 2.5 of 10" in text
    assert "Your two-weekly questions are due" not in browser.page_source
    assert (
        browser.find_element(By.CSS_SELECTOR, "#psfs-chart-title").get_attribute("textContent")
        == "Activity score over time"
    )
    screenshot(browser, "dashboard-outcomes")

    browser.get(browser.base_url + "/psfs")
    assert wait_for(browser, "#field-activity_1").get_attribute("value") == "Sitting at work"
    assert "Last time: 3 of 10" in browser.page_source
    assert not browser.find_elements(By.CSS_SELECTOR, "input[type='radio']:checked")
    screenshot(browser, "psfs-again")

    browser.get(browser.base_url + "/global-rating")
    wait_for(browser, "label[for='field-rating']")
    submit(browser, "form[action='/global-rating']")
    assert "Your sciatica" in wait_for(browser, "#error-summary").text
    click(browser, "label[for='field-rating-2']")
    screenshot(browser, "global-rating")
    submit(browser, "form[action='/global-rating']")
    wait_for(browser, ".notice--success")
    latest = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='outcomes-title']")
    assert "Your latest overall rating" in latest.text
    assert "better compared with the start, which counts as improved" in latest.text


def test_the_demo_clients_scores_show_on_the_therapists_client_page(
    browser: Any, live_settings: Settings
) -> None:
    accounts = load_demo(live_settings.resolved_database_url())
    _, email, password = next(a for a in accounts if a[0] == "therapist")
    browser.get(browser.base_url + "/login")
    fill(browser, "#field-email", email)
    fill(browser, "#field-password", password)
    click_and_wait(browser, "form[action='/login'] button[type='submit']")
    click_and_wait(browser, ".client-card h3 a")
    section = wait_for(browser, "section[aria-labelledby='outcomes-title']")
    assert "Activities they find hard" in section.text
    assert "improving by at least the 2-point change that matters" in section.text
    assert "Their latest overall rating" in section.text
    assert not section.find_elements(By.CSS_SELECTOR, "a[href='/psfs']")
    screenshot(browser, "therapist-client-outcomes")
