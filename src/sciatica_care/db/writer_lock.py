"""The writer queue of a SQLite database file, shared by every connection and every process.

SQLite lets one writer in at a time. One that finds the database locked waits in SQLite's busy
handler, which polls with sleeps of up to 100 ms, so under concurrent writes most of the wait
is sleeping while the database is free. Here a writer queues before its first write statement
instead (``db/engine.py``, ``begin_write``), on two locks, and gives both back when its
transaction ends:

- a ``threading.Lock`` shared by every engine of this process on the file, so that in a
  process one thread at a time waits for the file;
- an exclusive ``flock`` on a file beside the database (``<database>-writers``, made 0600 like
  the database), shared with every other process: the kernel wakes the next writer the moment
  the previous one lets go, and lets go of a process that ends, however it ends.

The first is bounded by the busy timeout as before: past it the write goes ahead and SQLite
decides. The second waits as long as the writer before it holds it, as PostgreSQL's row locks
do by default; a writer holds it only from its first write statement to its commit, in another
process whose own waits are bounded, so a write waits at most for one such transaction.
Several app processes on one SQLite file (``serve --workers N``) then queue as the threads of
one process do, rather than in SQLite's sleeps (the README's "Several app processes").

An in-memory database has no file, and a system without ``flock`` (not POSIX) has no shared
queue: there each engine keeps its own ``threading.Lock`` and processes meet SQLite's busy
handler as before.
"""

from __future__ import annotations

import os
import threading
from weakref import WeakSet

try:
    import fcntl
except ImportError:  # pragma: no cover (not POSIX)
    fcntl = None  # type: ignore[assignment]

#: Whether processes can share a writer queue here.
SHARED_ACROSS_PROCESSES = fcntl is not None

#: The suffix of the lock file beside a database file.
SUFFIX = "-writers"


class WriterQueue:
    """The writer queue of one database file (or of one engine, with no file)."""

    def __init__(self, lock_file: str | None) -> None:
        self.lock_file = lock_file if SHARED_ACROSS_PROCESSES else None
        self._pid = os.getpid()
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._locked = False
        _queues.add(self)

    def acquire(self, timeout: float) -> bool:
        """Take this process's turn, then the file's; False if the process's turn was not
        free within ``timeout`` seconds (nothing is held then)."""
        if not self._threads.acquire(timeout=timeout):
            return False
        if self.lock_file is not None:
            try:
                self._lock_file()
            except BaseException:
                self._threads.release()
                raise
        return True

    def release(self) -> None:
        """Give back the file's turn, then the process's."""
        try:
            if self._locked and self._fd is not None:
                self._locked = False
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _lock_file(self) -> None:
        if self._fd is None:
            assert self.lock_file is not None
            self._fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another process writes: wait for the kernel to hand it over
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        self._locked = True

    def _forget_after_fork(self) -> None:
        # A forked child shares the parent's open lock file (and with it the parent's flock):
        # it closes its copy, without unlocking the parent's, and opens its own when it writes.
        # A lock some thread of the parent held is not this process's.
        if self._fd is not None:
            os.close(self._fd)
        self._fd = None
        self._locked = False
        self._threads = threading.Lock()
        self._pid = os.getpid()


_queues: WeakSet[WriterQueue] = WeakSet()
_by_file: dict[str, WriterQueue] = {}
_by_file_lock = threading.Lock()


def _after_fork_in_child() -> None:
    global _by_file_lock
    _by_file_lock = threading.Lock()
    for queue in list(_queues):
        queue._forget_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def writer_queue_for(database_file: str | None) -> WriterQueue:
    """The one queue of this process for ``database_file`` (every engine on it shares it), or
    a queue of its own for an engine with no file (None)."""
    if not database_file:
        return WriterQueue(None)
    real = os.path.realpath(database_file)
    with _by_file_lock:
        found = _by_file.get(real)
        if found is None:
            found = _by_file[real] = WriterQueue(real + SUFFIX)
        return found
