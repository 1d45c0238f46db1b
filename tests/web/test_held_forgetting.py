"""Each app process lets go of what it kept from records every SCIATICA_CARE_KEPT_MINUTES, so an
erasure served by another process leaves its memory within that time too."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.services import held
from sciatica_care.web import app as web_app


def test_every_store_is_emptied_at_each_period() -> None:
    kept: held.Kept[str, str] = held.Kept("test: forgetting", 4)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        assert kept.get("made") is (None if waits else "x")  # emptied after each wait
        waits.append(seconds)
        kept.put("made", "x")
        if len(waits) == 3:
            raise asyncio.CancelledError

    kept.put("made", "x")
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(held.forget_regularly(900, sleep=sleep))
    assert waits == [900, 900, 900]
    assert kept.get("made") == "x"  # the last wait was cancelled: nothing emptied after it


def test_the_app_forgets_regularly_while_it_serves(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    periods: list[float] = []
    stopped = asyncio.Event()

    async def forget_regularly(every: float) -> None:
        periods.append(every)
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    monkeypatch.setattr(held, "forget_regularly", forget_regularly)
    app = web_app.create_app(settings.model_copy(update={"kept_minutes": 7}))
    with TestClient(app) as http:
        assert http.get("/api/v1/ping").status_code == 200
        assert periods == [7 * 60]
        assert not stopped.is_set()
    assert stopped.is_set()  # cancelled when the app stops


def test_the_default_is_a_quarter_of_an_hour() -> None:
    assert Settings.model_fields["kept_minutes"].default == 15
