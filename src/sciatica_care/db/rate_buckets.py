"""Rate-limit counts shared by every app process: token buckets kept in SQL.

With several app processes (``serve --workers N``) counts kept in each process would let an
address through N times its limit. Here every process takes its tokens from one table:

- PostgreSQL: ``rate_buckets`` in the app's database, an UNLOGGED table (not written to the
  log: fast, emptied after a crash, which only forgets counts), shared by every machine of a
  clinic network;
- SQLite: the same table in a file of its own beside the database (``<database>-rate-limits``,
  with the database file's mode and owner, synchronous=OFF), so that a count never queues
  behind the stored writes for SQLite's one writer; shared by the processes of the machine.

A take is one statement (an INSERT ... ON CONFLICT DO UPDATE ... RETURNING, atomic on both
databases): the bucket is refilled for the time since it was last used, one token taken if
there is one, and what is left returned. No maintained library keeps per-key token buckets in
SQLite or PostgreSQL: ``limits`` stores them in Redis, Memcached or MongoDB, and
pyrate-limiter's SQL buckets count one key per table.

The keys are client addresses (or "all"), never anything of a person's health. A bucket whose
period has gone by since its last use is full again and holds nothing worth keeping: each
process deletes such rows of its limits at most once a minute.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any, Protocol
from weakref import WeakSet

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sciatica_care.db.side_files import open_beside

#: The table's name (PostgreSQL: created by migration 0021; SQLite: by ``SQLiteBuckets``).
TABLE = "rate_buckets"

#: The suffix of the SQLite counts' file beside a database file.
SQLITE_SUFFIX = "-rate-limits"

#: How long a take waits for the SQLite file's lock before the caller counts in its process.
SQLITE_BUSY_TIMEOUT_MS = 2_000

_CREATE_SQLITE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    tokens REAL NOT NULL,
    used_at REAL NOT NULL,
    taken INTEGER NOT NULL,
    PRIMARY KEY (name, key)
) WITHOUT ROWID
"""

# The bucket's level now: what it held, refilled for the time since (never less when a clock
# went back), at most full.
_SINCE = f"(CASE WHEN :now > {TABLE}.used_at THEN :now - {TABLE}.used_at ELSE 0 END)"
_REFILLED = f"{TABLE}.tokens + {_SINCE} * :per_second"
_LEVEL = f"(CASE WHEN {_REFILLED} > :capacity THEN :capacity ELSE {_REFILLED} END)"

#: A level counted as a whole token: refills summed over many steps fall short of 1 by rounding.
WHOLE = 0.999999999

#: Take a token of bucket (name, key) if it has one: returns (tokens left, 1 if taken else 0).
TAKE = f"""
INSERT INTO {TABLE} (name, key, tokens, used_at, taken)
VALUES (:name, :key, :capacity - 1, :now, 1)
ON CONFLICT (name, key) DO UPDATE SET
    tokens = CASE WHEN {_LEVEL} >= {WHOLE} THEN {_LEVEL} - 1 ELSE {_LEVEL} END,
    used_at = :now,
    taken = CASE WHEN {_LEVEL} >= {WHOLE} THEN 1 ELSE 0 END
RETURNING tokens, taken
"""

#: Forget the buckets of ``name`` unused for a whole period (they are full again).
SWEEP = f"DELETE FROM {TABLE} WHERE name = :name AND used_at < :before"


@dataclass(frozen=True, slots=True)
class Take:
    """One take of a token: bucket ``key`` of limit ``name``, which holds up to ``capacity``
    tokens and gets ``per_second`` back, at ``now`` (the wall clock, seconds)."""

    name: str
    key: str
    capacity: float
    per_second: float
    now: float

    def parameters(self) -> dict[str, object]:
        """The TAKE statement's parameters."""
        return {
            "name": self.name,
            "key": self.key,
            "capacity": float(self.capacity),
            "per_second": self.per_second,
            "now": self.now,
        }


class StoreBusy(Exception):
    """A take asked for ``at_once`` would have had to wait (another process holds the file)."""


class Buckets(Protocol):
    """Where the buckets are kept."""

    #: Whether a take ``at_once`` is worth trying on the event loop: local, in microseconds,
    #: and never waiting (it raises StoreBusy instead).
    answers_at_once: bool

    def take(self, take: Take, *, at_once: bool = False) -> tuple[float, bool]:
        """Take a token if the bucket has one: (tokens left, whether one was taken)."""
        ...

    def sweep(self, name: str, *, before: float, at_once: bool = False) -> None:
        """Delete the buckets of ``name`` last used before ``before``."""
        ...

    def close(self) -> None:
        """Close the connections (a later take opens one again)."""
        ...


#: Connections a process keeps for its counts on PostgreSQL (the middleware's count threads).
POSTGRES_CONNECTIONS = 4


class PostgresBuckets:
    """The buckets in the app's PostgreSQL database, on connections of their own.

    Their own pool (up to ``POSTGRES_CONNECTIONS`` a process), in autocommit, with no pre-ping
    and no rollback on return: a take is one statement and one round trip. A connection the
    server dropped fails its take (counted in the process that once) and is replaced.
    """

    answers_at_once = False

    def __init__(self, database_url: str) -> None:
        self._engine = create_engine(
            database_url,
            isolation_level="AUTOCOMMIT",
            pool_size=POSTGRES_CONNECTIONS,
            max_overflow=0,
            pool_timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
            pool_reset_on_return=None,
            hide_parameters=True,  # keys are client addresses: kept out of error messages
        )
        self._take = text(TAKE)
        self._sweep = text(SWEEP)

    def take(self, take: Take, *, at_once: bool = False) -> tuple[float, bool]:
        with self._engine.connect() as connection:
            row = connection.execute(self._take, take.parameters()).one()
        return float(row[0]), bool(row[1])

    def sweep(self, name: str, *, before: float, at_once: bool = False) -> None:
        with self._engine.connect() as connection:
            connection.execute(self._sweep, {"name": name, "before": before})

    def close(self) -> None:
        self._engine.dispose()


class SQLiteBuckets:
    """The buckets in a SQLite file of their own, one connection per thread.

    A take ``at_once`` (on the event loop: some 20 µs) never waits for the file: its
    connection has no busy timeout, and a file another process holds raises StoreBusy, so the
    caller takes its turn on a thread instead, whose connections wait up to the busy timeout.
    """

    answers_at_once = True

    def __init__(self, path: str, *, like: str | None = None) -> None:
        self.path = path
        self._like = like
        self._local = threading.local()
        # Weakly: a connection goes with its thread (the count threads end when idle).
        self._opened: WeakSet[_Connection] = WeakSet()
        self._opened_lock = threading.Lock()

    def _connection(self, *, at_once: bool) -> sqlite3.Connection:
        mine: dict[bool, sqlite3.Connection] | None = getattr(self._local, "connections", None)
        if mine is None or getattr(self._local, "pid", None) != os.getpid():
            mine = self._local.connections = {}
            self._local.pid = os.getpid()
        connection = mine.get(at_once)
        if connection is None:
            os.close(open_beside(self.path, self._like))  # (made like the database)
            connection = sqlite3.connect(
                self.path,
                timeout=0 if at_once else SQLITE_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # autocommit: each statement is its own transaction
                check_same_thread=False,
                factory=_Connection,
            )
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                # Counts need not survive a power cut: nothing waits for the disk.
                connection.execute("PRAGMA synchronous=OFF")
                connection.execute(_CREATE_SQLITE)
            except BaseException:
                connection.close()
                raise
            with self._opened_lock:
                self._opened.add(connection)
            mine[at_once] = connection
        return connection

    def _execute(self, statement: str, parameters: dict[str, object], *, at_once: bool) -> Any:
        try:
            return self._connection(at_once=at_once).execute(statement, parameters).fetchone()
        except sqlite3.OperationalError as failure:
            if at_once and failure.sqlite_errorcode & 0xFF in _BUSY:
                raise StoreBusy from None
            raise

    def take(self, take: Take, *, at_once: bool = False) -> tuple[float, bool]:
        row = self._execute(TAKE, take.parameters(), at_once=at_once)
        return float(row[0]), bool(row[1])

    def sweep(self, name: str, *, before: float, at_once: bool = False) -> None:
        self._execute(SWEEP, {"name": name, "before": before}, at_once=at_once)

    def close(self) -> None:
        with self._opened_lock:
            opened, self._opened = list(self._opened), WeakSet()
        for connection in opened:
            connection.close()
        self._local = threading.local()


class _Connection(sqlite3.Connection):
    """A sqlite3 connection that can be referred to weakly."""


#: What a take at once finds when another connection holds the file (or a table of it).
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def buckets_for(database_url: str) -> Buckets | None:
    """The shared buckets of the app's database: None for an in-memory SQLite database (one
    process only, which keeps its counts itself)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresBuckets(database_url)
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI database (tests' shared memory): no file beside it
    return SQLiteBuckets(f"{database}{SQLITE_SUFFIX}", like=database)
