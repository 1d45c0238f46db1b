"""The whole booking journey in chromium, as two people, on SQLite and PostgreSQL: a new client
finds a therapist in the directory, filters, opens the profile and asks for a free time; shares
their record from the consent screen the booking offers; the therapist confirms; the reminder
job (run with a fixed ``now`` inside the reminder window) sends one email to a real local SMTP
server; the client moves the session and sees the new time in their own zone; then cancels
inside the cancellation window after reading the policy, and the therapist records a late
cancellation, which the client's page shows. Screenshots of each step go to /tmp/e2e-shots/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select, update
from tests.integration.databases import truncate_postgres
from tests.web.browser.conftest import (
    SCREENSHOTS,
    WAIT,
    booking_scene,
    fresh_browser,
    heading_reads,
    screenshot,
    serving,
)
from tests.web.browser.test_booking_browser import (
    cancel_after_the_policy,
    pick_the_third_time,
    status_reads,
)
from tests.web.browser.test_therapist_browser import PASSWORD, click_and_wait, log_in, log_out
from tests.web.browser.test_tracking_browser import fill
from tests.web.browser.test_wizard_browser import click, wait_for
from tests.web.consent import PROFILE
from tests.web.mailbox import SmtpInbox, body, subject
from tests.web.test_booking_mail import HEALTH_WORDS

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import Booking
from sciatica_care.notifications.outbox import deliver_pending
from sciatica_care.services.reminders import send_due_reminders

pytestmark = pytest.mark.browser

CLIENT = "cara.journey@example.org"
THERAPIST = "theo.journey@example.org"
#: Only this therapist speaks it, so the filter finds exactly them.
LANGUAGE = "Icelandic"
SHOTS = SCREENSHOTS / "booking-journey"


@pytest.fixture(scope="module")
def postgres_server(live_settings: Settings, migrated_postgres: str | None) -> Iterator[str]:
    """A second browser-test server, on the PostgreSQL test database (skips without it)."""
    if migrated_postgres is None:
        pytest.skip("SCIATICA_CARE_TEST_POSTGRES_URL is not set")
    truncate_postgres(migrated_postgres)
    settings = live_settings.model_copy(update={"database_url": migrated_postgres})
    with serving(settings) as url:
        yield url


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def server(request: pytest.FixtureRequest, live_settings: Settings) -> tuple[str, Settings]:
    """The base URL and settings of the server on each database."""
    if request.param == "sqlite":
        return request.getfixturevalue("live_server"), live_settings
    url: str = request.getfixturevalue("postgres_server")
    database_url: str = request.getfixturevalue("migrated_postgres")
    return url, live_settings.model_copy(update={"database_url": database_url})


@pytest.fixture
def journey_browser(chromium: Any, server: tuple[str, Settings]) -> Iterator[Any]:
    yield from fresh_browser(chromium, server[0])


@pytest.fixture
def database(server: tuple[str, Settings]) -> Iterator[Database]:
    db = Database(server[1].resolved_database_url())
    yield db
    db.dispose()


def when(driver: Any) -> str:
    """The booking's time as its page shows it to the viewer."""
    return str(driver.find_element(By.ID, "when-title").text)


def path_of(driver: Any) -> str:
    return str(driver.current_url.split("?")[0].removeprefix(driver.base_url))


def find_and_request(driver: Any, shots: str) -> str:
    """Steps 1 and 2: directory, filter, profile, Book link, ask for the time, share the
    record from the consent screen. Returns the booking page's path."""
    driver.get(driver.base_url + "/therapists")
    WebDriverWait(driver, WAIT).until(heading_reads("Find a therapist"))
    click(driver, ".directory-filters summary")
    fill(driver, "#field-language", LANGUAGE)
    click_and_wait(driver, ".directory-filters button[type='submit']")
    WebDriverWait(driver, WAIT).until(heading_reads("Find a therapist"))
    assert wait_for(driver, "#results").text == "1 therapist"
    screenshot(driver, f"{shots}-1-directory-filtered", SHOTS)
    click_and_wait(driver, ".therapist-card h3 a")
    WebDriverWait(driver, WAIT).until(heading_reads("Theo"))
    slot = wait_for(driver, "a.slot")
    assert "(Europe/London)" in slot.text  # the viewer's zone, named
    screenshot(driver, f"{shots}-1-profile", SHOTS)
    # The second time, not the first: the first lies on the 2-hour notice limit, so it can
    # stop being bookable when the clock passes a half hour between these two pages.
    driver.get(driver.find_elements(By.CSS_SELECTOR, "a.slot")[1].get_attribute("href"))
    WebDriverWait(driver, WAIT).until(heading_reads("Book a session with Theo"))
    chosen = wait_for(driver, "input[name='starts_at']:checked")  # the profile's slot
    assert "Cancellation policy" in driver.find_element(By.TAG_NAME, "main").text
    screenshot(driver, f"{shots}-2-book", SHOTS)
    click(driver, f"#{chosen.get_attribute('id')}")
    click_and_wait(driver, "form[method='post'] button[type='submit'].button--large")
    WebDriverWait(driver, WAIT).until(heading_reads("Massage session with Theo"))
    WebDriverWait(driver, WAIT).until(status_reads("Requested"))
    booking = path_of(driver)
    screenshot(driver, f"{shots}-2-requested", SHOTS)
    # A new client has shared nothing: the booking offers the consent screen.
    click_and_wait(driver, f"a[href='{booking}/share']")
    WebDriverWait(driver, WAIT).until(heading_reads("Share with Theo?"))
    screenshot(driver, f"{shots}-2-consent", SHOTS)
    click(driver, "#field-scopes")
    click_and_wait(driver, "form[method='post'] button.button--large")
    WebDriverWait(driver, WAIT).until(heading_reads("Massage session with Theo"))
    assert "You now share your record with Theo." in wait_for(driver, ".notice--success").text
    assert not driver.find_elements(By.ID, "share-title")
    return booking


def remind(database: Database, settings: Settings, booking_path: str) -> list[Any]:
    """Step 4: the reminder job with a fixed ``now`` an hour before the session (inside the
    client's 24-hour window), its mail sent to a real local SMTP server; what arrived."""
    booking_id = booking_path.rsplit("/", 1)[1]
    with database.session() as db:
        # Mail queued so far (sign-up, the booking's own emails) goes to the dev folder first,
        # so the inbox below receives only what the reminder job queues.
        deliver_pending(db, settings=settings)
        starts_at = db.scalars(select(Booking.starts_at).where(Booking.id == booking_id)).one()
        # The browser tests share one database: bookings other tests left confirmed near this
        # time are not this test's business, so the job below is to remind of this one only.
        db.execute(
            update(Booking)
            .where(Booking.id != booking_id, Booking.reminder_sent_at.is_(None))
            .values(reminder_sent_at=starts_at)
        )
        db.commit()
    now = starts_at - timedelta(hours=1)
    with SmtpInbox() as inbox:
        with database.session() as db:
            assert send_due_reminders(db, now=now) == 1
            assert send_due_reminders(db, now=now + timedelta(minutes=1)) == 0  # sent once
            deliver_pending(db, settings=inbox.settings(settings))
        inbox.wait_for(CLIENT)
        return list(inbox.received)


def test_find_book_confirm_remind_reschedule_cancel_late(
    journey_browser: Any,
    database: Database,
    server: tuple[str, Settings],
    request: pytest.FixtureRequest,
) -> None:
    driver = journey_browser
    settings = server[1]
    shots = request.node.callspec.id
    booking_scene(
        database, settings, client=CLIENT, therapist=THERAPIST, password=PASSWORD,
        profile={**PROFILE, "languages": ["English", LANGUAGE]},
    )  # fmt: skip
    log_in(driver, CLIENT, "/dashboard")
    booking = find_and_request(driver, shots)
    log_out(driver)

    # 3. The therapist confirms it; the time is in their zone.
    log_in(driver, THERAPIST, booking)
    WebDriverWait(driver, WAIT).until(heading_reads("Massage session with Cara"))
    assert "(America/New_York)" in when(driver)
    click_and_wait(driver, "form[action$='/confirm'] button")
    WebDriverWait(driver, WAIT).until(status_reads("Confirmed"))
    screenshot(driver, f"{shots}-3-confirmed-therapist", SHOTS)
    log_out(driver)

    # 4. The reminder arrives once, to the client, naming the therapist and the time.
    log_in(driver, CLIENT, booking)
    WebDriverWait(driver, WAIT).until(status_reads("Confirmed"))
    shown = when(driver)
    arrived = remind(database, settings, booking)
    assert [m["To"] for m in arrived] == [CLIENT]
    reminder = arrived[0]
    # The email writes "Sun 6 Dec at 11:30 (Europe/London)" where the page has "Sun 6 Dec, 11:30".
    in_words = shown.replace(", ", " at ", 1)
    assert subject(reminder) == f"Reminder: massage appointment with Theo on {in_words}"
    words = (subject(reminder) + "\n" + body(reminder)).lower()
    assert not [w for w in HEALTH_WORDS if w in words], words

    # 5. The client moves it; the page shows the new time in their zone.
    driver.refresh()
    WebDriverWait(driver, WAIT).until(status_reads("Confirmed"))
    click_and_wait(driver, "a[href$='?change=reschedule']")
    WebDriverWait(driver, WAIT).until(heading_reads("Massage session with Theo"))
    pick_the_third_time(driver)
    screenshot(driver, f"{shots}-5-reschedule", SHOTS)
    click_and_wait(driver, "form[action$='/reschedule'] button[type='submit']")
    WebDriverWait(driver, WAIT).until(status_reads("Confirmed"))
    assert "Moved to the new time." in wait_for(driver, ".notice--success").text
    assert when(driver) != shown
    assert when(driver).endswith("(Europe/London)")
    screenshot(driver, f"{shots}-5-moved", SHOTS)

    # 6. Inside the window: the policy first; not cancelled until the client confirms it.
    assert "may be charged" in driver.find_element(By.CSS_SELECTOR, ".caution").text
    screenshot(driver, f"{shots}-6-policy", SHOTS)
    cancel_after_the_policy(driver)
    screenshot(driver, f"{shots}-6-cancelled-client", SHOTS)
    log_out(driver)

    log_in(driver, THERAPIST, booking)
    WebDriverWait(driver, WAIT).until(status_reads("(cancelled late)"))
    click_and_wait(driver, "button[name='status'][value='late_cancelled']")
    WebDriverWait(driver, WAIT).until(status_reads("Late cancellation"))
    screenshot(driver, f"{shots}-6-late-therapist", SHOTS)
    log_out(driver)

    log_in(driver, CLIENT, booking)
    WebDriverWait(driver, WAIT).until(status_reads("Late cancellation"))
    assert not driver.find_elements(By.CSS_SELECTOR, "form[action$='/cancel']")
    screenshot(driver, f"{shots}-6-late-client", SHOTS)
