"""Regular sessions in chromium: the client previews a weekly series from their booking, sees
the date that is taken, books the series without it, and sees "Session n of N"; then the
waitlist offer page. Screenshots at phone and desktop widths go to artifacts/screenshots/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import time
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy.orm import Session
from tests.web.booking_setup import cancel_in, days_ahead
from tests.web.browser.conftest import heading_reads, screenshot
from tests.web.browser.test_therapist_browser import click_and_wait, log_in
from tests.web.browser.test_wizard_browser import wait_for

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, BookingSettings, WeeklyHours, utcnow
from sciatica_care.services import accounts, schedule, waitlist
from sciatica_care.services.actors import Actor

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
LONDON = "Europe/London"


@pytest.fixture
def database(live_settings: Settings) -> Iterator[Database]:
    db = Database(live_settings.resolved_database_url())
    yield db
    db.dispose()


def _person(db: Session, role: str, name: str) -> Actor:
    user = accounts.create_user(
        db,
        email=f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.org",
        password=PASSWORD,
        role=role,  # type: ignore[arg-type]
    )
    user.email_verified_at, user.display_name, user.time_zone = utcnow(), name, LONDON
    db.flush()
    return Actor(user.id, DEFAULT_CLINIC_ID, user.email, role, name, time_zone=LONDON)  # type: ignore[arg-type]


def _scene(database: Database) -> tuple[Actor, Actor, Actor]:
    """Alex takes bookings every day 08:00-20:00 (London); Alice and Bob are clients."""
    with database.session() as db:
        alex, alice, bob = (
            _person(db, r, n)
            for r, n in (("therapist", "Alex"), ("client", "Alice"), ("client", "Bob"))
        )
        db.add(
            BookingSettings(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=alex.user_id,
                min_notice_hours=0,
                horizon_days=400,
            )
        )
        db.add_all(
            WeeklyHours(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=alex.user_id,
                weekday=d,
                starts=time(8),
                ends=time(20),
            )
            for d in range(7)
        )
        db.commit()
    return alex, alice, bob


def _book(database: Database, therapist: Actor, client: Actor, days: int) -> str:
    with database.session() as db:
        booking = schedule.reserve(
            db,
            clinic_id=DEFAULT_CLINIC_ID,
            therapist_id=therapist.user_id,
            client_id=client.user_id,
            starts_at=days_ahead(days, hour=11),
            length=60,
            status="confirmed",
            created_by="client",
        )
        db.commit()
        return booking.id


def test_a_series_is_previewed_with_its_conflict_and_made_without_it(
    browser: Any, database: Database
) -> None:
    alex, alice, bob = _scene(database)
    first = _book(database, alex, alice, 3)
    _book(database, alex, bob, 3 + 14)  # the third weekly date is taken
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
    alex, alice, bob = _scene(database)
    taken = _book(database, alex, alice, 2)
    with database.session() as db:
        entry = waitlist.join(db, actor=bob, therapist_id=alex.user_id, length_minutes=60)
    log_in(browser, bob.email, f"/therapists/{alex.user_id}/waitlist")
    WebDriverWait(browser, 10).until(heading_reads("Waitlist for Alex"))
    screenshot(browser, "waitlist-place")
    cancel_in(database, taken)
    browser.get(f"{browser.base_url}/waitlist/{entry.id}")
    WebDriverWait(browser, 10).until(heading_reads("An earlier time for you"))
    screenshot(browser, "waitlist-offer")
    click_and_wait(browser, f"form[action='/waitlist/{entry.id}/accept'] button")
    WebDriverWait(browser, 10).until(heading_reads("Booked"))
    wait_for(browser, ".notice--success")
