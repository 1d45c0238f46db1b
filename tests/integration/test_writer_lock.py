"""The writer queue of a SQLite file shared by processes (``db/writer_lock.py``): a writer in one
process holds the file's lock (``<database>-writers``, 0600) from its first write statement to
its commit or rollback; a writer elsewhere waits for it there, not in SQLite's busy handler,
and goes on once it is let go of, also when the holder is killed; a forked child does not
inherit its parent's turn; the wait is bounded by the busy timeout."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


HOLD_FILE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # (free: fails rather than waits)
print("holding", flush=True)
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


def _flock(lock_file: Path) -> int:
    """A new description of ``lock_file``, holding its flock (closing it lets go)."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


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

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@contextmanager
def _holding(script: str, argument: str) -> Iterator[subprocess.Popen[str]]:
    """Another process running ``script``, once it has said it holds its lock; killed after."""
    holder = subprocess.Popen(
        [sys.executable, "-c", script, argument],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield holder
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture
def database(database_file: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{database_file}")
    yield database
    database.dispose()


def _blocked_writer(database: Database, n: int) -> tuple[threading.Thread, list[BaseException]]:
    """A thread writing ``n``, checked to be waiting; and the errors it will have met."""
    errors: list[BaseException] = []
    writer = _write_in_thread(database, n, errors)
    writer.join(BLOCKED_SECONDS)
    assert writer.is_alive()
    return writer, errors


def _finished(writer: threading.Thread, errors: list[BaseException]) -> None:
    writer.join(WAIT_SECONDS)
    assert not writer.is_alive() and errors == []


def test_two_queues_on_one_file_take_turns_and_the_lock_file_is_like_the_database(
    tmp_path: Path,
) -> None:
    """Two descriptions of the file (two processes, as far as ``flock`` is concerned): the
    second waits until the first lets go; a queue on another file does not wait."""
    database_file = tmp_path / "a.db"
    database_file.touch(mode=0o640)
    os.chmod(database_file, 0o640)
    first, second = WriterQueue(str(database_file)), WriterQueue(str(database_file))
    order: list[str] = []
    umask = os.umask(0o077)  # the database's mode, whatever the umask (as SQLite's -wal)
    waiting = threading.Thread(
        target=lambda: order.append(f"second {second.acquire(timeout=WAIT_SECONDS)}"),
        daemon=True,
    )
    try:
        assert first.acquire(timeout=1)
    finally:
        os.umask(umask)
    try:
        assert stat.S_IMODE(os.stat(f"{database_file}{SUFFIX}").st_mode) == 0o640
        waiting.start()
        waiting.join(BLOCKED_SECONDS)
        assert waiting.is_alive() and order == []  # waits on the file while the first holds it
        other = WriterQueue(str(tmp_path / "b.db"))
        assert other.acquire(timeout=1)
        assert stat.S_IMODE(os.stat(tmp_path / f"b.db{SUFFIX}").st_mode) == 0o600  # no database
        other.release()
        order.append("first lets go")
    finally:
        first.release()
    waiting.join(WAIT_SECONDS)
    assert order == ["first lets go", "second True"]
    second.release()
    assert first._fd is None and second._fd is None  # nothing stays open between writes


def test_a_writer_gives_up_on_the_file_at_the_timeout_and_holds_nothing(tmp_path: Path) -> None:
    """Bounded as SQLite's busy timeout is: a process stopped in a transaction makes the others
    go ahead (and SQLite decide), not hang."""
    database_file = tmp_path / "t.db"
    fd = _flock(Path(f"{database_file}{SUFFIX}"))
    try:
        queue = WriterQueue(str(database_file))
        assert queue.acquire(timeout=0.05) is False
        assert not queue._threads.locked() and queue._fd is None
    finally:
        os.close(fd)
    assert queue.acquire(timeout=0.05) is True
    queue.release()


def test_a_transaction_that_went_ahead_without_the_queue_does_not_queue_again(
    database_file: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once past the timeout, the transaction's later writes go straight on: it may hold
    SQLite's lock by then, and a writer holding the queue could be waiting for it."""
    queue = writer_queue_for(str(database_file))
    asked: list[float] = []

    def never_free(timeout: float) -> bool:
        asked.append(timeout)
        return False

    monkeypatch.setattr(queue, "acquire", never_free)
    with database.session() as db:
        db.execute(text("INSERT INTO notes (n) VALUES (1)"))
        db.execute(text("INSERT INTO notes (n) VALUES (2)"))
        db.commit()
        db.execute(text("INSERT INTO notes (n) VALUES (3)"))
        db.commit()
    assert len(asked) == 2  # once per transaction


def test_a_file_that_cannot_be_locked_leaves_the_processes_to_sqlite(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / f"u.db{SUFFIX}").mkdir()  # cannot be opened as a file
    queue = WriterQueue(str(tmp_path / "u.db"))
    assert queue.acquire(timeout=1) is True  # the process's turn, without the file's
    queue.release()
    assert queue.lock_file is None
    assert "busy handler" in caplog.text and "u.db" not in caplog.text


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to chown")
def test_run_as_root_the_lock_file_stays_the_database_owner_s(tmp_path: Path) -> None:
    database_file = tmp_path / "r.db"
    database_file.touch()
    os.chown(database_file, 4321, 4322)
    queue = WriterQueue(str(database_file))
    assert queue.acquire(timeout=1)
    queue.release()
    made = os.stat(f"{database_file}{SUFFIX}")
    assert (made.st_uid, made.st_gid) == (4321, 4322)


def test_engines_of_one_process_share_one_queue_per_file(tmp_path: Path) -> None:
    """Every engine on a file shares the process's queue (so a thread never waits on the file
    for a turn its own process holds); an in-memory database has one of its own."""
    name = str(tmp_path / "c.db")
    assert writer_queue_for(name) is writer_queue_for(str(tmp_path / "." / "c.db"))
    assert writer_queue_for(None) is not writer_queue_for(None)
    assert writer_queue_for(None).lock_file is None


def test_a_writer_waits_on_the_lock_file_another_process_holds(
    database_file: Path, database: Database
) -> None:
    """Only the file's lock is held elsewhere (no SQLite transaction): the writer waits for
    it, and goes on once it is let go of."""
    with _holding(HOLD_FILE, f"{database_file}{SUFFIX}") as holder:
        writer, errors = _blocked_writer(database, 4)
        holder.kill()
        holder.wait()
        _finished(writer, errors)


def test_a_writer_waits_for_another_process_s_transaction_and_goes_on_at_its_commit(
    database_file: Path, database: Database
) -> None:
    with _holding(HOLDER, f"sqlite:///{database_file}") as holder:
        assert _held_elsewhere(Path(f"{database_file}{SUFFIX}"))
        writer, errors = _blocked_writer(database, 2)
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.write("commit\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "committed"
        _finished(writer, errors)
    with database.session() as db:
        assert sorted(db.scalars(text("SELECT n FROM notes"))) == [1, 2]


def test_a_killed_holder_lets_the_next_writer_in(database_file: Path, database: Database) -> None:
    """``kill -9`` in the middle of a transaction: the kernel lets go of the process's lock,
    SQLite rolls its write back, and a waiting writer goes on."""
    with _holding(HOLDER, f"sqlite:///{database_file}") as holder:
        writer, errors = _blocked_writer(database, 3)
        holder.kill()
        holder.wait()
        _finished(writer, errors)
        assert not _held_elsewhere(Path(f"{database_file}{SUFFIX}"))
    with database.session() as db:
        assert db.scalar(select(func.count()).select_from(text("notes"))) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_child_does_not_hold_its_parent_s_turn(tmp_path: Path) -> None:
    queue = WriterQueue(str(tmp_path / "d.db"))
    assert queue.acquire(timeout=1)
    try:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                # The process's turn is free in the child (the parent's thread that holds it
                # is not there), giving back the parent's turn does nothing, and the file is
                # the parent's: a child that shared the parent's lock would take it at once.
                queue.release()
                free = not queue._threads.locked() and queue._fd is None
                code = 0 if free and queue.acquire(timeout=0.05) is False else 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    finally:
        queue.release()
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_connection_forked_in_a_write_gives_back_nothing_in_the_child(
    database_file: Path, database: Database
) -> None:
    """A child forked while a connection held the queue: once a thread of the child has taken
    the queue itself, ending the inherited connection's write leaves the child's turn alone."""
    raw = database.engine.raw_connection()
    inherited = raw.driver_connection
    queue = writer_queue_for(str(database_file))
    read_end, write_end = os.pipe()
    inherited.begin_write()  # type: ignore[union-attr]
    try:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(write_end)
                os.read(read_end, 1)  # the parent has let go of the file
                taken = queue.acquire(timeout=WAIT_SECONDS)
                inherited.end_write()  # type: ignore[union-attr]
                kept = queue._threads.locked() and queue._fd is not None
                code = 0 if taken and kept else 1
            finally:
                os._exit(code)
        os.close(read_end)
        inherited.end_write()  # type: ignore[union-attr]
        os.write(write_end, b"x")
        os.close(write_end)
        _, status = os.waitpid(pid, 0)
    finally:
        raw.close()
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_passing_failure_to_lock_skips_the_file_this_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of lock space (ENOLCK) passes: the write goes ahead without the file this once, and
    the next one queues on it again."""
    queue = WriterQueue(str(tmp_path / "e.db"))
    real = fcntl.flock
    failures = [OSError(errno.ENOLCK, "No locks available")]

    def flock(fd: int, operation: int) -> None:
        if failures:
            raise failures.pop()
        real(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    assert queue.acquire(timeout=1) and queue._fd is None
    queue.release()
    assert queue.lock_file is not None
    assert queue.acquire(timeout=1) and queue._fd is not None
    queue.release()
