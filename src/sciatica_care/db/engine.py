"""Engines and sessions. SQLite gets WAL, a busy timeout and foreign keys on every connection."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(database_url: str) -> bool:
    """Whether the URL names a SQLite database."""
    return database_url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside a writer; synchronous=FULL makes a committed write survive a
    # killed process and a power cut; the busy timeout makes concurrent writers wait, not fail.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(database_url: str, **options: Any) -> Engine:
    """An engine for ``database_url``; SQLite connections are configured for safe concurrency."""
    # Parameters hold health data: keep them out of logs and error messages.
    options.setdefault("hide_parameters", True)
    if is_sqlite(database_url):
        options.setdefault("connect_args", {"check_same_thread": False, "timeout": 10})
        engine = create_engine(database_url, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options.setdefault("pool_pre_ping", True)
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 30)
    return create_engine(database_url, **options)


class Database:
    """An engine and its session factory; a Session is the unit of work services receive."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.engine = make_engine(database_url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        """A new unit of work; the caller closes it (use it as a context manager)."""
        return self.sessions()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
