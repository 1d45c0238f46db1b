"""The assessment wizard in chromium: by mouse, by keyboard only, the emergency path, and
leaving midway and coming back with the answers kept."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import screenshot

from sciatica_care.domain.vocabulary import RED_FLAGS

pytestmark = pytest.mark.browser


SCROLL = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});"


def wait_for(driver: Any, css: str) -> Any:
    return WebDriverWait(driver, 10).until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def visible_step(driver: Any) -> int:
    steps = driver.find_elements(By.CSS_SELECTOR, ".wizard-step")
    shown = [int(s.get_attribute("data-step")) for s in steps if s.is_displayed()]
    assert len(shown) == 1, f"one step at a time, saw {shown}"
    return shown[0]


def click(driver: Any, css: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def set_slider_by_mouse(driver: Any, css: str, value: int) -> None:
    slider = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", slider
    )
    width = slider.size["width"]
    thumb = 16  # the track is inset by about half a thumb on each side
    x = round(-width / 2 + thumb / 2 + (width - thumb) * value / 10)
    ActionChains(driver).move_to_element_with_offset(slider, x, 0).click().perform()


def test_the_wizard_by_mouse_shows_one_step_at_a_time_and_gives_a_plan(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    assert visible_step(browser) == 1
    screenshot(browser, "wizard-step1")
    set_slider_by_mouse(browser, "#field-back_pain", 3)
    set_slider_by_mouse(browser, "#field-leg_pain", 6)
    assert browser.find_element(By.ID, "field-leg_pain-value").text == "6"
    click(browser, "label[for='field-side']")  # Left leg
    click(browser, "#wizard-next")
    assert visible_step(browser) == 2
    click(browser, ".zone[data-value='calf_back:left']")
    click(browser, ".zone[data-value='buttock:left']")
    zone = browser.find_element(By.CSS_SELECTOR, ".zone[data-value='calf_back:left']")
    assert zone.get_attribute("aria-pressed") == "true"
    assert "Left back of the calf" in browser.find_element(By.ID, "marked-list").text
    screenshot(browser, "wizard-step2-body-map")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 3
    click(browser, "label[for='field-symptoms-tingling']")
    browser.find_element(By.ID, "field-duration_weeks").send_keys("6")
    click(browser, "label[for='field-seen_clinician']")  # Yes
    click(browser, "label[for='field-first_episode-no']")
    click(browser, "label[for='field-aggravated_by']")  # Sitting
    screenshot(browser, "wizard-step3")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 4
    for flag in RED_FLAGS:
        click(browser, f"label[for='field-rf-{flag}-no']")
    screenshot(browser, "wizard-step4-safety")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 5
    browser.find_element(By.ID, "field-age").send_keys("44")
    click(browser, "label[for='field-pregnant-no']")
    screenshot(browser, "wizard-step5")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 6
    click(browser, "label[for='field-prior-swedish-helped']")
    screenshot(browser, "wizard-step6")
    click(browser, "#wizard-submit")
    banner = wait_for(browser, ".triage")
    assert "triage--self_care" in banner.get_attribute("class")
    assert browser.find_element(By.ID, "techniques").is_displayed()
    assert (
        "Left back of the calf"
        in browser.find_element(By.ID, "targets").find_element(By.XPATH, "..").text
    )
    screenshot(browser, "result-self-care")
    click(browser, "form[action='/assessment/brief'] button")
    wait_for(browser, ".brief")
    screenshot(browser, "therapist-brief")


def test_a_red_flag_stops_everything_but_the_emergency_banner(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    click(browser, "label[for='field-side-both']")
    for _ in range(3):
        click(browser, "#wizard-next")
    browser.find_element(By.ID, "field-duration_weeks").send_keys("1")  # step 3 needs it
    click(browser, "#wizard-next")
    assert visible_step(browser) == 4
    for flag in RED_FLAGS:
        choice = "yes" if flag == "bladder_dysfunction" else "no"
        click(browser, f"label[for='field-rf-{flag}{'' if choice == 'yes' else '-no'}']")
    click(browser, "#wizard-next")
    browser.find_element(By.ID, "field-age").send_keys("52")
    click(browser, "#wizard-next")
    click(browser, "#wizard-submit")
    banner = wait_for(browser, ".triage")
    assert "triage--emergency" in banner.get_attribute("class")
    main = browser.find_element(By.ID, "main")
    first = main.find_element(By.XPATH, "./*[1]")
    assert first.get_attribute("id") == "triage", "the emergency banner comes first"
    assert "What to say at the desk" in banner.text
    assert not browser.find_elements(By.ID, "techniques")
    assert browser.find_element(By.CSS_SELECTOR, ".js-print").is_displayed()
    screenshot(browser, "result-emergency")


def test_the_wizard_by_keyboard_alone(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    keys = ActionChains(browser)

    def press(*sequence: str) -> None:
        for key in sequence:
            keys.send_keys(key)
        keys.perform()
        keys.reset_actions()

    def focused() -> Any:
        return browser.switch_to.active_element

    def tab_to(predicate: Any, limit: int = 80) -> Any:
        for _ in range(limit):
            press(Keys.TAB)
            if predicate(focused()):
                return focused()
        raise AssertionError("could not reach the control with Tab")

    def by_id(wanted: str) -> Any:
        return lambda el: el.get_attribute("id") == wanted

    tab_to(by_id("field-back_pain"))
    press(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    tab_to(by_id("field-leg_pain"))
    press(*[Keys.ARROW_RIGHT] * 7)
    assert browser.find_element(By.ID, "field-leg_pain-value").text == "7"
    tab_to(by_id("field-side"))
    press(Keys.SPACE)  # Left leg
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 2
    assert focused().get_attribute("id") == "step-2-title"
    zone = tab_to(lambda el: el.get_attribute("data-value") == "thigh_back:left")
    press(Keys.SPACE)
    assert zone.get_attribute("aria-pressed") == "true"
    zone = tab_to(lambda el: el.get_attribute("data-value") == "shin:right")
    press(Keys.ENTER)
    assert zone.get_attribute("aria-pressed") == "true"
    screenshot(browser, "wizard-step2-keyboard-focus")
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 3
    tab_to(by_id("field-duration_weeks"))
    press("3")
    tab_to(by_id("field-seen_clinician"))
    press(Keys.SPACE)
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 4
    for flag in RED_FLAGS:
        tab_to(by_id(f"field-rf-{flag}"))
        press(Keys.ARROW_RIGHT)  # moves to, and picks, "No"
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 5
    tab_to(by_id("field-age"))
    press("3", "8")
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 6
    tab_to(by_id("wizard-submit"))
    press(Keys.ENTER)
    banner = wait_for(browser, ".triage")
    assert "triage--self_care" in banner.get_attribute("class")
    targets = browser.find_element(By.ID, "targets").find_element(By.XPATH, "..").text
    assert "Left back of the thigh" in targets
    assert "Right shin" in targets


def test_leaving_midway_and_coming_back_keeps_the_answers(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    set_slider_by_mouse(browser, "#field-leg_pain", 8)
    click(browser, "label[for='field-side-right']")
    click(browser, "#wizard-next")
    click(browser, ".zone[data-value='heel:right']")
    click(browser, "#wizard-next")
    browser.find_element(By.ID, "field-duration_weeks").send_keys("10")
    browser.get(browser.base_url + "/")  # leave
    browser.get(browser.base_url + "/assessment")  # and come back
    wait_for(browser, "#restored-notice")
    assert visible_step(browser) == 3
    assert browser.find_element(By.ID, "field-duration_weeks").get_attribute("value") == "10"
    assert browser.find_element(By.ID, "field-leg_pain").get_attribute("value") == "8"
    assert browser.find_element(By.ID, "field-side-right").is_selected()
    assert browser.find_element(By.ID, "area-heel-right").is_selected()
    screenshot(browser, "wizard-restored")


def test_without_a_step_answered_the_server_names_the_field(browser: Any) -> None:
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(browser.base_url + "/assessment")
        steps = browser.find_elements(By.CSS_SELECTOR, ".wizard-step")
        assert all(s.is_displayed() for s in steps), "without JS it is one long form"
        assert browser.find_element(By.ID, "area-list").is_displayed()
        screenshot(browser, "wizard-no-js")
        click(browser, "#wizard-submit")
        summary = wait_for(browser, "#error-summary")
        assert "Which leg" in summary.text
        assert "Your age" in summary.text
        screenshot(browser, "wizard-errors-no-js")
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
