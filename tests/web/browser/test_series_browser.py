"""Regular sessions in chromium: the client previews a weekly series from their booking, sees
the date that is taken, books the series without it, and sees "Session n of N"; then the
waitlist offer page. Screenshots at phone and desktop widths go to artifacts/screenshots/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import update
from tests.integration.booking_cast import Diary, make_diary
from tests.web.booking_setup import days_ahead
from tests.web.browser.conftest import heading_reads, screenshot
from tests.web.browser.test_therapist_browser import click_and_wait, log_in
from tests.web.browser.test_wizard_browser import wait_for

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import User, utcnow
from sciatica_care.services import accounts, waitlist

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
LONDON = "Europe/London"


@pytest.fixture
def database(live_settings: Settings) -> Iterator[Database]:
    db = Database(live_settings.resolved_database_url())
    yield db
    db.dispose()


def _scene(database: Database) -> Diary:
    """Alex takes bookings every day 08:00-20:00 (London); two clients who can sign in."""
    diary = make_diary(database, clients=2, tag=uuid.uuid4().hex[:8], weekdays=range(7))
    with database.session() as db:
        db.execute(
            update(User)
            .where(User.id.in_([c.user_id for c in diary.clients]))
            .values(password_hash=accounts.password_hash.hash(PASSWORD), email_verified_at=utcnow())
        )
        db.commit()
    return diary


def test_a_series_is_previewed_with_its_conflict_and_made_without_it(
    browser: Any, database: Database
) -> None:
    diary = _scene(database)
    alice, bob = diary.clients
    first = diary.book(alice, days_ahead(3, hour=11), now=utcnow())
    diary.book(bob, days_ahead(3 + 14, hour=11), now=utcnow())  # the third weekly date
    log_in(browser, alice.email, f"/bookings/{first}/series")
    WebDriverWait(browser, 10).until(heading_reads("Book regular sessions"))
    conflicts = browser.find_elements(By.CSS_SELECTOR, ".series-item--conflict")
    assert len(conflicts) == 1 and "taken" in conflicts[0].text
    assert len(browser.find_elements(By.CSS_SELECTOR, "input[name='sessions']:checked")) == 4
    assert "(Europe/London)" in browser.find_element(By.CSS_SELECTOR, ".series-list").text
    screenshot(browser, "series-preview")
    click_and_wait(browser, "button[value='create']")
    WebDriverWait(browser, 10).until(heading_reads("Your regular sessions"))
    items = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".series-list .series-item")]
    assert len(items) == 5 and items[-1].startswith("Session 5 of 5")
    assert conflicts_text_absent(items, days_ahead(3 + 14))
    screenshot(browser, "series-made")


def conflicts_text_absent(items: list[str], taken: Any) -> bool:
    """The taken day is not among the booked sessions."""
    day = f"{taken.day} {taken:%b}"
    return not any(f" {day} " in item for item in items)


def test_the_waitlist_offer_is_taken_in_the_browser(browser: Any, database: Database) -> None:
    diary = _scene(database)
    alex, (alice, bob) = diary.therapist, diary.clients
    taken = diary.book(alice, days_ahead(2, hour=11), now=utcnow())
    with database.session() as db:
        entry = waitlist.join(db, actor=bob, therapist_id=alex.user_id, length_minutes=60)
    log_in(browser, bob.email, f"/therapists/{alex.user_id}/waitlist")
    WebDriverWait(browser, 10).until(heading_reads("Waitlist for Alex"))
    screenshot(browser, "waitlist-place")
    diary.cancel(taken, now=utcnow())
    browser.get(f"{browser.base_url}/waitlist/{entry.id}")
    WebDriverWait(browser, 10).until(heading_reads("An earlier time for you"))
    screenshot(browser, "waitlist-offer")
    click_and_wait(browser, f"form[action='/waitlist/{entry.id}/accept'] button")
    WebDriverWait(browser, 10).until(heading_reads("Booked"))
    wait_for(browser, ".notice--success")
