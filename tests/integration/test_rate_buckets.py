"""Rate-limit counts shared by every app process (``db/rate_buckets.py``), on SQLite (a file
beside the database) and PostgreSQL (an UNLOGGED table): two limiters over the same database,
as two processes would have, take from one bucket; a bucket refills with time; full buckets
are forgotten; a store that fails leaves the limit to the process; a count that cannot be taken
at once on the event loop is taken on a thread."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database, is_sqlite
from sciatica_care.db.rate_buckets import (
    SQLITE_SUFFIX,
    TABLE,
    Buckets,
    PostgresBuckets,
    SQLiteBuckets,
    StoreBusy,
    Take,
    buckets_for,
)
from sciatica_care.services.throttle import Rate, SharedRateLimiter
from sciatica_care.web.rate_limit import RateLimits


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


TwoProcesses = Callable[[str, Clock], list[SharedRateLimiter]]


@pytest.fixture
def two_processes(database: Database) -> Iterator[TwoProcesses]:
    """Two limiters of a rate, each with an engine and a store of its own over the same
    database, as the app processes of one server (or several machines) have."""
    opened: list[Buckets] = []

    def make(rate: str, clock: Clock) -> list[SharedRateLimiter]:
        limiters = []
        for _ in range(2):
            buckets = buckets_for(database.url)
            assert buckets is not None
            opened.append(buckets)
            limiters.append(SharedRateLimiter("export", Rate.parse(rate), buckets, clock=clock))
        return limiters

    yield make
    for buckets in opened:
        buckets.close()


def test_two_processes_take_from_one_bucket_and_it_refills_with_time(
    two_processes: TwoProcesses,
) -> None:
    clock = Clock()
    first, second = two_processes("4/minute", clock)
    # 4 a minute between them, whichever process a request reaches.
    assert [first.hit("203.0.113.9"), second.hit("203.0.113.9")] == [0, 0]
    assert [second.hit("203.0.113.9"), first.hit("203.0.113.9")] == [0, 0]
    assert first.hit("203.0.113.9") == 15  # one token comes back every 15 seconds
    assert second.hit("203.0.113.9") == 15
    # Another address has a bucket of its own.
    assert first.hit("198.51.100.7") == 0
    clock.now += 14
    assert second.hit("203.0.113.9") == 1
    clock.now += 1
    assert second.hit("203.0.113.9") == 0
    assert first.hit("203.0.113.9") == 15


def test_refused_requests_take_nothing_and_a_clock_gone_back_takes_no_tokens(
    two_processes: TwoProcesses,
) -> None:
    clock = Clock()
    first, second = two_processes("1/minute", clock)
    assert first.hit("a") == 0
    for _ in range(30):
        assert second.hit("a") > 0
        clock.now += 1
    clock.now += 30
    assert first.hit("a") == 0
    # A machine whose clock is behind the others' refills nothing, and takes nothing it has not.
    clock.now -= 3_600
    assert second.hit("a") == 60
    clock.now += 3_600 + 60
    assert second.hit("a") == 0


def test_full_buckets_are_forgotten_at_the_next_sweep(
    database: Database, two_processes: TwoProcesses
) -> None:
    clock = Clock()
    limiter, _other = two_processes("2/minute", clock)
    for key in ("a", "b", "c"):
        limiter.hit(key)  # (the first hit sweeps; the next sweep is a minute later)
    clock.now += 30
    assert limiter.hit("d") == 0
    clock.now += 29
    assert limiter.hit("e") == 0
    assert _keys(database) == {"a", "b", "c", "d", "e"}
    clock.now += 2  # a minute since the last sweep: a, b and c, a whole period unused, go
    assert limiter.hit("f") == 0
    assert _keys(database) == {"d", "e", "f"}


def _keys(database: Database) -> set[str]:
    if is_sqlite(database.url):
        assert database.engine.url.database is not None
        with sqlite3.connect(f"{database.engine.url.database}{SQLITE_SUFFIX}") as connection:
            rows = connection.execute(f"SELECT key FROM {TABLE}").fetchall()
    else:
        with database.engine.connect() as connection:
            rows = list(connection.execute(text(f"SELECT key FROM {TABLE}")))
    return {row[0] for row in rows}


def test_the_store_is_the_database_s_kind(database: Database) -> None:
    buckets = buckets_for(database.url)
    expected = SQLiteBuckets if is_sqlite(database.url) else PostgresBuckets
    assert isinstance(buckets, expected)


def test_an_in_memory_database_counts_in_its_process() -> None:
    assert buckets_for("sqlite://") is None
    assert buckets_for("sqlite:///:memory:") is None


def test_the_sqlite_file_has_the_database_s_mode(tmp_path: Path) -> None:
    database_file = tmp_path / "care.db"
    database_file.touch(mode=0o640)
    os.chmod(database_file, 0o640)
    buckets = SQLiteBuckets(f"{database_file}{SQLITE_SUFFIX}", like=str(database_file))
    assert buckets.take(Take("export", "a", 2, 1.0, 1.0)) == (1.0, True)
    buckets.close()
    mode = stat.S_IMODE(os.stat(f"{database_file}{SQLITE_SUFFIX}").st_mode)
    assert mode == 0o640


def test_a_store_that_fails_leaves_the_limit_to_the_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A folder that is not there: the file cannot be made, so every count fails.
    buckets = SQLiteBuckets(str(tmp_path / "gone" / f"care.db{SQLITE_SUFFIX}"))
    clock = Clock()
    limiter = SharedRateLimiter("export", Rate.parse("2/minute"), buckets, clock=clock)
    with caplog.at_level("WARNING", logger="sciatica_care.services.throttle"):
        assert [limiter.hit("203.0.113.9") for _ in range(3)] == [0, 0, 30]
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        "rate-limit counts could not be shared (FileNotFoundError); counting in this process"
    ]
    assert "203.0.113.9" not in caplog.text


def test_a_database_out_of_reach_leaves_the_limit_to_the_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    buckets = PostgresBuckets("postgresql+psycopg://care@127.0.0.1:1/care")  # nothing listens
    limiter = SharedRateLimiter("slots", Rate.parse("1/minute"), buckets, clock=Clock())
    with caplog.at_level("WARNING", logger="sciatica_care.services.throttle"):
        assert [limiter.hit("203.0.113.9"), limiter.hit("203.0.113.9")] == [0, 60]
    buckets.close()
    assert [r.getMessage() for r in caplog.records] == [
        "rate-limit counts could not be shared (OperationalError); counting in this process"
    ]


def test_a_take_at_once_never_waits_for_a_file_another_process_holds(tmp_path: Path) -> None:
    path = tmp_path / f"care.db{SQLITE_SUFFIX}"
    buckets = SQLiteBuckets(str(path))
    take = partial(buckets.take, Take("export", "a", 2, 0.001, 1.0))
    assert take(at_once=True) == (1.0, True)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing
    with pytest.raises(StoreBusy):  # (waiting would have ended in OperationalError)
        take(at_once=True)
    other.execute("COMMIT")
    other.close()
    assert take(at_once=True) == (0.0, True)  # the refused try took nothing
    buckets.close()


class BusyAtFirst:
    """Buckets whose takes at once find the file held for the global sign-in count."""

    answers_at_once = True

    def __init__(self) -> None:
        self.takes: list[tuple[str, bool, bool]] = []

    def take(self, take: Take, *, at_once: bool = False) -> tuple[float, bool]:
        on_loop = threading.current_thread() is threading.main_thread()
        self.takes.append((take.name, at_once, on_loop))
        if at_once and take.name == "sign_in_all":
            raise StoreBusy
        return take.capacity - 1, True

    def sweep(self, name: str, *, before: float, at_once: bool = False) -> None:
        pass

    def close(self) -> None:
        pass


def test_counts_not_taken_at_once_are_taken_on_a_thread_and_none_twice(tmp_path: Path) -> None:
    buckets = BusyAtFirst()
    settings = Settings(environment="test", data_dir=tmp_path)
    limits = RateLimits(lambda *_: None, settings=settings, buckets=buckets)  # type: ignore[arg-type]
    scope = {"type": "http", "method": "POST", "path": "/login", "client": ("203.0.113.9", 5)}
    assert asyncio.run(limits._wait(limits._counts(scope))) == 0
    assert buckets.takes == [
        ("sign_in", True, True),  # the address's count, on the event loop
        ("sign_in_all", True, True),  # the global one: the file was held
        ("sign_in_all", False, False),  # so it alone was taken again, on a thread
    ]
