"""Booking in chromium, without JavaScript help: a client opens a therapist's book page, picks
a free time (shown in their own zone) and asks for it; the therapist confirms it and moves it;
the client cancels inside the cancellation window and is shown the policy first; the therapist
records the late cancellation. Screenshots at phone and desktop widths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import booking_scene, heading_reads, screenshot
from tests.web.browser.test_therapist_browser import PASSWORD, click_and_wait, log_in, log_out
from tests.web.browser.test_wizard_browser import click, wait_for
from tests.web.consent import PROFILE

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database

pytestmark = pytest.mark.browser

CLIENT = "cara.booking@example.org"
THERAPIST = "theo.booking@example.org"


@pytest.fixture
def database(live_settings: Settings) -> Iterator[Database]:
    db = Database(live_settings.resolved_database_url())
    yield db
    db.dispose()


def status_reads(text: str) -> Any:
    def reads(driver: Any) -> bool:
        found = driver.find_elements(By.CSS_SELECTOR, "#booking-status")
        return bool(found) and text in str(found[0].text)

    return reads


def pick_the_third_time(driver: Any) -> None:
    """On a page of free times, choose the third one (not the first: a move must show). Late
    in the viewer's evening fewer than three are left that day (two hours' notice): then the
    next day with free times is shown first, whose third time is still within a day of now."""
    times = driver.find_elements(By.CSS_SELECTOR, "input[name='starts_at']")
    if len(times) < 3:
        click_and_wait(driver, "#field-day a[aria-current='date'] + a")
        times = driver.find_elements(By.CSS_SELECTOR, "input[name='starts_at']")
    assert len(times) >= 3, "free times to move to"
    click(driver, f"#{times[2].get_attribute('id')}")


def cancel_after_the_policy(driver: Any) -> None:
    """The client cancels inside the window: refused until they tick that they read the
    policy, then cancelled (late)."""
    click_and_wait(driver, "form[action$='/cancel'] button[type='submit']")
    wait_for(driver, "#field-confirm_late-error")  # not cancelled without confirming
    WebDriverWait(driver, 10).until(status_reads("Confirmed"))
    click(driver, "#field-confirm_late")
    click_and_wait(driver, "form[action$='/cancel'] button[type='submit']")
    WebDriverWait(driver, 10).until(status_reads("Cancelled (cancelled late)"))


def test_book_confirm_reschedule_cancel_late(
    browser: Any, database: Database, live_settings: Settings
) -> None:
    therapist_id = booking_scene(
        database,
        live_settings,
        client=CLIENT,
        therapist=THERAPIST,
        profile=PROFILE,
        password=PASSWORD,
    )
    log_in(browser, CLIENT, f"/therapists/{therapist_id}/book")
    WebDriverWait(browser, 10).until(heading_reads("Book a session with Theo"))
    wait_for(browser, "input[name='starts_at']")
    hint = browser.find_element(By.ID, "field-starts_at-hint").text
    assert "your time zone, Europe/London" in hint  # the viewer's zone, named
    screenshot(browser, "booking-book")
    click(browser, "input[name='starts_at']")
    click_and_wait(browser, "form[method='post'] button[type='submit'].button--large")
    WebDriverWait(browser, 10).until(heading_reads("Massage session with Theo"))
    WebDriverWait(browser, 10).until(status_reads("Requested"))
    booking_url = browser.current_url.split("?")[0]
    assert "Share your record with Theo?" in browser.page_source  # consent offered, not taken
    screenshot(browser, "booking-requested-client")
    log_out(browser)

    # The therapist confirms the request from their list, then moves it.
    log_in(browser, THERAPIST, "/therapist/bookings")
    WebDriverWait(browser, 10).until(heading_reads("Bookings"))
    screenshot(browser, "booking-therapist-list")
    click_and_wait(browser, f"a[href='{booking_url.split(browser.base_url)[1]}']")
    WebDriverWait(browser, 10).until(heading_reads("Massage session with Cara"))
    assert "(America/New_York)" in browser.find_element(By.ID, "when-title").text
    click_and_wait(browser, "form[action$='/confirm'] button")
    WebDriverWait(browser, 10).until(status_reads("Confirmed"))
    old_time = browser.find_element(By.ID, "when-title").text
    click_and_wait(browser, "a[href$='?change=reschedule']")
    WebDriverWait(browser, 10).until(heading_reads("Massage session with Cara"))
    pick_the_third_time(browser)
    screenshot(browser, "booking-reschedule")
    click_and_wait(browser, "form[action$='/reschedule'] button[type='submit']")
    WebDriverWait(browser, 10).until(status_reads("Confirmed"))
    assert "Moved to the new time." in browser.page_source
    assert browser.find_element(By.ID, "when-title").text != old_time
    log_out(browser)

    # The client cancels inside the window: the policy is on the page before they confirm.
    log_in(browser, CLIENT, booking_url.split(browser.base_url)[1])
    WebDriverWait(browser, 10).until(status_reads("Confirmed"))
    assert "may be charged" in browser.find_element(By.CSS_SELECTOR, ".caution").text
    screenshot(browser, "booking-policy")
    cancel_after_the_policy(browser)
    log_out(browser)

    # The therapist decides: a late cancellation.
    log_in(browser, THERAPIST, booking_url.split(browser.base_url)[1])
    WebDriverWait(browser, 10).until(status_reads("(cancelled late)"))
    click_and_wait(browser, "button[name='status'][value='late_cancelled']")
    WebDriverWait(browser, 10).until(status_reads("Late cancellation"))
    screenshot(browser, "booking-late-cancelled")
