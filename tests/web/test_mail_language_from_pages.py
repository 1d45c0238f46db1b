"""Emails asked for from a page are written in the page's language when the account has none
saved: the sign-up's confirmation (the sign-up saves the page's language on the account) and a
password reset asked for from a Korean page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.browser.korean import latin_words
from tests.web.mailbox import body, sent_to
from tests.web.test_pages_support import pages, post_form

__all__ = ["pages"]

PASSWORD = "a long enough password"


def test_a_korean_sign_up_gets_its_confirmation_in_korean_and_keeps_korean(
    pages: TestClient,
) -> None:
    pages.cookies.set("sc_lang", "ko")
    response = post_form(
        pages, "/signup", "/signup", {"email": "minji@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    [confirmation] = sent_to(pages.app, "minji@example.org")  # type: ignore[arg-type]
    text = str(confirmation["Subject"]) + "\n" + body(confirmation)
    assert "확인" in text and not latin_words(re.sub(r"https?://\S+", " ", text)), text

    pages.cookies.clear()
    post_form(pages, "/password-reset", "/password-reset", {"email": "minji@example.org"})
    reset = sent_to(pages.app, "minji@example.org")[-1]  # type: ignore[arg-type]
    assert reset is not confirmation
    assert "비밀번호" in str(reset["Subject"]) + body(reset)  # the account's language now


def test_an_english_sign_up_stays_english(pages: TestClient) -> None:
    post_form(pages, "/signup", "/signup", {"email": "ann@example.org", "password": PASSWORD})
    [confirmation] = sent_to(pages.app, "ann@example.org")  # type: ignore[arg-type]
    assert "Confirm" in str(confirmation["Subject"]) or "confirm" in body(confirmation)


def test_a_sign_up_on_a_page_english_by_default_does_not_pin_the_account_to_english(
    pages: TestClient,
) -> None:
    post_form(pages, "/signup", "/signup", {"email": "jun@example.org", "password": PASSWORD})
    post_form(pages, "/login", "/login", {"email": "jun@example.org", "password": PASSWORD})
    page = pages.get("/dashboard", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert '<html lang="ko"' in page.text  # the browser's language still counts
