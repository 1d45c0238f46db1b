"""The header as people see it: one row with the name mark and the menu at phone widths (the
menu a disclosure that works without script), a row of links on desktop; the stretch drawings
and the app icons load."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from tests.web.browser import test_accessibility as a11y
from tests.web.browser.conftest import DESKTOP, PHONE
from tests.web.browser.test_accessibility import log_in, log_out

pytestmark = pytest.mark.browser
cast, database = a11y.cast, a11y.database  # the demo cast's fixtures, shared

ONE_ROW = 72  # CSS px: the header's height with everything on one row (a 48 px target + padding)


def at_width(driver: Any, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def box(driver: Any, css: str) -> dict[str, float]:
    rect: dict[str, float] = driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, height: r.height, width: r.width};",
        css,
    )
    return rect


def assert_one_row_with_a_menu(driver: Any, where: str) -> None:
    header = box(driver, ".site-header")
    assert header["height"] <= ONE_ROW, f"{where}: the header is {header['height']}px tall"
    brand, toggle = box(driver, ".brand"), box(driver, ".site-nav__toggle")
    assert abs(brand["top"] - toggle["top"]) < 24, f"{where}: name mark and menu share a row"
    links = driver.find_elements(By.CSS_SELECTOR, ".site-nav__list a, .site-nav__list button")
    assert links and not any(link.is_displayed() for link in links), f"{where}: menu closed"

    driver.find_element(By.CSS_SELECTOR, ".site-nav__toggle").click()
    WebDriverWait(driver, 5).until(lambda d: all(link.is_displayed() for link in links))
    for link in links:
        assert link.size["height"] >= 44, f"{where}: {link.text} is a small target"
    assert box(driver, ".site-header")["height"] <= ONE_ROW, "the open menu lies over the page"
    driver.find_element(By.CSS_SELECTOR, ".site-nav__toggle").send_keys(Keys.ESCAPE)
    WebDriverWait(driver, 5).until(lambda d: not any(link.is_displayed() for link in links))


@pytest.mark.parametrize("width", [320, 390])
def test_the_phone_header_is_one_row_with_a_menu(
    browser: Any, cast: dict[str, tuple[str, str]], width: int
) -> None:
    at_width(browser, width, PHONE[1])
    browser.get(browser.base_url + "/")
    assert_one_row_with_a_menu(browser, f"signed out at {width}px")
    log_in(browser, cast["client"])  # the longest menu: six entries
    at_width(browser, width, PHONE[1])
    browser.get(browser.base_url + "/dashboard")
    assert_one_row_with_a_menu(browser, f"signed in at {width}px")
    log_out(browser)


def test_the_desktop_header_is_one_row_of_links(
    browser: Any, cast: dict[str, tuple[str, str]]
) -> None:
    log_in(browser, cast["client"])
    at_width(browser, *DESKTOP)
    browser.get(browser.base_url + "/dashboard")
    assert not browser.find_element(By.CSS_SELECTOR, ".site-nav__toggle").is_displayed()
    links = browser.find_elements(By.CSS_SELECTOR, ".site-nav__list a, .site-nav__list button")
    assert len(links) == 7 and all(link.is_displayed() for link in links)
    tops = {round(link.location["y"]) for link in links}
    assert max(tops) - min(tops) < 8, "the links share one row"
    assert box(browser, ".site-header")["height"] <= ONE_ROW
    log_out(browser)


def test_the_stretch_drawings_and_icons_load(browser: Any) -> None:
    for path in ("/static/img/stretches/knee_to_chest.svg", "/static/img/icons/icon-192.png"):
        browser.get(browser.base_url + "/")
        loaded = browser.execute_async_script(
            "const [src, done] = arguments; const img = new Image();"
            "img.onload = () => done(img.naturalWidth); img.onerror = () => done(0);"
            "img.src = src;",
            path,
        )
        assert loaded > 0, path
