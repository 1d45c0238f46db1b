"""The booking side read in Korean, in chromium at phone width: the directory (filtered by a
language typed in Korean, and in the order of a plan with its reasons), a therapist's public
page, the book page and its slot picker, the booking page as requested, another time proposed
and accepted, confirmed, moved and cancelled inside the window, My sessions, the calendar page,
regular sessions (plan with a taken date, then the series) and the waitlist (join, place,
offer, taken). On each page no English is left in the main content (names, zones and what
people wrote are marked translate="no"); a phone-width screenshot of each goes to
artifacts/screenshots/ko/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.booking_setup import days_ahead
from tests.web.browser.conftest import (
    WAIT,
    booking_scene,
    click,
    click_and_wait,
    heading_reads,
    wait_for,
)
from tests.web.browser.korean import assert_all_korean, read_in_korean
from tests.web.browser.test_booking_browser import pick_the_third_time
from tests.web.browser.test_series_browser import _scene
from tests.web.browser.test_therapist_browser import PASSWORD, log_in, log_out
from tests.web.browser.test_tracking_browser import fill
from tests.web.consent import PROFILE

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import utcnow
from sciatica_care.i18n import gettext
from sciatica_care.services import waitlist

pytestmark = pytest.mark.browser

#: Spoken only by this test's therapist, so the filter finds exactly them ("페로어" in Korean).
LANGUAGE = "Faroese"


def ko(message: str) -> str:
    """``message`` as the Korean catalog says it (for words other pages share, such as the
    menu's)."""
    return gettext("ko", message)


@pytest.fixture
def database(live_settings: Settings) -> Iterator[Database]:
    db = Database(live_settings.resolved_database_url())
    yield db
    db.dispose()


def sign_in_korean(driver: Any, email: str, then: str) -> None:
    """Sign in as ``email`` and open ``then``, reading the site in Korean."""
    log_in(driver, email, "/")
    read_in_korean(driver)
    driver.get(driver.base_url + then)


def sign_out(driver: Any) -> None:
    """Sign out from the menu as it shows at desktop width (at phone width it is folded)."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    log_out(driver)


def status_is(text: str) -> Any:
    def reads(driver: Any) -> bool:
        found = driver.find_elements(By.CSS_SELECTOR, "#booking-status")
        return bool(found) and text in str(found[0].text)

    return reads


def test_directory_profile_booking_sessions_and_calendar_in_korean(
    browser: Any, database: Database, live_settings: Settings
) -> None:
    tag = uuid.uuid4().hex[:8]
    client, therapist = f"cara.ko.{tag}@example.org", f"theo.ko.{tag}@example.org"
    therapist_id = booking_scene(
        database, live_settings, client=client, therapist=therapist, password=PASSWORD,
        profile={**PROFILE, "languages": ["English", LANGUAGE]},
    )  # fmt: skip

    # The directory, read by someone not signed in.
    read_in_korean(browser)
    browser.get(browser.base_url + "/therapists")
    WebDriverWait(browser, WAIT).until(heading_reads(ko("Find a therapist")))
    assert_all_korean(browser, "booking-directory")
    click(browser, ".directory-filters summary")
    fill(browser, "#field-language", "페로어")
    click_and_wait(browser, ".directory-filters button[type='submit']")
    assert wait_for(browser, "#results").text == "치료사 1명"
    card = wait_for(browser, ".therapist-card")
    assert "영어, 페로어" in card.find_element(By.CSS_SELECTOR, ".languages").text
    assert_all_korean(browser, "booking-directory-language")
    plan = "plan_technique=myofascial_release&plan_training=pregnancy&plan_language=Faroese"
    browser.get(f"{browser.base_url}/therapists?technique=myofascial_release&{plan}")
    WebDriverWait(browser, WAIT).until(heading_reads(ko("Find a therapist")))
    assert "내 계획에 맞는 순서" in wait_for(browser, ".notice").text
    wait_for(browser, ".why-ranked")
    # This test's therapist's card (other tests' therapists share the database and may rank
    # above: one with the plan's training outranks one who speaks the language).
    ours = browser.find_element(
        By.XPATH,
        f"//*[contains(@class, 'therapist-card')][.//a[contains(@href, '{therapist_id}')]]",
    )
    assert "페로어 사용" in ours.find_element(By.CSS_SELECTOR, ".why-ranked").text
    assert_all_korean(browser, "booking-directory-plan")

    # A therapist's public page, in the therapist's zone for someone not signed in.
    browser.get(f"{browser.base_url}/therapists/{therapist_id}")
    WebDriverWait(browser, WAIT).until(heading_reads("Theo"))
    assert "(America/New_York)" in wait_for(browser, "a.slot").text
    assert_all_korean(browser, "booking-therapist-page")

    # The client books: the book page with its slot picker, then the booking as requested.
    sign_in_korean(browser, client, f"/therapists/{therapist_id}/book")
    WebDriverWait(browser, WAIT).until(heading_reads("Theo 치료사와 세션 예약"))
    wait_for(browser, "input[name='starts_at']")
    assert "시간대(Europe/London)" in browser.find_element(By.ID, "field-starts_at-hint").text
    assert_all_korean(browser, "booking-book")
    click(browser, "input[name='starts_at']")
    click_and_wait(browser, "form[method='post'] button[type='submit'].button--large")
    WebDriverWait(browser, WAIT).until(heading_reads("Theo 님과의 마사지 세션"))
    WebDriverWait(browser, WAIT).until(status_is("요청됨"))
    booking = browser.current_url.split("?")[0].removeprefix(browser.base_url)
    assert_all_korean(browser, "booking-requested")
    browser.get(browser.base_url + "/sessions")
    WebDriverWait(browser, WAIT).until(heading_reads(ko("My sessions")))
    assert_all_korean(browser, "booking-my-sessions")
    browser.get(browser.base_url + "/calendar")
    WebDriverWait(browser, WAIT).until(heading_reads("내 캘린더에 세션 넣기"))
    assert_all_korean(browser, "booking-calendar")
    click_and_wait(browser, "main form[action='/calendar'] button")
    wait_for(browser, "#feed-url")
    assert_all_korean(browser, "booking-calendar-address")
    sign_out(browser)

    # The therapist proposes another time; the client accepts it.
    sign_in_korean(browser, therapist, booking)
    WebDriverWait(browser, WAIT).until(heading_reads("Cara 님과의 마사지 세션"))
    click_and_wait(browser, "a[href$='?change=propose']")
    pick_the_third_time(browser)
    assert_all_korean(browser, "booking-propose")
    click_and_wait(browser, "form[action$='/propose'] button[type='submit']")
    WebDriverWait(browser, WAIT).until(status_is("다른 시간 제안됨"))
    assert_all_korean(browser, "booking-proposed-therapist")
    sign_out(browser)
    sign_in_korean(browser, client, booking)
    WebDriverWait(browser, WAIT).until(status_is("다른 시간 제안됨"))
    assert_all_korean(browser, "booking-proposed-client")
    click_and_wait(browser, "form[action$='/accept'] button")
    WebDriverWait(browser, WAIT).until(status_is("확정됨"))
    assert_all_korean(browser, "booking-accepted")
    sign_out(browser)

    # The therapist opens the picker to move it.
    sign_in_korean(browser, therapist, booking)
    WebDriverWait(browser, WAIT).until(status_is("확정됨"))
    assert_all_korean(browser, "booking-confirmed")
    click_and_wait(browser, "a[href$='?change=reschedule']")
    pick_the_third_time(browser)
    assert_all_korean(browser, "booking-reschedule")
    click_and_wait(browser, "form[action$='/reschedule'] button[type='submit']")
    assert "새 시간으로 변경되었습니다." in wait_for(browser, ".notice--success").text
    assert_all_korean(browser, "booking-moved")
    sign_out(browser)

    # The client cancels inside the window, after reading the policy.
    sign_in_korean(browser, client, booking)
    WebDriverWait(browser, WAIT).until(status_is("확정됨"))
    assert "요금이 청구될 수 있으며" in browser.find_element(By.CSS_SELECTOR, ".caution").text
    assert_all_korean(browser, "booking-policy")
    click(browser, "#field-confirm_late")
    click_and_wait(browser, "form[action$='/cancel'] button[type='submit']")
    WebDriverWait(browser, WAIT).until(status_is("취소됨 (늦은 취소)"))
    assert_all_korean(browser, "booking-cancelled")


def test_regular_sessions_and_the_waitlist_in_korean(browser: Any, database: Database) -> None:
    diary = _scene(database)
    alex, (alice, bob) = diary.therapist, diary.clients
    first = diary.book(alice, days_ahead(3, hour=11), now=utcnow())
    diary.book(bob, days_ahead(3 + 14, hour=11), now=utcnow())  # the third weekly date

    # Regular sessions: the plan with the taken date, then the series made without it.
    sign_in_korean(browser, alice.email, f"/bookings/{first}/series")
    WebDriverWait(browser, WAIT).until(heading_reads("정기 세션 예약"))
    conflict = wait_for(browser, ".series-item--conflict")
    assert "이미 예약됨" in conflict.text
    assert_all_korean(browser, "booking-series-plan")
    click_and_wait(browser, "button[value='create']")
    WebDriverWait(browser, WAIT).until(heading_reads("내 정기 세션"))
    items = browser.find_elements(By.CSS_SELECTOR, ".series-list .series-item")
    assert items[-1].text.startswith("5회 중 5회차")
    assert_all_korean(browser, "booking-series")
    sign_out(browser)

    # The waitlist: join, the place held, the offer when a time frees up, then taken.
    sign_in_korean(browser, bob.email, f"/therapists/{alex.user_id}/waitlist")
    WebDriverWait(browser, WAIT).until(heading_reads("Alex 치료사 대기 명단"))
    assert_all_korean(browser, "booking-waitlist-join")
    click_and_wait(browser, "form[action$='/waitlist'] button[type='submit']")
    wait_for(browser, ".notice--success")
    assert_all_korean(browser, "booking-waitlist-place")
    taken = diary.book(alice, days_ahead(1, hour=11), now=utcnow())
    diary.cancel(taken, now=utcnow())
    with database.session() as db:
        entry = waitlist.mine_with(db, actor=bob, therapist_id=alex.user_id)
    assert entry is not None
    browser.get(f"{browser.base_url}/waitlist/{entry.id}")
    WebDriverWait(browser, WAIT).until(heading_reads("더 이른 시간이 났습니다"))
    assert_all_korean(browser, "booking-waitlist-offer")
    click_and_wait(browser, f"form[action='/waitlist/{entry.id}/accept'] button")
    WebDriverWait(browser, WAIT).until(heading_reads("예약되었습니다"))
    assert_all_korean(browser, "booking-waitlist-taken")
