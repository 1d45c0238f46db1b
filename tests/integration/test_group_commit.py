"""SQLite group commit (db/group_commit.py): at the default ``full`` level a commit that wrote
returns only after a sync of the WAL that started after it; reads and a read's bookkeeping
commit without one; commits that wait while a sync runs share the next one; a failed sync
fails its commit. (That an acknowledged write survives ``kill -9`` is test_durability's.)"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from sciatica_care.db import group_commit
from sciatica_care.db.engine import Database
from sciatica_care.db.group_commit import WalSync
from sciatica_care.db.read_commits import bookkeeping_only

WAIT_SECONDS = 30


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files synced by group commit (really synced too)."""
    paths: list[str] = []
    real = group_commit.sync_file

    def recording(path: str) -> None:
        real(path)
        paths.append(path)

    monkeypatch.setattr(group_commit, "sync_file", recording)
    return paths


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'group.db'}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (n INTEGER NOT NULL)"))
    yield database
    database.dispose()


def _write(database: Database, n: int = 1) -> None:
    with database.session() as db:
        db.execute(text("INSERT INTO notes (n) VALUES (:n)"), {"n": n})
        db.commit()


def test_a_write_s_commit_syncs_the_wal(
    database: Database, synced: list[str], tmp_path: Path
) -> None:
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    _write(database)
    assert synced == [str(tmp_path / "group.db") + "-wal"]
    _write(database)
    assert len(synced) == 2


def test_reads_and_a_read_s_bookkeeping_commit_without_a_sync(
    database: Database, synced: list[str]
) -> None:
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(text("notes"))) == 0
        db.commit()
    assert synced == []
    with database.session() as db:
        bookkeeping_only(db)
        db.execute(text("INSERT INTO notes (n) VALUES (1)"))
        db.commit()
    assert synced == []
    _write(database)  # the next write waits for the disk again
    assert len(synced) == 1


def test_normal_and_in_memory_databases_do_not_sync(tmp_path: Path, synced: list[str]) -> None:
    normal = Database(f"sqlite:///{tmp_path / 'normal.db'}", sqlite_synchronous="normal")
    memory = Database("sqlite://")
    try:
        for database, level in ((normal, 1), (memory, 2)):
            with database.engine.begin() as connection:
                assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == level
                connection.execute(text("CREATE TABLE notes (n INTEGER NOT NULL)"))
            _write(database)
    finally:
        normal.dispose()
        memory.dispose()
    assert synced == []


def test_concurrent_writers_all_land_with_no_more_syncs_than_commits(
    database: Database, synced: list[str]
) -> None:
    threads = [
        threading.Thread(target=lambda k=k: [_write(database, k) for _ in range(5)])
        for k in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS)
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(text("notes"))) == 40
    assert 1 <= len(synced) <= 40


def _until(condition: object, what: str) -> None:
    """Wait (bounded) until ``condition()`` holds: another thread is getting there."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.001)


def test_commits_that_wait_for_a_running_sync_share_the_next_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wal = tmp_path / "x.db-wal"
    wal.write_bytes(b"")
    events: list[str] = []
    release = threading.Event()
    first_started = threading.Event()

    def blocking(path: str) -> None:
        number = sum(e.startswith("sync started") for e in events) + 1
        events.append(f"sync started {number}")
        if number == 1:
            first_started.set()
            assert release.wait(WAIT_SECONDS)
        events.append(f"sync ended {number}")

    monkeypatch.setattr(group_commit, "sync_file", blocking)
    syncs = WalSync(str(wal))

    def commit(name: str) -> None:
        syncs.sync()
        events.append(f"{name} told saved")

    first = threading.Thread(target=commit, args=("a",))
    first.start()
    assert first_started.wait(WAIT_SECONDS)
    later = [threading.Thread(target=commit, args=(name,)) for name in ("b", "c")]
    for thread in later:
        thread.start()
    _until(lambda: syncs.asked == 3, "b and c to ask for a sync")
    assert all(thread.is_alive() for thread in later)  # the running sync does not cover them
    release.set()
    for thread in [first, *later]:
        thread.join(WAIT_SECONDS)
    assert syncs.syncs == 2  # three commits, two syncs
    assert events.index("a told saved") > events.index("sync ended 1")
    for name in ("b", "c"):
        assert events.index(f"{name} told saved") > events.index("sync ended 2")


def test_a_failed_sync_fails_its_commit_and_the_next_commit_syncs_again(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = group_commit.sync_file

    def failing_once(path: str) -> None:
        calls.append(path)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        real(path)

    monkeypatch.setattr(group_commit, "sync_file", failing_once)
    with pytest.raises(OSError):
        _write(database, 1)
    _write(database, 2)
    assert len(calls) == 2
