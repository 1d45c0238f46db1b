"""Double booking is impossible over HTTP: 32 clients post overlapping times for one therapist
at once to a real uvicorn server (SQLite and PostgreSQL), in one process and in two started as
``sciatica-care serve`` starts them (on SQLite, two processes share the database's writer queue:
``db/writer_lock.py``). Exactly one wins; every other gets a clear refusal naming
``starts_at``; the database holds one booking."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import Booking
from tests.booking_setup import days_ahead
from tests.integration.booking_load import double_bookings, prepare, race
from tests.integration.server_process import free_port, start_server, stop_server

RACERS = 32


@pytest.mark.parametrize("processes", [1, 2])
def test_32_racing_http_bookings_get_exactly_one_slot(
    database_url: str, tmp_path: Path, processes: int
) -> None:
    database = Database(database_url)
    (therapist,), tokens = prepare(database, RACERS)
    # Overlapping wanted times: 10:00, 10:30 and 11:00 for an hour (plus 15 minutes after).
    wanted = [
        (token, therapist, days_ahead(3) + timedelta(minutes=30 * (i % 3)))
        for i, token in enumerate(tokens)
    ]
    port = free_port()
    server = start_server(
        database_url, tmp_path / "data", port, workers=processes, serve=processes > 1
    )
    try:
        answers = asyncio.run(race(f"http://127.0.0.1:{port}", wanted))
    finally:
        stop_server(server)
    won = [a for a in answers if a.status == 201]
    lost = [a for a in answers if a.status != 201]
    assert len(won) == 1, sorted(a.status for a in answers)
    assert all(a.status in {409, 422} and a.fields == ("starts_at",) for a in lost), lost
    assert double_bookings(database) == 0
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(Booking)) == 1
    database.dispose()
