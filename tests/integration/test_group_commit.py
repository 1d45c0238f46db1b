"""SQLite group commit (db/group_commit.py): at the default ``full`` level a commit that wrote
returns only after a sync of the WAL that started after it (schema changes and writes outside
a transaction too); reads and a read's bookkeeping commit without one; the writer queue is free
during a sync; commits that wait while a sync runs share the next one; a failed sync fails its
commit and every later one. (That an acknowledged write survives ``kill -9``: test_durability.)"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from sciatica_care.db import group_commit
from sciatica_care.db.engine import Database
from sciatica_care.db.group_commit import WalSync, WalSyncFailed
from sciatica_care.db.read_commits import bookkeeping_only

WAIT_SECONDS = 30


@dataclass
class Synced:
    """The files group commit synced (really synced too), and the rows of ``notes`` another
    connection could read as each sync began."""

    paths: list[str] = field(default_factory=list)
    visible: list[int] = field(default_factory=list)


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> Synced:
    seen = Synced()
    real = group_commit.sync_file

    def recording(path: str) -> None:
        with closing(sqlite3.connect(path.removesuffix("-wal"))) as other:
            try:
                rows = other.execute("SELECT count(*) FROM notes").fetchone()[0]
            except sqlite3.OperationalError:  # no notes table yet
                rows = 0
        real(path)
        seen.paths.append(path)
        seen.visible.append(rows)

    monkeypatch.setattr(group_commit, "sync_file", recording)
    return seen


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


def test_a_write_s_commit_syncs_the_wal_after_committing(
    database: Database, synced: Synced, tmp_path: Path
) -> None:
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    synced.paths.clear()
    _write(database)
    assert synced.paths == [str(tmp_path / "group.db") + "-wal"]
    _write(database)
    assert len(synced.paths) == 2
    assert synced.visible[-2:] == [1, 2]  # each sync began after its commit


def test_schema_changes_and_writes_outside_a_transaction_sync_too(
    database: Database, synced: Synced
) -> None:
    """Python's sqlite3 opens a transaction only before INSERT, UPDATE, DELETE and REPLACE: a
    CREATE, or an INSERT behind a WITH, commits on its own and must be synced all the same."""
    synced.paths.clear()
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE more_notes (n INTEGER NOT NULL)"))
    assert len(synced.paths) == 1
    with database.session() as db:
        db.execute(text("WITH five AS (SELECT 5 AS n) INSERT INTO notes (n) SELECT n FROM five"))
        db.commit()
    assert len(synced.paths) == 2


def test_reads_and_a_read_s_bookkeeping_commit_without_a_sync(
    database: Database, synced: Synced
) -> None:
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(text("notes"))) == 0
        db.commit()
    assert synced.paths == []
    with database.session() as db:
        bookkeeping_only(db)
        db.execute(text("INSERT INTO notes (n) VALUES (1)"))
        db.commit()
    assert synced.paths == []
    _write(database)  # the next write waits for the disk again
    assert len(synced.paths) == 1


def test_normal_and_in_memory_databases_do_not_sync(tmp_path: Path, synced: Synced) -> None:
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
    assert synced.paths == []


def test_concurrent_writers_all_land_with_no_more_syncs_than_commits(
    database: Database, synced: Synced
) -> None:
    failures: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            for _ in range(5):
                _write(database, k)
        except BaseException as failure:  # reported below, not lost in the thread
            failures.append(failure)

    synced.paths.clear()
    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(text("notes"))) == 40
    assert 1 <= len(synced.paths) <= 40


def test_the_writer_queue_is_free_while_a_commit_waits_for_its_sync(
    database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The next writer writes and commits while the previous commit's sync runs."""
    release = threading.Event()
    first_sync = threading.Event()
    real = group_commit.sync_file

    def held_once(path: str) -> None:
        if not first_sync.is_set():
            first_sync.set()
            assert release.wait(WAIT_SECONDS)
        real(path)

    monkeypatch.setattr(group_commit, "sync_file", held_once)
    first = threading.Thread(target=_write, args=(database, 1))
    first.start()
    assert first_sync.wait(WAIT_SECONDS)
    second = threading.Thread(target=_write, args=(database, 2))
    second.start()
    with closing(sqlite3.connect(tmp_path / "group.db")) as other:
        _until(
            lambda: other.execute("SELECT count(*) FROM notes WHERE n = 2").fetchone()[0] == 1,
            "the second writer's commit while the first one's sync is held",
        )
    assert first.is_alive() and second.is_alive()  # neither is told saved before a sync
    release.set()
    for thread in (first, second):
        thread.join(WAIT_SECONDS)
        assert not thread.is_alive()


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


def test_a_failed_sync_fails_its_commit_and_every_later_one(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a failed fsync a retry may succeed without the lost pages (Linux marks them clean),
    so no later commit is told it is saved: the app must be restarted."""
    calls: list[str] = []
    real = group_commit.sync_file

    def failing_once(path: str) -> None:
        calls.append(path)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        real(path)

    monkeypatch.setattr(group_commit, "sync_file", failing_once)
    with pytest.raises(WalSyncFailed):
        _write(database, 1)
    with pytest.raises(WalSyncFailed):
        _write(database, 2)
    assert len(calls) == 1


def test_a_connection_closed_in_the_middle_of_a_write_frees_the_writer_queue(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Closing a connection that holds the writer queue (a write begun, never committed) lets
    the next writer in at once, and closes without an error."""
    raw = database.engine.raw_connection()
    try:
        raw.cursor().execute("SELECT 1")
        connection = raw.driver_connection
        connection.begin_write()  # type: ignore[union-attr]
        assert connection.holds_write_lock  # type: ignore[union-attr]
    finally:
        raw.invalidate()  # closes the DB-API connection
    other = database.engine.raw_connection()
    try:
        queued = other.driver_connection
        queued.begin_write()  # type: ignore[union-attr]
        # Taken, not given up on after the busy timeout: the closed connection let it go.
        assert queued.holds_write_lock  # type: ignore[union-attr]
        queued.end_write()  # type: ignore[union-attr]
    finally:
        other.close()
    _write(database, 3)
    assert "Exception closing connection" not in caplog.text


def test_a_commit_tells_before_a_sync_only_once_syncs_have_been_slow(
    database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``told_before_slow_sync``: the callback runs before the commit waits for its sync, once
    the syncs' moving average is over ``SLOW_SYNC_SECONDS``; the writer queue is free by then
    and the write is in the WAL."""
    told: list[int] = []

    def callback() -> None:
        with closing(sqlite3.connect(tmp_path / "group.db")) as other:
            told.append(other.execute("SELECT count(*) FROM notes").fetchone()[0])
        other_writer = database.engine.raw_connection()
        try:
            queued = other_writer.driver_connection
            queued.begin_write()  # type: ignore[union-attr]
            assert queued.holds_write_lock  # type: ignore[union-attr]  (not waited for)
            queued.end_write()  # type: ignore[union-attr]
        finally:
            other_writer.close()

    wal_sync = group_commit.wal_sync_for(str(tmp_path / "group.db"))
    with group_commit.told_before_slow_sync(callback):
        wal_sync.seconds = 0.0  # quick syncs so far: the commit waits for its own in its turn
        monkeypatch.setattr(group_commit, "sync_file", lambda path: None)  # the average stays
        _write(database, 1)
        assert told == []
        wal_sync.seconds = group_commit.SLOW_SYNC_SECONDS * 2
        _write(database, 2)
        assert told == [2]  # both rows committed, before the sync
    _write(database, 3)  # outside the block: nobody is told
    assert told == [2]
