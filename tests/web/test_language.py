"""Language per person: the switch, the account's setting, the browser's Accept-Language, and
English when nothing says otherwise. Bad input names the field and is never a 5xx."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sciatica_care.db.tables import User
from sciatica_care.i18n import negotiate
from sciatica_care.web.language import LANGUAGE_COOKIE
from tests.web.conftest import PASSWORD
from tests.web.test_pages_support import csrf_of


def test_accept_language_picks_the_best_language_we_speak() -> None:
    assert negotiate("ko-KR,ko;q=0.9,en-US;q=0.8") == "ko"
    assert negotiate("en-GB,ko;q=0.5") == "en"
    assert negotiate("fr-FR, ko;q=0.3") == "ko"
    assert negotiate("fr") == "en"
    assert negotiate("ko;q=0, en;q=0.2") == "en"
    assert negotiate("ko;q=banana") == "en"
    assert negotiate(None) == "en" and negotiate("") == "en"


def nav_of(page: httpx.Response) -> str:
    return page.text.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_a_korean_browser_gets_korean_pages(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="ko"' in page.text
    assert "로그인" in nav_of(page) and "Log in" not in nav_of(page)
    english = client.get("/login", headers={"Accept-Language": "en-GB"})
    assert '<html lang="en"' in english.text and "Log in" in nav_of(english)


def test_the_switch_sets_a_cookie_that_wins_over_the_browser(client: TestClient) -> None:
    switched = client.get(
        "/language", params={"set": "ko", "next": "/login"}, follow_redirects=False
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/login"
    assert client.cookies.get(LANGUAGE_COOKIE) == "ko"
    page = client.get("/login", headers={"Accept-Language": "en"})
    assert '<html lang="ko"' in page.text
    client.get("/language", params={"set": "en", "next": "/login"})
    assert '<html lang="en"' in client.get("/login").text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "\\\\evil", "x"])
def test_the_switch_never_sends_anyone_to_another_site(client: TestClient, target: str) -> None:
    switched = client.get("/language", params={"set": "ko", "next": target}, follow_redirects=False)
    assert switched.headers["location"] == "/"


@pytest.mark.parametrize("language", ["", "fr", "ko-KR", "<script>", "x" * 5000])
def test_an_unknown_language_is_refused_in_words(client: TestClient, language: str) -> None:
    refused = client.get("/language", params={"set": language})
    assert refused.status_code == 422
    assert "English" in refused.text and "한국어" in refused.text
    assert LANGUAGE_COOKIE not in refused.cookies


def test_signed_in_the_choice_is_saved_and_follows_the_account(
    app: FastAPI, alice: TestClient
) -> None:
    switched = alice.post(
        "/language", data={"language": "ko", "next": "/dashboard"}, follow_redirects=False
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/dashboard"
    with app.state.database.session() as db:
        user = db.scalars(select(User).where(User.email == "alice@example.org")).one()
        assert user.language == "ko"
    # Another browser, in English, signs in: the account's language comes with it.
    elsewhere = TestClient(app)
    token = csrf_of(elsewhere.get("/login").text)
    signed_in = elsewhere.post(
        "/login",
        data={"email": "alice@example.org", "password": PASSWORD, "csrftoken": token},
        headers={"Accept-Language": "en"},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert elsewhere.cookies.get(LANGUAGE_COOKIE) == "ko"
    page = elsewhere.get("/dashboard", headers={"Accept-Language": "en"})
    assert '<html lang="ko"' in page.text and "대시보드" in nav_of(page)


def test_a_bad_choice_signed_in_changes_nothing(app: FastAPI, alice: TestClient) -> None:
    refused = alice.post("/language", data={"language": "klingon"})
    assert refused.status_code == 422
    with app.state.database.session() as db:
        user = db.scalars(select(User).where(User.email == "alice@example.org")).one()
        assert user.language is None
