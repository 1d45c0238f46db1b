"""The writer queue of a SQLite file shared by processes (``db/writer_lock.py``): a writer in one
process holds the file's lock (``<database>-writers``, 0600) from its first write statement to
its commit or rollback; a writer elsewhere waits for it there, not in SQLite's busy handler,
and goes on once it is let go of, also when the holder is killed; a forked child does not
inherit its parent's turn."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from sciatica_care.db.engine import Database
from sciatica_care.db.writer_lock import SUFFIX, WriterQueue, writer_queue_for

#: How long a thread is given to (wrongly) get past a held lock before it is called blocked: a
#: bound on a wait, not a measure of speed (a working lock never lets it through).
BLOCKED_SECONDS = 0.5
WAIT_SECONDS = 30

HOLDER = """
import sys
from sqlalchemy import text
from sciatica_care.db.engine import Database

database = Database(sys.argv[1])
with database.session() as db:
    db.execute(text("INSERT INTO notes (n) VALUES (1)"))
    print("holding", flush=True)
    if sys.stdin.readline().strip() == "commit":
        db.commit()
        print("committed", flush=True)
        sys.stdin.readline()
"""


@pytest.fixture
def database_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "queue.db"
    database = Database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (n INTEGER NOT NULL)"))
    database.dispose()
    yield path


def _held_elsewhere(lock_file: Path) -> bool:
    """Whether some open description of ``lock_file`` other than a new one holds its flock."""
    fd = os.open(lock_file, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # (closing the probe's own description lets go of what it took)
    return False


def _write_in_thread(database: Database, n: int, errors: list[BaseException]) -> threading.Thread:
    def write() -> None:
        try:
            with database.session() as db:
                db.execute(text("INSERT INTO notes (n) VALUES (:n)"), {"n": n})
                db.commit()
        except BaseException as failure:  # shown by the test
            errors.append(failure)

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def _holder(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, f"sqlite:///{path}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_two_queues_on_one_file_take_turns_and_the_lock_file_is_private(tmp_path: Path) -> None:
    """Two descriptions of the file (two processes, as far as ``flock`` is concerned): the
    second waits until the first lets go; a queue on another file does not wait."""
    lock_file = str(tmp_path / f"a.db{SUFFIX}")
    first, second = WriterQueue(lock_file), WriterQueue(lock_file)
    assert first.acquire(timeout=1)
    assert stat.S_IMODE(os.stat(lock_file).st_mode) == 0o600
    order: list[str] = []
    waiting = threading.Thread(target=lambda: (second.acquire(timeout=1), order.append("second")))
    waiting.start()
    waiting.join(BLOCKED_SECONDS)
    assert waiting.is_alive() and order == []  # blocked on the file while the first holds it
    other = WriterQueue(str(tmp_path / f"b.db{SUFFIX}"))
    assert other.acquire(timeout=1)
    other.release()
    order.append("first lets go")
    first.release()
    waiting.join(WAIT_SECONDS)
    assert order == ["first lets go", "second"]
    second.release()


def test_engines_of_one_process_share_one_queue_per_file(tmp_path: Path) -> None:
    """Every engine on a file shares the process's queue (so a thread never waits on the file
    for a turn its own process holds); an in-memory database has one of its own."""
    name = str(tmp_path / "c.db")
    assert writer_queue_for(name) is writer_queue_for(str(tmp_path / "." / "c.db"))
    assert writer_queue_for(None) is not writer_queue_for(None)
    assert writer_queue_for(None).lock_file is None


def test_a_writer_waits_for_another_process_s_transaction_and_goes_on_at_its_commit(
    database_file: Path,
) -> None:
    holder = _holder(database_file)
    database = Database(f"sqlite:///{database_file}")
    errors: list[BaseException] = []
    try:
        assert _held_elsewhere(Path(f"{database_file}{SUFFIX}"))
        writer = _write_in_thread(database, 2, errors)
        writer.join(BLOCKED_SECONDS)
        assert writer.is_alive()
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.write("commit\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "committed"
        writer.join(WAIT_SECONDS)
        assert not writer.is_alive() and errors == []
        with database.session() as db:
            assert sorted(db.scalars(text("SELECT n FROM notes"))) == [1, 2]
    finally:
        holder.kill()
        holder.wait()
        database.dispose()


def test_a_killed_holder_lets_the_next_writer_in(database_file: Path) -> None:
    """``kill -9`` in the middle of a transaction: the kernel lets go of the process's lock,
    SQLite rolls its write back, and a waiting writer goes on."""
    holder = _holder(database_file)
    database = Database(f"sqlite:///{database_file}")
    errors: list[BaseException] = []
    try:
        writer = _write_in_thread(database, 3, errors)
        writer.join(BLOCKED_SECONDS)
        assert writer.is_alive()
        holder.kill()
        holder.wait()
        writer.join(WAIT_SECONDS)
        assert not writer.is_alive() and errors == []
        assert not _held_elsewhere(Path(f"{database_file}{SUFFIX}"))
        with database.session() as db:
            assert db.scalar(select(func.count()).select_from(text("notes"))) == 1
    finally:
        holder.kill()
        holder.wait()
        database.dispose()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_child_does_not_hold_its_parent_s_turn(tmp_path: Path) -> None:
    queue = WriterQueue(str(tmp_path / f"d.db{SUFFIX}"))
    assert queue.acquire(timeout=1)
    pid = os.fork()
    if pid == 0:
        # The child's copy of the lock file is closed and the process's turn is free (the
        # parent's thread that holds it is not in the child); the file's lock is the parent's,
        # so the child's acquire waits until the parent lets go.
        os._exit(0 if queue._fd is None and queue.acquire(timeout=0) else 1)
    queue.release()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
