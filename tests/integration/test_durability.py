"""A write the API acknowledged is never lost: the server process is killed (SIGKILL) in the
middle of a write load on SQLite, restarted, and every acknowledged check-in is still there."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.tables import DiaryEntry
from sciatica_care.services.accounts import create_user, log_in
from sciatica_care.services.api_tokens import create_api_token
from tests.integration.server_process import free_port, start_server, stop_server

WRITERS = 4


def make_token(database_url: str, data_dir: Path) -> str:
    upgrade(database_url)
    database = Database(database_url)
    with database.session() as db:
        create_user(db, email="writer@example.org", password="long enough password")
        db.commit()
        settings = Settings(environment="test", data_dir=data_dir, database_url=database_url)
        signed_in = log_in(
            db, settings=settings, email="writer@example.org", password="long enough password"
        )
        token = create_api_token(db, actor=signed_in.actor, name="load", scope="write").token
    database.dispose()
    return token


def stored_ids(database_url: str) -> set[str]:
    database = Database(database_url)
    with database.session() as db:
        ids = set(db.scalars(select(DiaryEntry.id)).all())
    database.dispose()
    return ids


def test_every_acknowledged_write_survives_a_killed_server(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'durable.db'}"
    token = make_token(database_url, tmp_path / "data")
    port = free_port()
    server = start_server(database_url, tmp_path, port)
    acknowledged: list[str] = []
    refused = 0
    stop = threading.Event()
    lock = threading.Lock()

    def write_load() -> None:
        nonlocal refused
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        ) as http:
            while not stop.is_set():
                try:
                    response = http.post("/api/v1/diary", json={"leg_pain": 4, "back_pain": 2})
                except httpx.TransportError:
                    return  # the server is gone: nothing more can be acknowledged
                with lock:
                    if response.status_code == 201:
                        acknowledged.append(response.json()["id"])
                    else:
                        refused += 1

    writers = [threading.Thread(target=write_load) for _ in range(WRITERS)]
    try:
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 20
        while len(acknowledged) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)
        server.wait()
        stop.set()
        for writer in writers:
            writer.join(timeout=10)
    finally:
        stop.set()
        stop_server(server)

    assert len(acknowledged) >= 100
    assert refused == 0
    restarted = start_server(database_url, tmp_path, port)
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}
        ) as http:
            listed = {e["id"] for e in http.get("/api/v1/diary?limit=2000").json()}
    finally:
        stop_server(restarted)
    missing = set(acknowledged) - stored_ids(database_url)
    assert missing == set()
    assert set(acknowledged) <= listed
