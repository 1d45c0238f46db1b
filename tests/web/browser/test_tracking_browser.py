"""Save and track in chromium: sign up, check in, the chart; screenshots of every page."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from tests.web.browser.conftest import screenshot
from tests.web.browser.test_wizard_browser import click, wait_for

from sciatica_care.config import Settings
from sciatica_care.services.demo import load_demo

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"


def fill(driver: Any, css: str, text: str) -> None:
    field = driver.find_element(By.CSS_SELECTOR, css)
    field.clear()
    field.send_keys(text)


def test_sign_up_check_in_and_see_the_chart(browser: Any) -> None:
    browser.get(browser.base_url + "/")
    screenshot(browser, "home")
    browser.get(browser.base_url + "/signup")
    screenshot(browser, "signup")
    fill(browser, "#field-display_name", "Alice <b>")
    fill(browser, "#field-email", "alice.browser@example.org")
    fill(browser, "#field-password", PASSWORD)
    click(browser, "form[action='/signup'] button[type='submit']")
    heading = wait_for(browser, "h1")
    assert heading.text == "Hello, Alice <b>", "the name is shown as text, not markup"
    screenshot(browser, "dashboard-empty")

    click(browser, "a[href='/diary/new']")
    leg = wait_for(browser, "#field-leg_pain")
    leg.send_keys(*[Keys.ARROW_RIGHT] * 6)
    assert browser.find_element(By.ID, "field-leg_pain-value").text == "6"
    click(browser, "label[for='field-stretches']")
    click(browser, "label[for='field-heat']")
    fill(browser, "#field-note", "<script>alert(1)</script> after a walk")
    screenshot(browser, "check-in")
    click(browser, "form.checkin button[type='submit']")
    wait_for(browser, ".notice--success")
    recent = browser.find_element(By.CSS_SELECTOR, ".entry").text
    assert "Leg 6/10" in recent and "<script>alert(1)</script> after a walk" in recent
    assert browser.find_element(By.CSS_SELECTOR, ".chart svg").is_displayed()
    screenshot(browser, "dashboard-first-check-in")

    click(browser, "a[href='/diary']")
    wait_for(browser, ".entry")
    screenshot(browser, "diary")
    browser.get(browser.base_url + "/sbi")
    screenshot(browser, "sbi")
    browser.get(browser.base_url + "/assessments")
    screenshot(browser, "history-empty")
    click(browser, "form[action='/logout'] button")
    assert wait_for(browser, "a[href='/login']").is_displayed()


def test_a_year_of_history_draws_the_trend_with_its_baseline_and_band(
    browser: Any, live_settings: Settings
) -> None:
    accounts = load_demo(live_settings.resolved_database_url())
    _, email, password = next(a for a in accounts if a[0] == "client")
    browser.get(browser.base_url + "/login")
    screenshot(browser, "login")
    fill(browser, "#field-email", email)
    fill(browser, "#field-password", password)
    click(browser, "form[action='/login'] button[type='submit']")
    chart = wait_for(browser, ".chart svg")
    assert browser.find_elements(By.CSS_SELECTOR, ".chart-band")
    assert browser.find_elements(By.CSS_SELECTOR, ".chart-mean")
    assert "since you started" in browser.find_element(By.CSS_SELECTOR, ".verdict").text
    assert chart.get_attribute("aria-labelledby") == "chart-title chart-desc"
    screenshot(browser, "dashboard-demo")
    browser.get(browser.base_url + "/trend")
    click(browser, ".chart-table summary")
    assert browser.find_element(By.CSS_SELECTOR, ".chart-table table").is_displayed()
    screenshot(browser, "trend")
    browser.get(browser.base_url + "/assessments")
    screenshot(browser, "history")
    click(browser, "tbody a[href^='/assessments/']")
    wait_for(browser, ".triage")
    screenshot(browser, "stored-result")
