"""The therapist journey in chromium: a therapist signs up, a client shares by code, the
therapist opens the client and writes a note, amends it after 24 hours with a reason and sees
the history; the client sees who looked, revokes, and the therapist's next request is denied.
Screenshots at phone, tablet and desktop widths go to artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select, update
from tests.conftest import baseline
from tests.web.browser.conftest import (
    WAIT,
    add_therapist,
    click,
    click_and_wait,
    heading_reads,
    page_replaced,
    screenshot,
    wait_for,
)
from tests.web.browser.test_tracking_browser import fill

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import SessionNote, SessionNoteRevision, User, utcnow
from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.diary import DiaryInput
from sciatica_care.services import accounts, assessments, diary

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
TABLET = (820, 1180)
XSS = "<script>alert(1)</script>"


@pytest.fixture
def database(live_settings: Settings) -> Iterator[Database]:
    """The browser-test server's database, for setting the scene through the services."""
    db = Database(live_settings.resolved_database_url())
    yield db
    db.dispose()


def tablet_screenshot(driver: Any, name: str) -> None:
    """The whole page at a tablet's width, as artifacts/screenshots/NAME-tablet.png (when
    screenshots are asked for)."""
    screenshot(driver, name, sizes=(("tablet", TABLET),))


def log_in(driver: Any, email: str, then: str) -> None:
    driver.get(driver.base_url + "/login")
    fill(driver, "#field-email", email)
    fill(driver, "#field-password", PASSWORD)
    click_and_wait(driver, "form[action='/login'] button[type='submit']")
    driver.get(driver.base_url + then)


def log_out(driver: Any) -> None:
    click_and_wait(driver, "form[action='/logout'] button")
    wait_for(driver, "a[href='/login']")


def client_history(database: Database, settings: Settings, email: str) -> None:
    """The client's assessment (on blood thinners) and two weeks of check-ins."""
    with database.session() as db:
        actor = accounts.log_in(db, settings=settings, email=email, password=PASSWORD).actor
        answers = baseline(
            conditions=["anticoagulants"],
            leg_pain=6,
            back_pain=4,
            areas=["lower_back", "buttock", "thigh_back", "calf_back"],
        )
        assessments.run_assessment(db, actor=actor, assessment=parse_assessment(answers))
        now = datetime.now(UTC)
        for day in range(14, 0, -1):
            leg = 7 - day // 3 if day > 3 else 4
            entry = {"recorded_at": now - timedelta(days=day), "leg_pain": leg, "back_pain": 3}
            diary.record_entry(db, actor=actor, entry=DiaryInput.model_validate(entry))


def age_notes(database: Database, hours: int) -> None:
    """Move every note's writing and session time back, as if ``hours`` had passed."""
    earlier = timedelta(hours=hours)
    with database.session() as db:
        for note in db.scalars(select(SessionNote)):
            note.written_at -= earlier
            note.session_at -= earlier
        for revision in db.scalars(select(SessionNoteRevision)):
            revision.changed_at -= earlier
            session_at = datetime.fromisoformat(revision.fields["session_at"]) - earlier
            revision.fields = {**revision.fields, "session_at": session_at.isoformat()}
        db.commit()


def test_the_therapist_journey_from_sharing_to_revoking(
    browser: Any, database: Database, live_settings: Settings
) -> None:
    # A therapist signs up with a profile and sees the share code.
    browser.get(browser.base_url + "/therapist/signup")
    fill(browser, "#field-display_name", "Tess " + XSS)
    fill(browser, "#field-email", "tess.browser@example.org")
    fill(browser, "#field-password", PASSWORD)
    fill(browser, "#field-licence_number", "LMT-4471")
    fill(browser, "#field-years_experience", "12")
    fill(browser, "#field-years_treating_sciatica", "6")
    for technique in ("field-techniques", "field-techniques-myofascial_release"):
        click(browser, f"label[for='{technique}']")
    fill(browser, "#field-languages", "English, Polish")
    fill(browser, "#field-city", "Leeds")
    fill(browser, "#field-bio", "Gentle, careful work. " + XSS)
    screenshot(browser, "therapist-signup")
    click_and_wait(browser, "form[action='/therapist/signup'] button[type='submit']")
    WebDriverWait(browser, WAIT).until(heading_reads("Check your email"))
    log_in(browser, "tess.browser@example.org", "/therapist/clients")
    code = wait_for(browser, ".share-box .share-code").text
    assert browser.find_element(By.CSS_SELECTOR, ".badge--unverified").is_displayed()
    click_and_wait(browser, "form[action='/therapist/invitations'] button")
    assert "/share/invite/" in wait_for(browser, "#invite-link").get_attribute("value")
    screenshot(browser, "therapist-clients-empty")
    log_out(browser)

    # A client signs up, has a history, and shares by the code after seeing what is shared.
    browser.get(browser.base_url + "/signup")
    fill(browser, "#field-display_name", "Alice " + XSS)
    fill(browser, "#field-email", "alice.shares@example.org")
    fill(browser, "#field-password", PASSWORD)
    click_and_wait(browser, "form[action='/signup'] button[type='submit']")
    log_in(browser, "alice.shares@example.org", "/dashboard")
    wait_for(browser, "h1")
    client_history(database, live_settings, "alice.shares@example.org")
    browser.get(browser.base_url + "/share")
    fill(browser, "#field-code", code.lower())
    click_and_wait(browser, "form[action='/share/find'] button[type='submit']")
    heading = wait_for(browser, "h1")
    assert heading.text == f"Share with Tess {XSS}?", "names are text, never markup"
    assert not browser.find_elements(By.CSS_SELECTOR, "input[name='scopes']:checked")
    for scope in ("assessments", "diary", "notes"):
        click(browser, f"input[name='scopes'][value='{scope}'] + label")
    assert len(browser.find_elements(By.CSS_SELECTOR, "input[name='scopes']:checked")) == 3
    screenshot(browser, "sharing-confirm")
    click_and_wait(browser, "form[action='/share'] button[type='submit']")
    assert "Session notes" in wait_for(browser, ".share-card").text
    screenshot(browser, "sharing-who-can-see")
    log_out(browser)

    # The therapist sees the client with precautions first and writes a note.
    log_in(browser, "tess.browser@example.org", "/therapist/clients")
    card = wait_for(browser, ".client-card")
    assert "no deep tissue or trigger point work" in card.text
    screenshot(browser, "therapist-clients")
    click_and_wait(browser, ".client-card h3 a")
    safety = wait_for(browser, ".safety-first--page")
    assert "Techniques to avoid" in safety.text
    assert browser.find_elements(By.CSS_SELECTOR, ".chart svg")
    screenshot(browser, "therapist-client")
    click_and_wait(browser, "a.button[href$='/notes/new']")
    leg = wait_for(browser, "#field-leg_pain_before")
    assert leg.get_attribute("value") == "4", "pain before comes from the latest check-in"
    click(browser, "label[for='field-techniques']")
    click(browser, "label[for='field-pressure']")
    click(browser, "label[for='field-area']")
    click(browser, "label[for='area-buttock-right']")
    fill(browser, "#field-subjective", "Leg better since Tuesday. " + XSS)
    fill(browser, "#field-plan", "Same again next week.")
    after = browser.find_element(By.ID, "field-leg_pain_after")
    after.send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT)
    assert browser.find_element(By.ID, "field-leg_pain_after-value").text == "2"
    click(browser, "label[for='field-reactions']")
    tablet_screenshot(browser, "therapist-note-form")
    screenshot(browser, "therapist-note-form")
    click_and_wait(browser, "form.note-form button[type='submit']")
    wait_for(browser, ".notice--success")
    click_and_wait(browser, "a[href^='/notes/']")
    assert XSS in wait_for(browser, ".soap").text

    # A day later, a change is an amendment: it needs a reason, and the history keeps the text.
    age_notes(database, hours=25)
    browser.refresh()
    click_and_wait(browser, "a[href$='/edit']")
    WebDriverWait(browser, WAIT).until(heading_reads("Amend the session note", exact=False))
    fill(browser, "#field-plan", "Two weeks, then review.")
    click_and_wait(browser, "form.note-form button[type='submit']")
    assert "field-reason" in wait_for(browser, ".error-summary a").get_attribute("href")
    screenshot(browser, "therapist-note-amend-error")
    fill(browser, "#field-reason", "Agreed a longer gap with the client by phone.")
    click_and_wait(browser, "form.note-form button[type='submit']")
    history = wait_for(browser, ".history").text
    assert "amendment" in history and "Agreed a longer gap" in history
    assert "Same again next week." in history and "Two weeks, then review." in history
    screenshot(browser, "therapist-note-history")
    client_page = browser.current_url.split("/notes/")[0]
    client_url = browser.find_element(By.CSS_SELECTOR, ".breadcrumb a").get_attribute("href")
    assert client_page and client_url
    log_out(browser)

    # The client sees who looked, then revokes in one click.
    log_in(browser, "alice.shares@example.org", "/privacy/audit")
    assert "Tess" in wait_for(browser, ".audit-line--other").text
    screenshot(browser, "privacy-audit")
    browser.get(browser.base_url + "/privacy")
    screenshot(browser, "privacy-your-data")
    browser.get(browser.base_url + "/dashboard")
    assert "What helped" in wait_for(browser, "#helped-title").text
    screenshot(browser, "dashboard-what-helped")
    browser.get(browser.base_url + "/sharing")
    click_and_wait(browser, ".share-card button[type='submit']")
    assert "Nobody else can see your data" in wait_for(browser, "main").text
    screenshot(browser, "sharing-revoked")
    log_out(browser)

    # The therapist's next request to the client page is denied.
    log_in(browser, "tess.browser@example.org", "/therapist/clients")
    assert "Clients who share with you (0)" in wait_for(browser, "main").text
    browser.get(client_url)
    WebDriverWait(browser, WAIT).until(heading_reads("Page not found"))


def test_erasing_an_account_asks_twice_then_signs_out_calmly(browser: Any) -> None:
    browser.get(browser.base_url + "/signup")
    fill(browser, "#field-email", "erin.erase@example.org")
    fill(browser, "#field-password", PASSWORD)
    click_and_wait(browser, "form[action='/signup'] button[type='submit']")
    log_in(browser, "erin.erase@example.org", "/dashboard")
    wait_for(browser, "h1")
    browser.get(browser.base_url + "/privacy/erase")
    fill(browser, "#field-password", PASSWORD)
    fill(browser, "#field-confirm", "delete it")
    click_and_wait(browser, "form[action='/privacy/erase'] button[type='submit']")
    assert "field-confirm" in wait_for(browser, ".error-summary a").get_attribute("href")
    screenshot(browser, "privacy-erase-error")
    fill(browser, "#field-password", PASSWORD)
    fill(browser, "#field-confirm", "delete my account")
    click_and_wait(browser, "form[action='/privacy/erase'] button[type='submit']")
    WebDriverWait(browser, WAIT).until(heading_reads("Your account is deleted"))
    assert browser.find_element(By.CSS_SELECTOR, "a[href='/login']").is_displayed()
    screenshot(browser, "privacy-erased")


def test_an_admin_verifies_a_therapist_and_the_badge_changes(
    browser: Any, database: Database, live_settings: Settings
) -> None:
    with database.session() as db:
        accounts.create_user(db, email="ada.admin@example.org", password=PASSWORD, role="admin")
        db.commit()
        add_therapist(
            db,
            live_settings,
            email="vera.verify@example.org",
            password=PASSWORD,
            display_name="Vera",
            profile={
                "licence_number": "MT-0099",
                "years_experience": 20,
                "years_treating_sciatica": 8,
                "techniques": ["swedish", "hot_stone"],
                "languages": ["English"],
                "city": "York",
            },
        )
        # Only a therapist who confirmed their email address can be verified.
        db.execute(update(User).values(email_verified_at=utcnow()))
        db.commit()
    log_in(browser, "ada.admin@example.org", "/admin/therapists")
    assert "MT-0099" in wait_for(browser, "main").text
    screenshot(browser, "admin-therapists")
    card = browser.find_element(By.XPATH, "//li[@class='card'][contains(., 'MT-0099')]")
    button = card.find_element(By.CSS_SELECTOR, "button[type='submit']")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button
    )
    page = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, WAIT).until(page_replaced(page))
    assert "The profile is now verified" in wait_for(browser, ".notice--success").text
    assert browser.find_elements(By.CSS_SELECTOR, ".badge--verified")
    log_out(browser)
    log_in(browser, "vera.verify@example.org", "/therapist/profile")
    assert wait_for(browser, "h1 .badge").text == "Verified"
    screenshot(browser, "therapist-profile-verified")
