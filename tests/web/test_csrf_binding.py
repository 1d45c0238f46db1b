"""CSRF tokens are bound to the session: a token minted for anyone else (an anonymous visitor,
another account, the session before sign-in) is refused, also when it is tossed into the
browser as a cookie; the token is new after every sign-in and sign-out; over TLS the cookies
are named __Host-; a malformed Authorization header is refused, never passed over for the
cookie."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, add_user

CSRF = "/api/v1/auth/csrf"
DIARY = {"leg_pain": 3, "back_pain": 2}


def token_of(http: TestClient) -> str:
    token: str = http.get(CSRF).json()["csrf_token"]
    return token


def test_an_anonymous_visitors_token_is_refused_for_a_signed_in_session(
    app: FastAPI, alice: TestClient
) -> None:
    attacker = TestClient(app)
    minted = token_of(attacker)
    # Cookie tossing: the attacker's token as the victim's csrftoken cookie and in the form.
    alice.cookies.set("csrftoken", minted)
    forged = alice.post("/api/v1/diary", json=DIARY, headers={"x-csrftoken": minted})
    assert forged.status_code == 403
    del alice.headers["x-csrftoken"]
    form = alice.post("/api/v1/auth/logout", data={"csrftoken": minted})
    assert form.status_code == 403
    assert alice.get("/api/v1/diary").json() == []


def test_another_accounts_token_is_refused(alice: TestClient, bob: TestClient) -> None:
    bobs = bob.headers["x-csrftoken"]
    assert alice.post("/api/v1/diary", json=DIARY, headers={"x-csrftoken": bobs}).status_code == 403


def test_one_anonymous_visitors_token_does_not_sign_in_another(app: FastAPI) -> None:
    add_user(app, "carol@example.org")
    attacker, victim = TestClient(app), TestClient(app)
    victim.get("/login")
    login = {"email": "carol@example.org", "password": PASSWORD, "csrftoken": token_of(attacker)}
    assert victim.post("/login", data=login, follow_redirects=False).status_code == 403
    login["csrftoken"] = token_of(victim)
    assert victim.post("/login", data=login, follow_redirects=False).status_code == 303


def test_the_token_is_new_after_signing_in_and_after_signing_out(app: FastAPI) -> None:
    add_user(app, "dora@example.org")
    http = TestClient(app)
    before = token_of(http)
    signed_in = http.post(
        "/api/v1/auth/login",
        json={"email": "dora@example.org", "password": PASSWORD},
        headers={"x-csrftoken": before},
    )
    after = signed_in.json()["csrf_token"]
    assert after != before and token_of(http) == after
    assert (
        http.post("/api/v1/diary", json=DIARY, headers={"x-csrftoken": before}).status_code == 403
    )
    assert http.post("/api/v1/diary", json=DIARY, headers={"x-csrftoken": after}).status_code == 201
    assert http.post("/api/v1/auth/logout", headers={"x-csrftoken": after}).status_code == 204
    signed_out = token_of(http)
    assert signed_out not in {before, after}


def test_the_login_form_rotates_the_token_of_the_pages(app: FastAPI) -> None:
    add_user(app, "erin@example.org")
    http = TestClient(app)
    before = token_of(http)
    http.post(
        "/login",
        data={"email": "erin@example.org", "password": PASSWORD, "csrftoken": before},
        follow_redirects=False,
    )
    assert 'name="csrftoken"' in http.get("/settings").text
    assert before not in http.get("/settings").text


def test_over_tls_the_cookies_are_named_host_and_plain_names_are_ignored(app: FastAPI) -> None:
    add_user(app, "tls@example.org")
    https = TestClient(app, base_url="https://testserver")
    visitor = https.get("/login").headers.get_list("set-cookie")
    assert visitor and all(c.startswith("__Host-") for c in visitor)
    assert all("Secure" in c and "Path=/" in c and "Domain" not in c for c in visitor)
    login = https.post(
        "/api/v1/auth/login",
        json={"email": "tls@example.org", "password": PASSWORD},
        headers={"x-csrftoken": token_of(https)},
    )
    set_cookies = login.headers.get_list("set-cookie")
    assert any(c.startswith("__Host-sc_session=") for c in set_cookies)
    assert not any(c.startswith("sc_session=") for c in set_cookies)
    session = https.cookies["__Host-sc_session"]
    tossed = TestClient(app, base_url="https://testserver", cookies={"sc_session": session})
    assert tossed.get("/api/v1/me").status_code == 401


def test_over_plain_http_on_localhost_the_plain_names_work(app: FastAPI) -> None:
    add_user(app, "plain@example.org")
    http = TestClient(app, base_url="http://127.0.0.1:8000")
    login = http.post(
        "/api/v1/auth/login", json={"email": "plain@example.org", "password": PASSWORD}
    )
    assert any(c.startswith("sc_session=") for c in login.headers.get_list("set-cookie"))
    assert http.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    "authorization", ["Bearer", "Bearer ", "bearer", "Bearer a b", "Bearer\ttoken", "bearer ,"]
)
def test_a_malformed_bearer_header_is_refused_not_passed_over_for_the_cookie(
    alice: TestClient, authorization: str
) -> None:
    assert alice.get("/api/v1/me", headers={"Authorization": authorization}).status_code == 401
    del alice.headers["x-csrftoken"]
    write = alice.post("/api/v1/diary", json=DIARY, headers={"Authorization": authorization})
    assert write.status_code in {401, 403}
    assert alice.get("/api/v1/diary").json() == []


@pytest.mark.parametrize("authorization", ["Basic YTpi", "Token x"])
def test_another_scheme_is_ignored_and_exempts_nothing_from_the_csrf_check(
    alice: TestClient, authorization: str
) -> None:
    """A proxy's Basic auth must not break the app, nor open the cookie session to CSRF."""
    assert alice.get("/api/v1/me", headers={"Authorization": authorization}).status_code == 200
    del alice.headers["x-csrftoken"]
    write = alice.post("/api/v1/diary", json=DIARY, headers={"Authorization": authorization})
    assert write.status_code == 403
    assert alice.get("/api/v1/diary").json() == []


def test_an_unknown_bearer_token_is_refused_even_with_a_session_cookie(alice: TestClient) -> None:
    response = alice.get("/api/v1/me", headers={"Authorization": "Bearer scpat_unknown"})
    assert response.status_code == 401
    assert "www-authenticate" in response.headers


def test_an_unknown_bearer_token_writes_nothing_even_with_a_session_cookie(
    alice: TestClient,
) -> None:
    """A Bearer header sends an API write past the CSRF check: the token itself must then
    hold, and the session cookie beside it counts for nothing."""
    del alice.headers["x-csrftoken"]
    write = alice.post("/api/v1/diary", json=DIARY, headers={"Authorization": "Bearer scpat_x"})
    assert write.status_code == 401
    assert alice.get("/api/v1/diary").json() == []


def test_a_bearer_token_exempts_no_page_form_from_the_csrf_check(alice: TestClient) -> None:
    made = alice.post("/api/v1/tokens", json={"name": "script", "scope": "write"})
    assert made.status_code == 201, made.text
    del alice.headers["x-csrftoken"]
    form = {"leg_pain": "3", "back_pain": "2"}
    write = alice.post(
        "/diary", data=form, headers={"Authorization": f"Bearer {made.json()['token']}"}
    )
    assert write.status_code == 403
    assert alice.get("/api/v1/diary").json() == []
