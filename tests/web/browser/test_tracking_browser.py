"""Save and track in chromium: sign up, check in, the chart; screenshots of every page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from tests.conftest import baseline
from tests.web.browser.conftest import (
    WAIT,
    click,
    click_and_wait,
    heading_reads,
    page_replaced,
    screenshot,
    wait_for,
)
from tests.web.consent import PROFILE

from sciatica_care.config import Settings
from sciatica_care.services.demo import load_demo

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"


def fill(driver: Any, css: str, text: str) -> None:
    field = driver.find_element(By.CSS_SELECTOR, css)
    field.clear()
    field.send_keys(text)


def answer_safety_check(driver: Any, *, yes: tuple[str, ...]) -> None:
    """Answer the safety check on screen: yes to ``yes``, no to every other question."""
    WebDriverWait(driver, WAIT).until(heading_reads("Safety check"))
    for radio in driver.find_elements(By.CSS_SELECTOR, "form.safety-check input[value='no']"):
        question = str(radio.get_attribute("name")).removeprefix("sc_")
        target = f"field-sc-{question}" if question in yes else f"field-sc-{question}-no"
        click(driver, f"label[for='{target}']")
    click_and_wait(driver, "form.safety-check button[type='submit']")


def sign_up(driver: Any, email: str) -> None:
    driver.get(driver.base_url + "/signup")
    fill(driver, "#field-email", email)
    fill(driver, "#field-password", PASSWORD)
    click_and_wait(driver, "form[action='/signup'] button[type='submit']")
    logs_in(driver, email)
    wait_for(driver, "a[href='/diary/new']")


def logs_in(driver: Any, email: str) -> None:
    """After sign-up's "check your email" page: log in as the new account."""
    WebDriverWait(driver, WAIT).until(heading_reads("Check your email"))
    driver.get(driver.base_url + "/login")
    fill(driver, "#field-email", email)
    fill(driver, "#field-password", PASSWORD)
    click_and_wait(driver, "form[action='/login'] button[type='submit']")


def test_the_check_in_refuses_unset_pain_levels_and_is_keyboard_usable(browser: Any) -> None:
    sign_up(browser, "unset.pain@example.org")
    browser.get(browser.base_url + "/diary/new")
    wait_for(browser, "label[for='field-leg_pain']")
    checked = "return [...document.querySelectorAll('input[name$=\"_pain\"]:checked')].length"
    assert browser.execute_script(checked) == 0, "no pain level starts chosen"
    click_and_wait(browser, "form.checkin button[type='submit']")
    summary = wait_for(browser, ".error-summary")
    assert "Leg pain: choose a number from 0 to 10" in summary.text
    assert "Back pain: choose a number from 0 to 10" in summary.text
    screenshot(browser, "check-in-unset")
    # Keyboard only: the error link moves to the leg-pain group; arrow keys choose in it.
    click(browser, ".error-summary a[href='#field-leg_pain']")
    browser.execute_script("document.getElementById('field-leg_pain').focus()")
    ActionChains(browser).send_keys(Keys.SPACE, *[Keys.ARROW_RIGHT] * 4).perform()
    leg = "return document.querySelector('input[name=\"leg_pain\"]:checked').value"
    assert browser.execute_script(leg) == "4"
    ActionChains(browser).send_keys(Keys.TAB, Keys.SPACE, Keys.ARROW_RIGHT).perform()
    back = "return document.querySelector('input[name=\"back_pain\"]:checked').value"
    assert browser.execute_script(back) == "1"
    click_and_wait(browser, "form.checkin button[type='submit']")
    answer_safety_check(browser, yes=())
    assert "Leg 4/10" in wait_for(browser, ".entry").text


def test_the_safety_check_in_the_diary_shows_the_emergency_message_first(browser: Any) -> None:
    sign_up(browser, "recheck@example.org")
    browser.get(browser.base_url + "/diary/new")
    click(browser, "label[for='field-leg_pain-7']")
    click(browser, "label[for='field-back_pain-2']")
    click_and_wait(browser, "form.checkin button[type='submit']")
    wait_for(browser, "form.safety-check")
    screenshot(browser, "safety-check")
    answer_safety_check(browser, yes=("bladder_dysfunction",))
    banner = wait_for(browser, ".triage--emergency")
    first = browser.execute_script(
        "return document.querySelector('main').firstElementChild.className"
    )
    assert "triage--emergency" in first, "the emergency message is the first thing"
    assert banner.find_element(By.TAG_NAME, "h1").is_displayed()
    assert "saved" in browser.find_element(By.ID, "saved-title").text
    screenshot(browser, "safety-check-emergency")


def test_sign_up_check_in_and_see_the_chart(browser: Any) -> None:
    browser.get(browser.base_url + "/")
    screenshot(browser, "home")
    browser.get(browser.base_url + "/signup")
    screenshot(browser, "signup")
    fill(browser, "#field-display_name", "Alice <b>")
    fill(browser, "#field-email", "alice.browser@example.org")
    fill(browser, "#field-password", PASSWORD)
    click_and_wait(browser, "form[action='/signup'] button[type='submit']")
    screenshot(browser, "signup-check-your-email")
    logs_in(browser, "alice.browser@example.org")
    wait_for(browser, "a[href='/diary/new']")
    # The name is shown as text, not markup.
    WebDriverWait(browser, WAIT).until(heading_reads("Hello, Alice <b>"))
    screenshot(browser, "dashboard-empty")

    click_and_wait(browser, "a[href='/diary/new']")
    wait_for(browser, "label[for='field-leg_pain-6']")
    click(browser, "label[for='field-leg_pain-6']")
    click(browser, "label[for='field-back_pain-3']")
    click(browser, "label[for='field-stretches']")
    click(browser, "label[for='field-heat']")
    fill(browser, "#field-note", "<script>alert(1)</script> after a walk")
    screenshot(browser, "check-in")
    click_and_wait(browser, "form.checkin button[type='submit']")
    # No assessment yet: the first check-in asks the safety questions (weekly re-check).
    answer_safety_check(browser, yes=())
    wait_for(browser, ".notice--success")
    recent = browser.find_element(By.CSS_SELECTOR, ".entry").text
    assert "Leg 6/10" in recent and "<script>alert(1)</script> after a walk" in recent
    assert browser.find_element(By.CSS_SELECTOR, ".chart svg").is_displayed()
    screenshot(browser, "dashboard-first-check-in")

    click_and_wait(browser, "a[href='/diary']")
    wait_for(browser, ".entry")
    screenshot(browser, "diary")
    browser.get(browser.base_url + "/sbi")
    screenshot(browser, "sbi")
    browser.get(browser.base_url + "/assessments")
    screenshot(browser, "history-empty")
    click_and_wait(browser, "form[action='/logout'] button")
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
    click_and_wait(browser, "form[action='/login'] button[type='submit']")
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
    click_and_wait(browser, "tbody a[href^='/assessments/']")
    wait_for(browser, ".triage")
    screenshot(browser, "stored-result")


def api_account(base_url: str, email: str, *, therapist: bool = False) -> httpx.Client:
    """An account made over the API on the live server, signed in (CSRF header set)."""
    http = httpx.Client(base_url=base_url + "/api/v1")
    csrf = http.get("/auth/csrf").json()["csrf_token"]
    http.headers["x-csrftoken"] = csrf
    body: dict[str, Any] = {"email": email, "password": PASSWORD}
    if therapist:
        body |= {"display_name": "Tess", "profile": PROFILE}
    made = http.post("/auth/signup/therapist" if therapist else "/auth/signup", json=body)
    assert made.status_code == 202, made.text
    signed_in = http.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    http.headers["x-csrftoken"] = signed_in.json()["csrf_token"]
    return http


def test_not_settling_shows_on_the_dashboard_and_marks_the_therapists_list(
    browser: Any,
) -> None:
    client = api_account(browser.base_url, "not.settling@example.org")
    therapist = api_account(browser.base_url, "tess.marks@example.org", therapist=True)
    assert client.post("/assessments", json=baseline(leg_pain=3)).status_code == 200
    for days in range(6, 0, -1):
        at = (datetime.now(UTC) - timedelta(days=days)).isoformat()
        entry = client.post("/diary", json={"leg_pain": 6, "back_pain": 2, "recorded_at": at})
        assert entry.status_code == 201, entry.text
    code = therapist.get("/therapist/share-code").json()["share_code"]
    shared = client.post("/sharing", json={"code": code, "scopes": ["assessments", "diary"]})
    assert shared.status_code == 201, shared.text

    browser.get(browser.base_url + "/login")
    fill(browser, "#field-email", "not.settling@example.org")
    fill(browser, "#field-password", PASSWORD)
    click_and_wait(browser, "form[action='/login'] button[type='submit']")
    box = wait_for(browser, ".follow-up")
    assert "This is not settling: see your GP or physiotherapist." in box.text
    assert box.find_element(By.CSS_SELECTOR, "a[href^='/assessment']").is_displayed()
    screenshot(browser, "dashboard-not-settling")
    click_and_wait(browser, "form[action='/logout'] button")

    wait_for(browser, "a[href='/login']")
    browser.get(browser.base_url + "/login")
    fill(browser, "#field-email", "tess.marks@example.org")
    fill(browser, "#field-password", PASSWORD)
    click_and_wait(browser, "form[action='/login'] button[type='submit']")
    assert wait_for(browser, ".client-card .mark--warn").text == "Not settling"
    screenshot(browser, "therapist-clients-not-settling")


def on_a_phone(driver: Any) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )


def test_the_quick_log_takes_three_taps_on_a_phone(browser: Any) -> None:
    email = "quick.log@example.org"
    http = api_account(browser.base_url, email)
    assert http.post("/assessments", json=baseline()).status_code == 200  # this week's safety check
    on_a_phone(browser)
    browser.get(browser.base_url + "/login")
    fill(browser, "#field-email", email)
    fill(browser, "#field-password", PASSWORD)
    click_and_wait(browser, "form[action='/login'] button[type='submit']")
    button = wait_for(browser, "form[action='/diary/quick'] button[type='submit']")
    bottom = browser.execute_script("return arguments[0].getBoundingClientRect().bottom;", button)
    assert bottom <= 844, "the quick log is on the first screen"
    screenshot(browser, "dashboard-quick-log")
    on_a_phone(browser)
    # Three taps: leg pain, back pain, Log pain.
    browser.find_element(By.CSS_SELECTOR, "label[for='field-leg_pain-5']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for='field-back_pain-2']").click()
    page = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, WAIT).until(page_replaced(page))
    assert "Saved" in wait_for(browser, ".notice--success").text
    assert "Leg 5/10 · Back 2/10" in browser.find_element(By.CSS_SELECTOR, ".entry").text
    [entry] = http.get("/diary").json()
    assert (entry["leg_pain"], entry["back_pain"]) == (5, 2)


def test_the_chart_reads_on_a_phone_and_a_point_shows_its_values_on_focus(
    browser: Any, live_settings: Settings
) -> None:
    accounts = load_demo(live_settings.resolved_database_url())
    _, email, password = next(a for a in accounts if a[0] == "client")
    on_a_phone(browser)
    browser.get(browser.base_url + "/login")
    fill(browser, "#field-email", email)
    fill(browser, "#field-password", password)
    click_and_wait(browser, "form[action='/login'] button[type='submit']")
    for page in ("/dashboard", "/trend?range=90", "/trend?range=all"):
        browser.get(browser.base_url + page)
        wait_for(browser, ".chart svg")
        # The size a label is drawn at: its font size times the SVG's scale on screen.
        sizes = browser.execute_script(
            """
            const svg = document.querySelector('.chart svg');
            const scale = svg.getScreenCTM().a;
            return [...svg.querySelectorAll('.chart-axis text')].map(
              t => parseFloat(getComputedStyle(t).fontSize) * scale);
            """
        )
        assert sizes and min(sizes) >= 12, (page, sizes)
    browser.get(browser.base_url + "/trend?range=30")
    points = browser.find_elements(By.CSS_SELECTOR, ".chart-point")
    assert points, "a point per day"
    point = points[len(points) // 2]
    tip = point.find_element(By.CSS_SELECTOR, ".chart-tip")
    assert not tip.is_displayed(), "the values show on focus, not before"
    browser.execute_script("arguments[0].focus();", point)
    WebDriverWait(browser, WAIT).until(lambda _d: tip.is_displayed())
    label = str(point.get_attribute("aria-label"))
    assert label.startswith(tip.text.split(": ")[0]) and "leg pain" in label
    screenshot(browser, "trend-30-days-point-focused")
    # The first point takes the focus by keyboard too.
    first = points[0]
    browser.execute_script("arguments[0].focus();", points[1])
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return document.activeElement === arguments[0];", first)
    )
    assert first.find_element(By.CSS_SELECTOR, ".chart-tip").is_displayed()
