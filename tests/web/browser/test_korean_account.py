"""The account pages in Korean, in a real browser at phone width: the front door signed out (log
in, sign up, "check your email", password reset and the new-password form, the link-gone page,
a 404 and another error page), then signed in (settings, your data, who looked at my record,
deleting the account). Each page has no English left in its main content, and a screenshot of
it is kept in artifacts/screenshots/ko/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select
from tests.web.browser.conftest import WAIT, click_and_wait, heading_reads, wait_for
from tests.web.browser.korean import assert_all_korean, read_in_korean
from tests.web.browser.test_tracking_browser import PASSWORD, fill

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import User
from sciatica_care.services import account_links

pytestmark = pytest.mark.browser


@pytest.fixture
def database(live_settings: Settings) -> Iterator[Database]:
    db = Database(live_settings.resolved_database_url())
    yield db
    db.dispose()


def opens(driver: Any, path: str, heading: str) -> None:
    """Open ``path`` and wait for its Korean heading."""
    driver.get(driver.base_url + path)
    WebDriverWait(driver, WAIT).until(heading_reads(heading))


def sends(driver: Any, form: str, heading: str) -> None:
    """Send ``form`` by its button and wait for the next page's Korean heading."""
    click_and_wait(driver, f"{form} button[type='submit']")
    WebDriverWait(driver, WAIT).until(heading_reads(heading))


def errors_read(driver: Any) -> str:
    return str(wait_for(driver, ".error-summary").text)


def test_the_front_door_reads_in_korean(browser: Any, database: Database) -> None:
    read_in_korean(browser)
    opens(browser, "/login", "로그인")
    assert_all_korean(browser, "account-login")
    fill(browser, "#field-email", "nobody.ko@example.org")
    fill(browser, "#field-password", "not the password")
    sends(browser, "form[action='/login']", "로그인")
    assert "이메일 주소: 이메일 주소나 비밀번호가 맞지 않아요" in errors_read(browser)
    assert_all_korean(browser, "account-login-wrong-password")

    opens(browser, "/signup", "계정 만들기")
    assert_all_korean(browser, "account-signup")
    fill(browser, "#field-email", "min.ko@example.org")
    fill(browser, "#field-password", "짧아요")
    sends(browser, "form[action='/signup']", "계정 만들기")
    assert "비밀번호: 최소 8자여야 합니다" in errors_read(browser)
    assert_all_korean(browser, "account-signup-error")
    fill(browser, "#field-password", PASSWORD)
    sends(browser, "form[action='/signup']", "이메일을 확인하세요")
    assert "min.ko@example.org" in browser.find_element(By.CSS_SELECTOR, "main").text
    assert_all_korean(browser, "account-signup-sent")

    opens(browser, "/password-reset", "비밀번호 재설정")
    assert_all_korean(browser, "account-password-reset")
    fill(browser, "#field-email", "min.ko@example.org")
    sends(browser, "form[action='/password-reset']", "이메일을 확인하세요")
    assert_all_korean(browser, "account-password-reset-sent")

    opens(browser, "/password-reset/choose?token=used-or-made-up", "유효하지 않은 링크")
    assert_all_korean(browser, "account-link-not-valid")
    with database.session() as db:
        user = db.scalars(select(User).where(User.email == "min.ko@example.org")).one()
        token = account_links.issue(
            db, user=user, purpose="password_reset", lifetime=timedelta(minutes=30)
        )
        db.commit()
    opens(browser, f"/password-reset/choose?token={token}", "새 비밀번호 정하기")
    assert_all_korean(browser, "account-password-choose")
    fill(browser, "#field-new_password", "another long password")
    sends(browser, "form[action='/password-reset/choose']", "비밀번호 변경 완료")
    assert_all_korean(browser, "account-password-changed")

    opens(browser, "/no/such/page", "페이지를 찾을 수 없어요")
    assert_all_korean(browser, "account-error-404")
    opens(browser, "/logout", "이 페이지에서는 할 수 없는 일이에요")
    assert_all_korean(browser, "account-error-405")


def test_the_signed_in_account_pages_read_in_korean(browser: Any) -> None:
    read_in_korean(browser)
    opens(browser, "/signup", "계정 만들기")
    fill(browser, "#field-display_name", "Min")
    fill(browser, "#field-email", "min.signed@example.org")
    fill(browser, "#field-password", PASSWORD)
    sends(browser, "form[action='/signup']", "이메일을 확인하세요")
    opens(browser, "/login", "로그인")
    fill(browser, "#field-email", "min.signed@example.org")
    fill(browser, "#field-password", PASSWORD)
    click_and_wait(browser, "form[action='/login'] button[type='submit']")
    WebDriverWait(browser, WAIT).until(heading_reads("Min", exact=False))  # the dashboard

    opens(browser, "/settings", "설정")
    chosen = browser.find_element(By.CSS_SELECTOR, "#field-language option:checked")
    assert chosen.get_attribute("value") == "ko"
    assert_all_korean(browser, "account-settings")
    sends(browser, "form[action='/settings']", "설정")
    assert "저장했어요" in str(wait_for(browser, ".notice--success").text)
    assert_all_korean(browser, "account-settings-saved")
    fill(browser, "#field-current_password", "not my password")
    fill(browser, "#field-new_password", "a new long password")
    sends(browser, "form[action='/settings/password']", "설정")
    assert "현재 비밀번호: 현재 비밀번호와 맞지 않아요" in errors_read(browser)
    assert_all_korean(browser, "account-settings-error")

    opens(browser, "/privacy", "내 데이터")
    assert_all_korean(browser, "account-privacy")
    opens(browser, "/privacy/audit", "내 기록을 본 사람")
    assert_all_korean(browser, "account-privacy-audit")

    opens(browser, "/no/such/page", "페이지를 찾을 수 없어요")
    assert_all_korean(browser, "account-error-404-signed-in")

    opens(browser, "/privacy/erase", "계정 삭제")
    assert_all_korean(browser, "account-privacy-erase")
    fill(browser, "#field-password", "not my password")
    fill(browser, "#field-confirm", "delete it")
    sends(browser, "form[action='/privacy/erase']", "계정 삭제")
    problems = errors_read(browser)
    assert "비밀번호: 비밀번호가 맞지 않아요" in problems
    assert "확인 문구: 확인하려면 ‘계정 삭제’라고 입력하세요" in problems
    assert_all_korean(browser, "account-privacy-erase-error")
    fill(browser, "#field-password", PASSWORD)
    fill(browser, "#field-confirm", "계정 삭제")
    sends(browser, "form[action='/privacy/erase']", "계정이 삭제되었어요")
    assert_all_korean(browser, "account-erased")
