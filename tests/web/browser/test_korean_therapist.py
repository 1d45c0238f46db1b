"""The therapist's side in Korean, in chromium at phone width: every page of the therapist area
(sign-up, client list with its share code and invitation link, a client's page with what
helped, the session-note form, a note and its history after an amendment, profile,
availability, bookings, the admin's therapist list) and the client's sharing pages (share code,
confirm, who can see my data) and the therapist brief show no English in their main content.
Names, codes and what people wrote are marked translate="no". A screenshot of each page is kept
in artifacts/screenshots/ko/ (the scene is the one of test_therapist_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select
from tests.booking_setup import open_diary, slot_in
from tests.web.browser.conftest import (
    WAIT,
    add_therapist,
    click,
    click_and_wait,
    page_replaced,
    wait_for,
)
from tests.web.browser.korean import assert_all_korean, read_in_korean
from tests.web.browser.test_therapist_browser import (
    PASSWORD,
    age_notes,
    client_history,
    log_in,
)
from tests.web.browser.test_therapist_browser import log_out as log_out_wide
from tests.web.browser.test_tracking_browser import fill

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import AssessmentRecord, User
from sciatica_care.services import accounts, booking

pytestmark = pytest.mark.browser

THERAPIST = "tess.korean@example.org"
CLIENT = "alice.korean@example.org"
ADMIN = "ada.korean@example.org"
PROFILE = {
    "licence_number": "LMT-4471",
    "years_experience": 12,
    "years_treating_sciatica": 6,
    "techniques": ["swedish", "myofascial_release"],
    "languages": ["English", "Polish"],
    "city": "Leeds",
    "bio": "Gentle, careful work.",
}


@pytest.fixture
def database(live_settings: Settings) -> Iterator[Database]:
    """The browser-test server's database, for setting the scene through the services."""
    db = Database(live_settings.resolved_database_url())
    yield db
    db.dispose()


def scene(database: Database, settings: Settings) -> tuple[str, str]:
    """Tess (a therapist who confirms new clients' requests), Alice (a client on blood thinners
    with two weeks of check-ins and a requested booking with Tess) and an admin; returns Tess's
    id and Alice's assessment id."""
    with database.session() as db:
        add_therapist(
            db, settings, email=THERAPIST, password=PASSWORD, display_name="Tess", profile=PROFILE
        )
        accounts.create_user(db, email=ADMIN, password=PASSWORD, role="admin")
        alice = accounts.create_user(db, email=CLIENT, password=PASSWORD, display_name="Alice")
        db.commit()
        alice.email_verified_at = alice.created_at
        tess_id: str = db.scalars(select(User.id).where(User.email == THERAPIST)).one()
        db.commit()
        open_diary(db, tess_id, new_clients="request")
    client_history(database, settings, CLIENT)
    with database.session() as db:
        actor = accounts.log_in(db, settings=settings, email=CLIENT, password=PASSWORD).actor
        booking.book(db, actor=actor, therapist_id=tess_id, starts_at=slot_in(50), length=60)
        alice_id = db.scalars(select(User.id).where(User.email == CLIENT)).one()
        assessment_id: str = db.scalars(
            select(AssessmentRecord.id).where(AssessmentRecord.user_id == alice_id)
        ).one()
        db.commit()
    return tess_id, assessment_id


def korean_log_in(driver: Any, email: str, then: str) -> None:
    """Sign in and open ``then`` in Korean (the language cookie set again after signing in)."""
    log_in(driver, email, then)
    read_in_korean(driver)
    driver.get(driver.base_url + then)
    wait_for(driver, "main h1")


def log_out(driver: Any) -> None:
    """Sign out at desktop width (at phone width the button is in the folded menu)."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    log_out_wide(driver)


def test_the_therapist_side_reads_in_korean(
    browser: Any, database: Database, live_settings: Settings
) -> None:
    tess_id, assessment_id = scene(database, live_settings)

    # Signed out: the therapist's sign-up.
    browser.get(browser.base_url + "/therapist/signup")
    read_in_korean(browser)
    browser.get(browser.base_url + "/therapist/signup")
    wait_for(browser, "main h1")
    assert_all_korean(browser, "therapist-signup")

    # The therapist: the empty client list, a new invitation link, profile, availability and
    # bookings (a request to answer).
    korean_log_in(browser, THERAPIST, "/therapist/clients")
    code = wait_for(browser, ".share-box .share-code").text
    assert_all_korean(browser, "therapist-clients-empty")
    click_and_wait(browser, "form[action='/therapist/invitations'] button")
    assert "/share/invite/" in wait_for(browser, "#invite-link").get_attribute("value")
    assert_all_korean(browser, "therapist-clients-invitation")
    browser.get(browser.base_url + "/therapist/profile")
    wait_for(browser, "main h1")
    assert_all_korean(browser, "therapist-profile")
    browser.get(browser.base_url + "/therapist/availability")
    wait_for(browser, "main h1")
    assert_all_korean(browser, "therapist-availability")
    log_out(browser)

    # The client shares by the code after seeing what is shared; the brief of the assessment.
    korean_log_in(browser, CLIENT, "/share")
    assert_all_korean(browser, "sharing-code")
    fill(browser, "#field-code", code)
    click_and_wait(browser, "form[action='/share/find'] button[type='submit']")
    wait_for(browser, "main h1")
    assert_all_korean(browser, "sharing-confirm")
    click_and_wait(browser, "form[action='/share'] button[type='submit']")
    assert "field-scopes" in wait_for(browser, ".error-summary a").get_attribute("href")
    assert_all_korean(browser, "sharing-confirm-error")
    for scope in ("assessments", "diary", "notes"):
        click(browser, f"input[name='scopes'][value='{scope}'] + label")
    click_and_wait(browser, "form[action='/share'] button[type='submit']")
    wait_for(browser, ".share-card")
    assert_all_korean(browser, "sharing-list")
    browser.get(browser.base_url + f"/assessments/{assessment_id}/brief")
    wait_for(browser, "main h1")
    assert_all_korean(browser, "therapist-brief")
    log_out(browser)

    # Sharing, Alice books straight away: Tess has a request to answer and a day in her diary.
    with database.session() as db:
        actor = accounts.log_in(db, settings=live_settings, email=CLIENT, password=PASSWORD).actor
        booking.book(db, actor=actor, therapist_id=tess_id, starts_at=slot_in(80), length=30)
        db.commit()

    # The therapist: bookings, the client list and page, a note, and after 24 hours an
    # amendment.
    korean_log_in(browser, THERAPIST, "/therapist/bookings")
    assert wait_for(browser, "#answer-title + ul li")
    assert wait_for(browser, "#diary-title ~ h3")
    assert_all_korean(browser, "therapist-bookings")
    browser.get(browser.base_url + "/therapist/clients")
    wait_for(browser, ".client-card")
    assert_all_korean(browser, "therapist-clients")
    click_and_wait(browser, ".client-card h3 a")
    wait_for(browser, ".safety-first--page")
    assert_all_korean(browser, "therapist-client")
    click_and_wait(browser, "a.button[href$='/notes/new']")
    wait_for(browser, "#field-leg_pain_before")
    assert_all_korean(browser, "therapist-note-form")
    click(browser, "label[for='field-techniques']")
    click(browser, "label[for='field-pressure']")
    click(browser, "label[for='field-area']")
    click(browser, "label[for='field-reactions']")
    fill(browser, "#field-subjective", "Leg better since Tuesday.")
    fill(browser, "#field-plan", "Same again next week.")
    click_and_wait(browser, "form.note-form button[type='submit']")
    wait_for(browser, ".notice--success")
    assert_all_korean(browser, "therapist-client-what-helped")
    click_and_wait(browser, "a[href^='/notes/']")
    wait_for(browser, ".soap")
    assert_all_korean(browser, "therapist-note")
    age_notes(database, hours=25)
    browser.refresh()
    click_and_wait(browser, "a[href$='/edit']")
    wait_for(browser, "#field-reason")
    assert_all_korean(browser, "therapist-note-amend")
    fill(browser, "#field-plan", "Two weeks, then review.")
    click_and_wait(browser, "form.note-form button[type='submit']")
    assert "field-reason" in wait_for(browser, ".error-summary a").get_attribute("href")
    assert_all_korean(browser, "therapist-note-amend-error")
    fill(browser, "#field-reason", "Agreed a longer gap with the client by phone.")
    click_and_wait(browser, "form.note-form button[type='submit']")
    history = wait_for(browser, ".history").text
    assert "Agreed a longer gap" in history
    assert_all_korean(browser, "therapist-note-history")
    log_out(browser)

    # The client stops sharing: the ended share is listed.
    korean_log_in(browser, CLIENT, "/sharing")
    click_and_wait(browser, ".share-card button[type='submit']")
    wait_for(browser, "#ended-title")
    assert_all_korean(browser, "sharing-list-ended")
    log_out(browser)

    # The admin's list of therapists, before and after verifying Tess.
    korean_log_in(browser, ADMIN, "/admin/therapists")
    assert "LMT-4471" in wait_for(browser, "main").text
    assert_all_korean(browser, "admin-therapists")
    card = browser.find_element(By.XPATH, "//li[@class='card'][contains(., 'LMT-4471')]")
    button = card.find_element(By.CSS_SELECTOR, "button[type='submit']")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button
    )
    page = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, WAIT).until(page_replaced(page))
    wait_for(browser, ".notice--success")
    assert_all_korean(browser, "admin-therapists-verified")
