"""Login CSRF: the sign-in and sign-up forms are checked even when the browser sends no
cookies; the JSON API's sign-in stays open to cookie-less scripts."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, add_user


def test_a_forged_cross_site_login_form_is_refused(app: FastAPI) -> None:
    add_user(app, "alice@example.org")
    forged = TestClient(app).post(
        "/login", data={"email": "alice@example.org", "password": PASSWORD}
    )
    assert forged.status_code == 403


def test_a_script_signs_in_through_the_api_without_cookies(app: FastAPI) -> None:
    add_user(app, "alice@example.org")
    body = {"email": "alice@example.org", "password": PASSWORD}
    assert TestClient(app).post("/api/v1/auth/login", json=body).status_code == 200
