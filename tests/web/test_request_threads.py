"""The request handlers run on ``SCIATICA_CARE_REQUEST_THREADS`` threads per app process (the
event loop's default thread limiter, set when the app starts), not anyio's 40."""

from __future__ import annotations

from pathlib import Path

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from sciatica_care.config import Settings, SettingsError, load_settings
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


def test_the_setting_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SCIATICA_CARE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SCIATICA_CARE_REQUEST_THREADS", "6")
    assert load_settings().request_threads == 6
    monkeypatch.setenv("SCIATICA_CARE_REQUEST_THREADS", "0")
    with pytest.raises(SettingsError, match="SCIATICA_CARE_REQUEST_THREADS"):
        load_settings()
