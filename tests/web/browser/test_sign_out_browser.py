"""Signing out in a real browser: the wizard's unsent answers (kept in localStorage) are gone
afterwards, and "sign out everywhere" on Settings signs this browser out too."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.browser.conftest import click_and_wait, wait_for
from tests.web.browser.test_tracking_browser import sign_up

pytestmark = pytest.mark.browser

SAVED = "sciatica-care:wizard:v1"


def saved_answers(driver: Any) -> Any:
    return driver.execute_script(f"return window.localStorage.getItem('{SAVED}');")


def test_logging_out_forgets_the_wizards_unsent_answers(browser: Any) -> None:
    sign_up(browser, "leaves@example.org")
    browser.get(browser.base_url + "/assessment")
    wait_for(browser, "#wizard")
    browser.execute_script(
        f"window.localStorage.setItem('{SAVED}', JSON.stringify({{step: 2, fields: []}}));"
    )
    assert saved_answers(browser) is not None
    click_and_wait(browser, "form[action='/logout'] button[type='submit']")
    wait_for(browser, "[data-forget-answers]")
    assert saved_answers(browser) is None


def test_sign_out_everywhere_signs_this_browser_out(browser: Any) -> None:
    sign_up(browser, "everywhere@example.org")
    browser.get(browser.base_url + "/settings")
    click_and_wait(browser, "form[action='/settings/sign-out-everywhere'] button[type='submit']")
    assert "logged out everywhere" in wait_for(browser, "[data-forget-answers]").text
    browser.get(browser.base_url + "/settings")
    wait_for(browser, "form[action='/login']")
