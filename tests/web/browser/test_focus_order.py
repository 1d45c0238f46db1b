"""By keyboard alone, the body map (wizard step 2) and the session note form are visited in
reading order, and whatever has the focus shows it."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from tests.web.browser.conftest import DESKTOP, PHONE, click, wait_for
from tests.web.browser.test_accessibility import FILL_FORM, answers, href, log_in

from sciatica_care.config import Settings
from sciatica_care.services.demo import load_demo

pytestmark = pytest.mark.browser

FOCUSED = """
const el = document.activeElement;
const box = el.getBoundingClientRect();
const style = getComputedStyle(el);
const shape = el.querySelector("rect");
return {
  name: (el.classList.contains("zone__input") && el.value) || el.id || el.getAttribute("name")
        || el.tagName,
  top: box.top + window.scrollY,
  left: box.left,
  ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
        || style.boxShadow !== "none"
        || (shape !== null && parseFloat(getComputedStyle(shape).strokeWidth) >= 4),
};
"""


def emulate(driver: Any, size: tuple[int, int]) -> None:
    """Show the page at this size (the browser fixture clears it after the test)."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == PHONE},
    )


def tab_through(driver: Any, start: str, stop: str, limit: int = 150) -> list[dict[str, Any]]:
    """Focus ``start``, then press Tab until ``#stop`` has focus: what had focus, in order."""
    driver.execute_script("document.querySelector(arguments[0]).focus();", start)
    keys = ActionChains(driver)
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        keys.send_keys(Keys.TAB).perform()
        seen.append(driver.execute_script(FOCUSED))
        if seen[-1]["name"] == stop:
            return seen
    raise AssertionError(f"Tab never reached #{stop}; it went {[s['name'] for s in seen]}")


def never_goes_back_up(seen: list[dict[str, Any]]) -> list[str]:
    """Steps where the focus moved up the page (a row may be read left to right)."""
    return [
        f"{a['name']} -> {b['name']}"
        for a, b in pairwise(seen)
        if b["top"] < a["top"] - 4 and not (abs(b["top"] - a["top"]) < 40 and b["left"] > a["left"])
    ]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_body_map_is_tabbed_through_back_view_then_front_top_to_bottom(
    browser: Any, size: tuple[int, int]
) -> None:
    browser.get(browser.base_url + "/assessment")
    emulate(browser, size)
    browser.execute_script(FILL_FORM, "#wizard", answers(area=[]), False)
    click(browser, "#wizard-next")
    wait_for(browser, "#body-map")
    seen = tab_through(browser, "#step-2-title", "wizard-next")
    names = [s["name"] for s in seen]
    drawn = browser.execute_script(
        "return Array.from(document.querySelectorAll('input[name=area]'), (z) => z.value);"
    )
    assert names[: len(drawn)] == drawn, "every zone, in the order drawn, before anything else"
    back, front = (
        browser.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]), (z) => z.value);",
            f".body-map__view:nth-child({n}) input[name=area]",
        )
        for n in (1, 2)
    )
    assert drawn == back + front, "the back view first, then the front view"
    for view in (seen[: len(back)], seen[len(back) : len(drawn)]):
        assert not never_goes_back_up(view), "top to bottom, each row left to right"
    assert names[len(drawn) :] == ["wizard-back", "wizard-next"], "then Back and Next"
    assert all(s["ring"] for s in seen), [s["name"] for s in seen if not s["ring"]]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_session_note_form_is_tabbed_through_in_reading_order(
    browser: Any, live_settings: Settings, size: tuple[int, int]
) -> None:
    demo = load_demo(live_settings.resolved_database_url())
    log_in(
        browser, next((email, password) for role, email, password in demo if role == "therapist")
    )
    browser.get(browser.base_url + "/therapist/clients")
    form = href(browser, ".client-card h3 a") + "/notes/new"
    browser.get(browser.base_url + form)
    emulate(browser, size)
    wait_for(browser, "form.note-form")
    browser.execute_script(
        "document.querySelector('form.note-form button[type=submit]').id = 'save-note';"
    )
    seen = tab_through(browser, "#main", "save-note")
    names = [s["name"] for s in seen]
    assert names.index("field-leg_pain_before") == 1, "after the way back to the client"
    expected = [
        "field-leg_pain_before",
        "field-back_pain_before",
        "field-techniques",
        "field-duration_minutes",
        "field-area",
        "field-subjective",
        "field-objective",
        "field-assessment",
        "field-plan",
        "field-leg_pain_after",
        "field-back_pain_after",
        "field-reactions",
        "field-home_care",
        "save-note",
    ]
    assert [n for n in names if n in expected] == expected
    assert not never_goes_back_up(seen), never_goes_back_up(seen)
    assert all(s["ring"] for s in seen), [s["name"] for s in seen if not s["ring"]]
