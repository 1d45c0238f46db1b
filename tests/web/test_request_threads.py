"""The request handlers run on ``SCIATICA_CARE_REQUEST_THREADS`` threads per app process (the
event loop's default thread limiter, set when the app starts), not anyio's 40."""

from __future__ import annotations

import anyio.to_thread
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.web.app import create_app


def _threads_of(settings: Settings) -> int:
    app = create_app(settings)
    try:
        with TestClient(app) as http:  # runs the app's start-up
            assert http.get("/api/v1/ping").status_code == 200
            return int(
                http.portal.call(
                    lambda: anyio.to_thread.current_default_thread_limiter().total_tokens
                )
            )
    finally:
        app.state.database.dispose()


def test_the_app_runs_its_handlers_on_the_configured_threads(settings: Settings) -> None:
    assert _threads_of(settings.model_copy(update={"request_threads": 3})) == 3


def test_the_default_is_a_few_threads(settings: Settings) -> None:
    assert settings.request_threads == 4
    assert _threads_of(settings) == 4
