"""The assessment wizard in chromium: by clicks on a phone, by keyboard only, the emergency path
(stopping at the first answer that needs care now, with and without the script), the both-legs
question, the body map's targets, and leaving midway and coming back with the answers kept."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser.conftest import (
    PHONE,
    WAIT,
    click,
    click_and_wait,
    page_replaced,
    screenshot,
    wait_for,
)

from sciatica_care.domain.red_flag_groups import RED_FLAG_GROUPS
from sciatica_care.domain.vocabulary import REGIONS

pytestmark = pytest.mark.browser


SCROLL = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});"


def visible_step(driver: Any) -> int:
    steps = driver.find_elements(By.CSS_SELECTOR, ".wizard-step")
    shown = [int(s.get_attribute("data-step")) for s in steps if s.is_displayed()]
    assert len(shown) == 1, f"one step at a time, saw {shown}"
    return shown[0]


def mark(driver: Any, value: str) -> None:
    """Tap one place of the body map (a checkbox laid over the figure)."""
    click(driver, f"input[name='area'][value='{value}']")


def marked(driver: Any, value: str) -> bool:
    box = driver.find_element(By.CSS_SELECTOR, f"input[name='area'][value='{value}']")
    return bool(box.is_selected())


def none_of_these(driver: Any) -> None:
    """Tick "None of these" in every group of the safety checklist."""
    for group in RED_FLAG_GROUPS:
        click(driver, f"label[for='field-rf-none-{group.id}']")


def on_a_phone(driver: Any) -> None:
    width, height = PHONE
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )


def pick_pain(driver: Any, name: str, value: int) -> None:
    """Choose a pain level on the 0-10 scale (it starts unset)."""
    click(driver, f"label[for='field-{name}{'' if value == 0 else f'-{value}'}']")


def pain_chosen(driver: Any, name: str) -> list[str]:
    boxes = driver.find_elements(By.CSS_SELECTOR, f"input[name='{name}']")
    return [b.get_attribute("value") for b in boxes if b.is_selected()]


def fill_steps_1_to_3(driver: Any, *, side: str = "left") -> None:
    """A calm person's first three steps, by mouse; leaves the wizard on step 4."""
    pick_pain(driver, "back_pain", 3)
    pick_pain(driver, "leg_pain", 6)
    click(driver, f"label[for='field-side{'' if side == 'left' else '-' + side}']")
    click(driver, "#wizard-next")
    mark(driver, f"calf_back:{side}")
    click(driver, "#wizard-next")
    driver.find_element(By.ID, "field-duration_weeks").send_keys("3")
    click(driver, "label[for='field-first_episode-no']")
    click(driver, "label[for='field-seen_clinician']")  # Yes
    click(driver, "#wizard-next")
    assert visible_step(driver) == 4


def assert_the_emergency_page(driver: Any) -> None:
    banner = wait_for(driver, ".triage")
    assert "triage--emergency" in banner.get_attribute("class")
    first = driver.find_element(By.ID, "main").find_element(By.XPATH, "./*[1]")
    assert first.get_attribute("id") == "triage", "the emergency banner comes first"
    call = banner.find_element(By.CSS_SELECTOR, "a[href^='tel:']")
    assert call.get_attribute("href") == "tel:999" and call.text == "Call 999"
    assert "(or your local emergency number)" in banner.text
    assert not driver.find_elements(By.ID, "wizard"), "no more questions"
    assert not driver.find_elements(By.ID, "techniques")


def test_the_wizard_by_clicks_on_a_phone_shows_one_step_at_a_time_and_gives_a_plan(
    browser: Any,
) -> None:
    browser.get(browser.base_url + "/assessment")
    on_a_phone(browser)
    wait_for(browser, "#wizard-next")
    assert visible_step(browser) == 1
    screenshot(browser, "wizard-step1")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 1, "the pain levels start unset and must be chosen"
    pick_pain(browser, "back_pain", 3)
    pick_pain(browser, "leg_pain", 6)
    assert pain_chosen(browser, "leg_pain") == ["6"]
    click(browser, "label[for='field-side']")  # Left leg
    click(browser, "#wizard-next")
    assert visible_step(browser) == 2
    mark(browser, "calf_back:left")
    mark(browser, "buttock:left")
    assert marked(browser, "calf_back:left") and not marked(browser, "calf_back:right")
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
    click(browser, "#wizard-next")
    assert visible_step(browser) == 4, "a group with nothing ticked is not answered"
    none_of_these(browser)
    # A minor fall (not the group's first box, a major injury: with tingling that is an
    # emergency and rightly stops the wizard): "None" unticks itself, and back again.
    click(browser, "label[for='field-rf-minor_trauma']")
    assert not browser.find_element(By.ID, "field-rf-none-start").is_selected()
    click(browser, "label[for='field-rf-none-start']")
    assert not browser.find_element(By.ID, "field-rf-minor_trauma").is_selected()
    screenshot(browser, "wizard-step4-safety")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 5
    browser.find_element(By.ID, "field-age").send_keys("44")
    screenshot(browser, "wizard-step5")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 6
    how = browser.find_element(By.ID, "field-prior-swedish")
    assert not how.is_displayed(), "how it went is asked only for a kind ticked"
    click(browser, "label[for='field-prior_response']")  # Swedish massage: had it
    click(browser, "label[for='field-prior-swedish']")  # It helped
    assert not browser.find_element(By.ID, "field-prior-deep_tissue").is_displayed()
    screenshot(browser, "wizard-step6")
    click_and_wait(browser, "#wizard-submit")
    banner = wait_for(browser, ".triage")
    assert "triage--self_care" in banner.get_attribute("class")
    assert browser.find_element(By.ID, "techniques").is_displayed()
    click(browser, "#targets summary")  # "Where to focus" is folded
    assert "Left back of the calf" in browser.find_element(By.ID, "targets").text
    screenshot(browser, "result-self-care")
    click_and_wait(browser, "a[href$='/brief']")
    wait_for(browser, ".brief")
    screenshot(browser, "therapist-brief")


def test_every_body_map_target_is_at_least_24_px_square_on_a_phone(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    on_a_phone(browser)
    wait_for(browser, "#wizard-next")
    pick_pain(browser, "back_pain", 3)
    pick_pain(browser, "leg_pain", 6)
    click(browser, "label[for='field-side']")
    click(browser, "#wizard-next")
    wait_for(browser, "#body-map")
    boxes = browser.execute_script(
        """return Array.from(document.querySelectorAll("input[name='area']"), (el) => {
             const r = el.getBoundingClientRect();
             const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return [el.value, r.width, r.height, hit === el || el.contains(hit)
                     || (hit !== null && hit.closest("label") === el.closest("label"))];
           });"""
    )
    assert len(boxes) == 2 * len(REGIONS)
    small = [(v, w, h) for v, w, h, _ in boxes if w < 24 or h < 24]
    assert not small, small
    hidden = [v for v, _, _, hit in boxes if not hit]
    assert not hidden, f"a tap on the middle of these reaches something else: {hidden}"
    mark(browser, "thigh_side:left")
    assert marked(browser, "thigh_side:left"), "a tap on the target marks it"


def test_an_emergency_answer_on_step_4_shows_the_emergency_page_at_once(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    fill_steps_1_to_3(browser)
    click(browser, "label[for='field-rf-group-nerves']")  # bladder: nothing else answered
    assert_the_emergency_page(browser)
    assert "You do not need to answer the other questions" in browser.page_source
    screenshot(browser, "result-emergency")


def test_both_legs_on_the_body_map_asks_the_both_legs_question_at_once(browser: Any) -> None:
    asked = "Is the pain, numbness or weakness in both legs new, or getting worse?"
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    pick_pain(browser, "back_pain", 2)
    pick_pain(browser, "leg_pain", 5)
    click(browser, "label[for='field-side-right']")
    click(browser, "#wizard-next")
    mark(browser, "calf_back:right")
    assert not browser.find_element(By.ID, "both-legs-question").is_displayed()
    mark(browser, "thigh_back:left")
    question = wait_for(browser, "#both-legs-question")
    assert visible_step(browser) == 2
    assert question.find_element(By.TAG_NAME, "legend").text == asked
    listed = browser.find_element(By.ID, "field-rf-bilateral-listed")
    assert not listed.is_enabled(), "not asked twice: the checklist's box is off"
    screenshot(browser, "wizard-both-legs-question")
    mark(browser, "thigh_back:left")  # unmarked: back among the others
    WebDriverWait(browser, WAIT).until(ec.invisibility_of_element(question))
    assert listed.is_enabled()
    mark(browser, "thigh_back:left")
    wait_for(browser, "#both-legs-question")
    click(browser, "label[for='field-rf-bilateral_leg_symptoms']")  # Yes
    assert_the_emergency_page(browser)


def test_side_both_asks_the_both_legs_question_on_step_1(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    click(browser, "label[for='field-side-both']")
    question = wait_for(browser, "#both-legs-question")
    assert visible_step(browser) == 1
    assert "both legs new, or getting worse?" in question.text
    pick_pain(browser, "back_pain", 2)
    pick_pain(browser, "leg_pain", 5)
    click(browser, "label[for='field-rf-bilateral_leg_symptoms-no']")
    click(browser, "#wizard-next")
    assert visible_step(browser) == 2


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
    press(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)  # from 0 (focused, not chosen) to 2
    tab_to(by_id("field-leg_pain"))
    press(*[Keys.ARROW_RIGHT] * 7)
    assert pain_chosen(browser, "back_pain") == ["2"]
    assert pain_chosen(browser, "leg_pain") == ["7"]
    tab_to(by_id("field-side"))
    press(Keys.SPACE)  # Left leg
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 2
    assert focused().get_attribute("id") == "step-2-title"
    zone = tab_to(by_id("area-thigh_back-left"))
    press(Keys.SPACE)
    assert zone.is_selected()
    zone = tab_to(by_id("area-shin-left"))
    press(Keys.SPACE)
    assert zone.is_selected()
    screenshot(browser, "wizard-step2-keyboard-focus")
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 3
    tab_to(by_id("field-duration_weeks"))
    press("3")
    tab_to(by_id("field-first_episode"))
    press(Keys.ARROW_RIGHT)  # No
    tab_to(by_id("field-seen_clinician"))
    press(Keys.SPACE)
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 4
    for group in RED_FLAG_GROUPS:
        tab_to(by_id(f"field-rf-none-{group.id}"))
        press(Keys.SPACE)  # None of these
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 5
    tab_to(by_id("field-age"))
    press("3", "8")
    tab_to(by_id("wizard-next"))
    press(Keys.ENTER)
    assert visible_step(browser) == 6
    tab_to(by_id("prior-had-hot_stone"))
    press(Keys.SPACE)  # had hot stone massage: how it went is asked next
    tab_to(by_id("field-prior-hot_stone"))
    press(Keys.ARROW_RIGHT)  # moves to, and picks, "No change"
    assert browser.find_element(By.ID, "field-prior-hot_stone-no_change").is_selected()
    tab_to(by_id("wizard-submit"))
    wizard = browser.find_element(By.TAG_NAME, "html")
    press(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(page_replaced(wizard))
    banner = wait_for(browser, ".triage")
    assert "triage--self_care" in banner.get_attribute("class")
    where = browser.find_element(By.CSS_SELECTOR, "#targets summary")
    tab_to(lambda el: el == where)  # "Where to focus" is folded: open it by keyboard
    press(Keys.ENTER)
    targets = browser.find_element(By.ID, "targets").text
    assert "Left back of the thigh" in targets
    assert "Left shin" in targets


def test_leaving_midway_and_coming_back_keeps_the_answers(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    pick_pain(browser, "back_pain", 0)
    pick_pain(browser, "leg_pain", 8)
    click(browser, "label[for='field-side-right']")
    click(browser, "#wizard-next")
    mark(browser, "heel:right")
    click(browser, "#wizard-next")
    browser.find_element(By.ID, "field-duration_weeks").send_keys("10")
    browser.get(browser.base_url + "/")  # leave
    browser.get(browser.base_url + "/assessment")  # and come back
    wait_for(browser, "#restored-notice")
    assert visible_step(browser) == 3
    assert browser.find_element(By.ID, "field-duration_weeks").get_attribute("value") == "10"
    assert pain_chosen(browser, "leg_pain") == ["8"]
    assert pain_chosen(browser, "back_pain") == ["0"], "a chosen 0 is kept as 0"
    assert browser.find_element(By.ID, "field-side-right").is_selected()
    assert browser.find_element(By.ID, "area-heel-right").is_selected()
    screenshot(browser, "wizard-restored")


def test_without_a_step_answered_the_server_names_the_field(browser: Any) -> None:
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(browser.base_url + "/assessment")
        steps = browser.find_elements(By.CSS_SELECTOR, ".wizard-step")
        assert all(s.is_displayed() for s in steps), "without JS it is one long form"
        assert browser.find_element(By.ID, "area-heel-right").is_displayed(), "the map works"
        how = browser.find_element(By.ID, "field-prior-swedish")
        assert not how.is_displayed()
        click(browser, "#field-prior_response")  # had Swedish massage: asked how (CSS alone)
        assert how.is_displayed()
        screenshot(browser, "wizard-no-js")
        click_and_wait(browser, "#wizard-submit")
        summary = wait_for(browser, "#error-summary")
        assert "Which leg" in summary.text
        assert "Your age" in summary.text
        screenshot(browser, "wizard-errors-no-js")
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_the_emergency_answer_on_step_4_by_keyboard_alone(browser: Any) -> None:
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard-next")
    fill_steps_1_to_3(browser)
    title = browser.find_element(By.ID, "step-4-title")
    browser.execute_script("arguments[0].focus();", title)  # where Next leaves the focus
    keys = ActionChains(browser)
    for _ in range(40):
        keys.send_keys(Keys.TAB).perform()
        keys.reset_actions()
        if browser.switch_to.active_element.get_attribute("id") == "field-rf-saddle_numbness":
            break
    else:
        raise AssertionError("could not reach the first safety question with Tab")
    keys.send_keys(Keys.SPACE).perform()  # Yes
    assert_the_emergency_page(browser)


def test_without_the_script_checking_step_4_shows_the_emergency_page(browser: Any) -> None:
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(browser.base_url + "/assessment")
        pick_pain(browser, "back_pain", 3)
        pick_pain(browser, "leg_pain", 6)
        click(browser, "label[for='field-side']")
        click(browser, "#area-calf_back-left")
        browser.find_element(By.ID, "field-duration_weeks").send_keys("3")
        click(browser, "label[for='field-first_episode-no']")
        click(browser, "label[for='field-seen_clinician']")
        click(browser, "label[for='field-rf-saddle_numbness']")  # ticked; the rest unanswered
        click_and_wait(browser, "button[name='upto'][value='4']")
        assert_the_emergency_page(browser)
        screenshot(browser, "result-emergency-no-js")
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
