"""The directory in chromium: find a therapist, filter by language, open a profile, and the
Book / Request link of a free time carries that slot. Screenshots of the directory and a
profile at phone and desktop widths go to artifacts/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import heading_reads, page_replaced, screenshot
from tests.web.browser.test_tracking_browser import fill
from tests.web.browser.test_wizard_browser import click, wait_for

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.services import demo_directory

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_therapists(live_settings: Settings) -> Iterator[None]:
    database = Database(live_settings.resolved_database_url())
    with database.session() as db:
        demo_directory.add_directory(db, demo_therapist_email="nobody@example.org")
    yield
    database.dispose()


def go(driver: Any, css: str) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    click(driver, css)
    WebDriverWait(driver, 10).until(page_replaced(old))


def test_find_filter_open_a_profile_and_the_book_link_carries_the_slot(
    browser: Any, demo_therapists: None
) -> None:
    browser.get(browser.base_url + "/therapists")
    WebDriverWait(browser, 10).until(heading_reads("Find a therapist"))
    screenshot(browser, "directory")
    click(browser, ".directory-filters summary")
    fill(browser, "#field-language", "Korean")
    go(browser, ".directory-filters button[type='submit']")
    WebDriverWait(browser, 10).until(heading_reads("Find a therapist"))
    results = wait_for(browser, "#results")
    assert results.text == "2 therapists"
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".therapist-card h3 a")]
    assert sorted(names) == ["Ji-woo Kim", "Min-jun Park"]
    go(browser, ".therapist-card h3 a")
    WebDriverWait(browser, 10).until(heading_reads(names[0]))
    slot = wait_for(browser, "a.slot")
    screenshot(browser, "therapist-profile")
    link = urlsplit(str(slot.get_attribute("href")))
    query = parse_qs(link.query)
    assert re.fullmatch(r"/therapists/\w+/book", link.path)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", query["starts"][0])
    assert query["length"] == ["60"] or query["length"] == ["45"]
    assert "(Europe/London)" in slot.text


def test_the_plan_link_orders_the_directory_and_says_why(
    browser: Any, demo_therapists: None
) -> None:
    plan = "technique=myofascial_release&plan_technique=myofascial_release"
    browser.get(f"{browser.base_url}/therapists?{plan}&plan_training=pregnancy&near=BS8+1TH")
    WebDriverWait(browser, 10).until(heading_reads("Find a therapist"))
    assert "In the order that suits your plan" in wait_for(browser, ".notice").text
    first = wait_for(browser, ".therapist-card .why-ranked")
    assert "Offers myofascial release, your top technique" in first.text
    assert "Trained for massage in pregnancy" in first.text
    screenshot(browser, "directory-plan")


def test_a_therapist_sets_their_hours_and_a_mistake_is_named_by_its_field(
    browser: Any, demo_therapists: None
) -> None:
    browser.get(browser.base_url + "/login")
    fill(browser, "#field-email", "demo.minjun@example.org")
    fill(browser, "#field-password", demo_directory.OTHER_PASSWORD)
    go(browser, "form[action='/login'] button[type='submit']")
    wait_for(browser, "h1")
    browser.get(browser.base_url + "/therapist/availability")
    WebDriverWait(browser, 10).until(heading_reads("Your availability"))
    assert wait_for(browser, "#field-hours_0").get_attribute("value") == "09:00-12:30, 13:30-17:00"
    fill(browser, "#field-hours_5", "10:00-14:00 and later")
    go(browser, ".availability-form button[type='submit']")
    WebDriverWait(browser, 10).until(heading_reads("Your availability"))
    error = wait_for(browser, "#field-hours_5-error")
    assert browser.title.startswith("Error: ")
    assert "Saturday" in error.text
    assert browser.find_element(By.ID, "field-hours_5").get_attribute("value") == (
        "10:00-14:00 and later"
    )
    screenshot(browser, "availability-error")
    fill(browser, "#field-hours_5", "10:00-14:00")
    go(browser, ".availability-form button[type='submit']")
    WebDriverWait(browser, 10).until(heading_reads("Your availability"))
    assert "saved" in wait_for(browser, ".notice--success").text
    assert browser.find_element(By.ID, "field-hours_5").get_attribute("value") == "10:00-14:00"
    screenshot(browser, "availability")
