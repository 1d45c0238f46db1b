"""The doctor's report in a real browser: from the dashboard to the report page, a read-only
link for a clinician made and opened without an account, then ended and refused."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import WAIT, click_and_wait, heading_reads, screenshot, wait_for
from tests.web.browser.test_accessibility import log_in, log_out, submit

from sciatica_care.config import Settings
from sciatica_care.services.demo import load_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_client(live_settings: Settings) -> tuple[str, str]:
    people = {
        role: (email, password)
        for role, email, password in load_demo(live_settings.resolved_database_url())
    }
    return people["client"]


def test_a_client_gives_a_clinician_a_link_and_ends_it(
    browser: Any, demo_client: tuple[str, str]
) -> None:
    log_in(browser, demo_client)
    wait_for(browser, "a[href='/report']")
    click_and_wait(browser, "a[href='/report']")
    WebDriverWait(browser, WAIT).until(heading_reads("A report for your doctor"))
    assert browser.find_element(By.ID, "questions").get_attribute("maxlength") == "1000"
    screenshot(browser, "report-page")

    browser.get(browser.base_url + "/report/links")
    submit(browser, "form[action='/report/links']", {"days": ["3"], "label": ["Dr Lee"]})
    link = str(wait_for(browser, "#new-link").get_attribute("value"))
    assert "/clinician/" in link
    screenshot(browser, "report-links")
    log_out(browser)

    browser.get(link)
    wait_for(browser, ".report-head h1")
    assert browser.find_element(By.CSS_SELECTOR, ".triage h2").text.startswith("Safety:")
    pdf = browser.find_element(By.CSS_SELECTOR, ".report-actions__pdf")
    assert str(pdf.get_attribute("href")).endswith("/report.pdf")
    screenshot(browser, "clinician-report")

    log_in(browser, demo_client)
    browser.get(browser.base_url + "/report/links")
    submit(browser, "form[action$='/revoke']")
    assert "The link has ended" in wait_for(browser, ".notice").text
    browser.get(link)
    heading = wait_for(browser, "h1").text
    assert "Safety" not in browser.page_source and heading != "A report for your doctor"
