"""Engines and sessions. SQLite gets WAL, a busy timeout and foreign keys on every connection."""

from __future__ import annotations

import os
import sqlite3
from functools import partial
from pathlib import Path
from typing import Any

from pydantic_core import from_json, to_json
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Every unit of work moves a person's diary version when it changes their diary or assessments
# (record_versions); reads whose only writes keep the books commit without waiting for the disk
# (read_commits).
from sciatica_care.db import group_commit, read_commits, record_versions  # noqa: F401
from sciatica_care.db.writer_lock import WriterQueue, writer_queue_for

SQLITE_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(database_url: str) -> bool:
    """Whether the URL names a SQLite database."""
    return database_url.startswith("sqlite")


#: ``synchronous`` levels a SQLite database may be run at (WAL mode; see ``_sqlite_pragmas``).
SQLITE_SYNCHRONOUS = ("full", "normal")


def _sqlite_pragmas(synchronous: str, dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside a writer; the busy timeout makes concurrent writers wait, not
    # fail. synchronous=FULL (the default) syncs the WAL at every commit, so a committed write
    # survives a killed process, an OS crash and a power cut (for a database file, by group
    # commit: see below and db/group_commit.py); NORMAL syncs only at checkpoints:
    # a committed write survives a killed process (the WAL is in the OS's cache) but the last
    # commits before a power cut or OS crash may be lost (the database stays consistent).
    cursor = dbapi_connection.cursor()
    mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    level = synchronous.upper()
    if (
        level == "FULL"
        and group_commit.AVAILABLE
        and str(mode).lower() == "wal"
        and hasattr(dbapi_connection, "wal_sync")
    ):
        # FULL's durability by group commit (db/group_commit.py): SQLite at NORMAL, and each
        # commit that wrote waits for a sync of the WAL that started after it.
        main_file = cursor.execute("PRAGMA database_list").fetchone()[2]
        if main_file:
            dbapi_connection.wal_sync = group_commit.wal_sync_for(main_file)
            level = "NORMAL"
    cursor.execute(f"PRAGMA synchronous={level}")
    if hasattr(dbapi_connection, "configured_synchronous"):
        dbapi_connection.configured_synchronous = dbapi_connection.synchronous = level
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writer_connection(lock: WriterQueue) -> type[sqlite3.Connection]:
    """A sqlite3 connection class that queues writers on ``lock`` (``db/writer_lock.py``: the
    threads of this process, then the processes, on one database file).

    SQLite lets one writer in at a time anyway; a second one waits in SQLite's busy handler,
    which polls with sleeps of up to 100 ms, so under concurrent writes most of the wait is
    sleeping while the database is free. Here a writer takes ``lock`` at its first write
    statement and gives it back when the transaction ends (commit, rollback or close), so the
    next writer starts the moment the previous one committed. Same transactions, same order of
    effects. If this process's turn is not free within the busy timeout the write goes ahead
    and SQLite decides, as before.
    """

    class WriterQueuedConnection(sqlite3.Connection):
        holds_write_lock = False
        went_ahead = False
        write_lock_pid = 0
        #: The ``synchronous`` level the engine was made with, and the one set on this
        #: connection now (``_sqlite_pragmas`` sets the first at connect).
        configured_synchronous = "FULL"
        synchronous = "FULL"
        #: This transaction's writes only keep the books of reads (``db/read_commits.py``):
        #: committed at NORMAL, they do not wait for the disk.
        bookkeeping = False
        #: Group commit (``_sqlite_pragmas``): a commit that wrote returns once the WAL is
        #: synced. None: SQLite's own level decides (an in-memory database, or ``normal``).
        wal_sync: group_commit.WalSync | None = None
        #: ``total_changes`` when the last transaction ended, and whether a statement since
        #: then changed the schema (``_queue_writers``).
        changes_seen = 0
        changed_schema = False

        def begin_write(self) -> None:
            if not self.holds_write_lock and not self.went_ahead:
                self.holds_write_lock = lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
                self.write_lock_pid = os.getpid()
                # Past the timeout the transaction goes on without the queue, and does not
                # queue again at its next write: it may hold SQLite's lock by then, and a
                # writer holding the queue could be waiting for it.
                self.went_ahead = not self.holds_write_lock
                # SQLite takes a new level only outside a transaction: here, before the BEGIN
                # of the transaction's first write.
                wanted = "NORMAL" if self.bookkeeping else self.configured_synchronous
                if wanted != self.synchronous and not self.in_transaction:
                    self.execute(f"PRAGMA synchronous={wanted}")
                    self.synchronous = wanted

        def end_write(self, *, still_open: bool = True) -> None:
            # The queue first: nothing below may keep the next writer waiting.
            self.went_ahead = False
            if self.holds_write_lock:
                self.holds_write_lock = False
                if self.write_lock_pid == os.getpid():  # (not a turn taken before a fork)
                    lock.release()
            self.bookkeeping = False
            self.changed_schema = False
            if still_open:  # (a closed connection has no changes to read)
                self.changes_seen = self.total_changes

        def commit(self) -> None:
            # A commit that wrote: an open transaction (DML), or rows changed or schema made
            # outside one (DDL, which Python's sqlite3 runs in autocommit, or a RELEASE).
            wrote = (
                self.in_transaction
                or self.total_changes != self.changes_seen
                or self.changed_schema
            )
            wal_sync = self.wal_sync if wrote and not self.bookkeeping else None
            try:
                super().commit()
            finally:
                self.end_write()
            # After the writer queue is free: the next writer commits while this one's sync
            # runs, and waits for the next sync, which covers every commit before it.
            if wal_sync is not None:
                wal_sync.sync()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self.end_write()

        def close(self) -> None:
            try:
                super().close()
            finally:
                self.end_write(still_open=False)

    return WriterQueuedConnection


_SCHEMA = ("CREATE", "ALTER", "DROP")


def _queue_writers(_conn: Any, cursor: Any, statement: str, *_args: Any, **_kwargs: Any) -> None:
    head = statement.lstrip()[:7].upper()
    if head.startswith(_WRITES):
        begin_write = getattr(cursor.connection, "begin_write", None)
        if begin_write is not None:
            begin_write()
    elif head.startswith(_SCHEMA) and hasattr(cursor.connection, "changed_schema"):
        cursor.connection.changed_schema = True


def _database_file(database_url: str) -> str | None:
    """The file a SQLite URL names; None for an in-memory database or a URI's."""
    url = make_url(database_url)
    name = url.database or ""
    if not name or name == ":memory:" or name.startswith("file:") or url.query.get("mode"):
        return None
    return name


def create_private_sqlite_file(database_url: str) -> None:
    """Create the SQLite file of ``database_url`` readable and writable by its owner only (0600),
    in a folder only its owner can enter when the folder is made here (0700).

    SQLite gives its -wal and -shm files the database file's mode, so they are private too. An
    existing file is left as it is; in-memory databases have no file.
    """
    name = _database_file(database_url)
    if name is None:
        return
    path = Path(name)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


class JSONText(str):
    """JSON text already encoded, for a JSON column: written as it is (a value encoded once,
    for the row and for an answer that carries the same text: ``services/assessments.py``)."""

    __slots__ = ()


def _to_json(value: Any) -> str:
    if type(value) is JSONText:
        return value
    return to_json(value).decode()


def make_engine(database_url: str, *, sqlite_synchronous: str = "full", **options: Any) -> Engine:
    """An engine for ``database_url``; SQLite connections are configured for safe concurrency
    (``sqlite_synchronous``: "full" or "normal", see ``_sqlite_pragmas``)."""
    # Parameters hold health data: keep them out of logs and error messages.
    options.setdefault("hide_parameters", True)
    # JSON columns (answers, results) are written by pydantic-core's encoder: the same JSON as
    # the standard library's, several times faster on a stored result.
    options.setdefault("json_serializer", _to_json)
    # ... and read by its parser (a kept trend's year of days, a stored result): the same values.
    options.setdefault("json_deserializer", from_json)
    if is_sqlite(database_url):
        create_private_sqlite_file(database_url)
        connect_args: dict[str, Any] = {
            "check_same_thread": False,
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
        }
        if make_url(database_url).get_driver_name() == "pysqlite":
            queue = writer_queue_for(_database_file(database_url))
            connect_args["factory"] = _writer_connection(queue)
        options.setdefault("connect_args", connect_args)
        engine = create_engine(database_url, **options)
        if sqlite_synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"sqlite_synchronous must be one of {SQLITE_SYNCHRONOUS}")
        event.listen(engine, "connect", partial(_sqlite_pragmas, sqlite_synchronous))
        event.listen(engine, "before_cursor_execute", _queue_writers)
        return engine
    options.setdefault("pool_pre_ping", True)
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 30)
    engine = create_engine(database_url, **options)
    read_commits.watch_postgres_writes(engine)
    if engine.dialect.driver == "psycopg":
        # Imported here: psycopg is loaded for PostgreSQL only (SQLite starts without it).
        from sciatica_care.db.kept_statements import keep_prepared_statements

        keep_prepared_statements(engine)
    return engine


class Database:
    """An engine and its session factory; a Session is the unit of work services receive."""

    def __init__(self, database_url: str, *, sqlite_synchronous: str = "full") -> None:
        self.url = database_url
        self.engine = make_engine(database_url, sqlite_synchronous=sqlite_synchronous)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        """A new unit of work; the caller closes it (use it as a context manager)."""
        return self.sessions()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
