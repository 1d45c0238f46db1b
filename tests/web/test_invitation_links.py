"""Invitation links are built on the configured public base URL (never on the Host header a
request brings), and their tokens never reach the access log."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.config import Settings, SettingsError
from sciatica_care.web.access_log import ACCESS_LOGGER
from sciatica_care.web.app import create_app
from tests.integration.server_process import free_port
from tests.web.conftest import PASSWORD, add_user, signed_in_client
from tests.web.test_pages_support import csrf_of

PUBLIC = "https://care.example.org"


@pytest.fixture
def public_app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings.model_copy(update={"public_base_url": PUBLIC}))
    yield application
    application.state.database.dispose()


def test_the_api_gives_the_invitation_link_on_the_public_base_url(public_app: FastAPI) -> None:
    add_user(public_app, "tess@example.org", "therapist")
    tess = signed_in_client(public_app, "tess@example.org")
    made = tess.post("/api/v1/therapist/invitations", headers={"Host": "evil.example"}).json()
    assert made["url"] == f"{PUBLIC}/share/invite/{made['token']}"


def test_the_page_gives_the_invitation_link_on_the_public_base_url(public_app: FastAPI) -> None:
    add_user(public_app, "tess@example.org", "therapist")
    http = TestClient(public_app, base_url="http://evil.example")
    form = http.get("/login").text
    http.post(
        "/login",
        data={"email": "tess@example.org", "password": PASSWORD, "csrftoken": csrf_of(form)},
    )
    page = http.get("/therapist/clients").text
    made = http.post("/therapist/invitations", data={"csrftoken": csrf_of(page)}).text
    assert f'value="{PUBLIC}/share/invite/' in made
    assert "evil.example" not in made


def test_the_development_base_url_is_refused_in_production(tmp_path: Path) -> None:
    settings = Settings(environment="production", data_dir=tmp_path, secret_key="k" * 40)
    with pytest.raises(SettingsError, match="SCIATICA_CARE_PUBLIC_BASE_URL"):
        settings.resolved_public_base_url()
    chosen = settings.model_copy(update={"public_base_url": PUBLIC + "/"})
    assert chosen.public_url("/share/invite/x") == f"{PUBLIC}/share/invite/x"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_an_invitation_token_never_reaches_the_access_log(app: FastAPI) -> None:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=True)
    )
    lines = Lines()
    access = logging.getLogger(ACCESS_LOGGER)
    access.addHandler(lines)
    previous_level = access.level
    access.setLevel(logging.INFO)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        token = "SeCrEtInViTaTiOnToKeN123"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
            http.get(f"/share/invite/{token}")
            http.get(f"/login?next=%2Fshare%2Finvite%2F{token}")
            http.get("/api/v1/ping")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        access.removeHandler(lines)
        access.setLevel(previous_level)
    logged = "\n".join(lines.lines)
    assert "/share/invite/<hidden>" in logged and "/api/v1/ping" in logged
    assert token not in logged
