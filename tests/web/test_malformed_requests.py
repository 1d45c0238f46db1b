"""Malformed requests get a 4xx, never a 5xx, and every error answer carries the security
headers: a multipart body without a boundary, an urlencoded body that is not UTF-8, a JSON
value nested too deep to parse (also inside the wizard's carried assessment), a CSRF token that
is not ASCII. A NUL character in any text is refused (422 naming the field) before the database
sees it: PostgreSQL refuses NUL in text."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import SignIn
from tests.web.consent import API

NESTED = "[" * 100_000 + "]" * 100_000
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


def cookie_session(sign_in: SignIn) -> tuple[TestClient, str]:
    """A signed-in browser session: the cookies, and the CSRF token kept aside (not sent as a
    header), so the CSRF check reads the body as it does for a form."""
    http = sign_in("alice@example.org")
    token = http.headers.pop("x-csrftoken")
    return http, token


def assert_refused_with_headers(status: int, headers: dict[str, str], *expected: int) -> None:
    assert status in expected
    assert all(name in headers for name in SECURITY_HEADERS), headers


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("multipart/form-data", b"--x\r\n", 415),
        ("multipart/form-data; boundary=b1", b"--b1\r\n", 415),
        ("application/x-www-form-urlencoded", b"leg_pain=3&back_pain=\xff\xfe", 400),
    ],
)
def test_a_malformed_form_body_is_refused_with_a_4xx(
    sign_in: SignIn, content_type: str, body: bytes, status: int
) -> None:
    http, _ = cookie_session(sign_in)
    response = http.post("/diary", content=body, headers={"content-type": content_type})
    assert_refused_with_headers(response.status_code, dict(response.headers), status)


@pytest.mark.parametrize("path", ["/assessment/brief", "/assessment/edit"])
def test_a_deeply_nested_carried_assessment_is_not_a_server_error(
    sign_in: SignIn, path: str
) -> None:
    http, token = cookie_session(sign_in)
    response = http.post(path, data={"assessment": NESTED, "csrftoken": token})
    assert response.status_code in {200, 422}


def test_a_deeply_nested_json_body_is_refused(alice: TestClient) -> None:
    response = alice.post(
        f"{API}/assessments", content=NESTED, headers={"content-type": "application/json"}
    )
    assert_refused_with_headers(response.status_code, dict(response.headers), 400, 422)


def test_a_csrf_token_that_is_not_ascii_is_refused(sign_in: SignIn) -> None:
    http, _ = cookie_session(sign_in)
    as_header = http.post(
        "/diary", data={"leg_pain": "3"}, headers={"x-csrftoken": "\u00e9t\u00e9".encode("latin-1")}
    )
    in_form = http.post("/diary", data={"leg_pain": "3", "csrftoken": "\u00e9t\u00e9"})
    assert as_header.status_code == 400 and in_form.status_code == 400


def raw_post(app: FastAPI, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> Any:
    """POST straight to the ASGI app (the test client re-encodes header values as UTF-8):
    the status and the headers of the answer."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}


def test_a_cookie_header_that_is_not_utf8_is_refused(app: FastAPI) -> None:
    headers = [
        (b"cookie", b"csrftoken=\xff"),
        (b"content-type", b"application/x-www-form-urlencoded"),
    ]
    status, answer = raw_post(app, "/diary", headers, b"leg_pain=3")
    assert_refused_with_headers(status, answer, 400)


def test_a_server_error_carries_the_security_headers(app: FastAPI) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("the inner workings of the failure")

    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert_refused_with_headers(response.status_code, dict(response.headers), 500)
    assert "inner workings" not in response.text and "RuntimeError" not in response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"leg_pain": 3, "back_pain": 2, "note": "a\x00b"}, "note"),
        ({"leg_pain": 3, "back_pain": 2, "stretches": ["x\x00"]}, "stretches.0"),
    ],
)
def test_a_nul_in_json_text_is_refused_naming_the_field(
    alice: TestClient, body: dict[str, object], field: str
) -> None:
    response = alice.post(f"{API}/diary", json=body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_nul_in_a_json_text_of_any_route_is_refused(alice: TestClient) -> None:
    response = alice.post(f"{API}/tokens", json={"name": "script\x00"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["name"]


def test_a_nul_in_a_form_field_is_refused_naming_it(sign_in: SignIn) -> None:
    http, token = cookie_session(sign_in)
    response = http.post(
        "/settings", data={"time_zone": "UTC\x00", "csrftoken": token}, follow_redirects=False
    )
    assert response.status_code == 422
    assert "time_zone" in response.text


def test_a_nul_in_the_query_or_the_path_is_refused(alice: TestClient) -> None:
    query = alice.get(f"{API}/sharing/therapist", params={"code": "ab\x00c"})
    assert query.status_code == 422
    assert [e["field"] for e in query.json()["errors"]] == ["code"]
    assert alice.get(f"{API}/diary/abc%00def").status_code == 400
