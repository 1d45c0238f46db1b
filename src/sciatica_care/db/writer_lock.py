"""The writer queue of a SQLite database file, shared by every connection and every process.

SQLite lets one writer in at a time. One that finds the database locked waits in SQLite's busy
handler, which polls with sleeps of up to 100 ms, so under concurrent writes most of the wait
is sleeping while the database is free. Here a writer queues before its first write statement
instead (``db/engine.py``, ``begin_write``), on two locks, and gives both back when its
transaction ends:

- a ``threading.Lock`` shared by every engine of this process on the file, so that in a
  process one thread at a time waits for the file, woken the moment the one before commits;
- an exclusive ``flock`` on a file beside the database (``<database>-writers``, with the
  database file's mode and owner, as SQLite gives its ``-wal`` file), shared with every other
  process. It is taken at once when free; when another process holds it, it is tried again
  after pauses that start at 50 µs and double up to 2 ms (a stored write holds it for well
  under a millisecond). The kernel lets go of it when a process ends, however it ends.

Both waits together are bounded by the busy timeout: past it the write goes ahead without the
queue and SQLite decides, as before, within its own busy timeout (a process stopped in the
middle of a transaction makes the others fail after the two timeouts, 20 s, not hang). The
file is opened when a writer takes its turn and closed when it gives it back, so nothing stays
open between writes, and a forked child holds nothing of its parent's.

An in-memory database has no file; where the file cannot be made or locked (a read-only
folder, a file system without ``flock``; logged once) and on a system that is not POSIX, the
processes meet SQLite's busy handler as before, and the threads of a process still queue.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
import time
from weakref import WeakSet, WeakValueDictionary

from sciatica_care.db.side_files import open_beside

try:
    import fcntl
except ImportError:  # pragma: no cover (not POSIX)
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

#: Whether processes can share a writer queue here.
SHARED_ACROSS_PROCESSES = fcntl is not None

#: The suffix of the lock file beside a database file.
SUFFIX = "-writers"

#: The first and the longest pause between tries of a lock file another process holds.
FIRST_PAUSE_SECONDS = 0.00005
LONGEST_PAUSE_SECONDS = 0.002


class WriterQueue:
    """The writer queue of one database file (or of one engine, with no file)."""

    def __init__(self, database_file: str | None) -> None:
        self.database_file = database_file
        shared = database_file is not None and SHARED_ACROSS_PROCESSES
        self.lock_file = f"{database_file}{SUFFIX}" if shared else None
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._held_in: int | None = None  # the process that holds the turn now
        _queues.add(self)

    def acquire(self, timeout: float) -> bool:
        """Take this process's turn, then the file's; False (nothing held) if they were not
        both free within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            return False
        try:
            if self.lock_file is not None and not self._lock_file(deadline):
                self._threads.release()
                return False
            self._held_in = os.getpid()
        except BaseException:  # (an interrupt anywhere above: nothing stays held)
            self._close_file()
            self._threads.release()
            raise
        return True

    def release(self) -> None:
        """Give back the file's turn, then the process's (nothing, in a forked child, for a
        turn its parent held)."""
        if self._held_in != os.getpid():
            return
        self._held_in = None
        try:
            self._close_file()  # (lets go of the flock)
        finally:
            self._threads.release()

    def _close_file(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):  # (Linux frees the descriptor whatever close says)
                os.close(fd)

    def _lock_file(self, deadline: float) -> bool:
        self._fd = self._open()
        if self._fd is None:
            return True  # no shared queue for this file, or not this time: SQLite decides
        pause = FIRST_PAUSE_SECONDS
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another process writes
                if time.monotonic() + pause > deadline:
                    self._close_file()
                    return False
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
                continue
            except OSError as failure:  # no flock here (for good, or this once)
                self._close_file()
                _unshared(self, "its file system cannot lock it", failure)
                return True
            return True

    def _open(self) -> int | None:
        """The lock file, opened; made like the database file if it is not there yet."""
        assert self.lock_file is not None and self.database_file is not None
        try:
            return open_beside(self.lock_file, self.database_file)
        except OSError as failure:
            _unshared(self, "its lock file cannot be opened", failure)
            return None

    def _forget_after_fork(self) -> None:
        # A forked child shares the parent's open lock file (and with it the parent's flock):
        # it closes its copy, which leaves the parent's lock as it is, and opens its own when
        # it writes. A turn some thread of the parent held is not this process's.
        self._close_file()
        self._threads = threading.Lock()


#: Failures that will not pass: the file system has no ``flock``, or the lock file cannot be
#: made or opened here. Others (out of descriptors, out of lock space) pass, and the write
#: goes ahead without the file this once.
_LASTING = frozenset(
    {errno.EACCES, errno.EPERM, errno.EROFS, errno.EISDIR, errno.ENOTDIR, errno.EINVAL}
    | {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}
)


def _unshared(queue: WriterQueue, why: str, failure: OSError) -> None:
    """From now on ``queue`` queues this process's threads only (logged once per file), when
    ``failure`` will last; otherwise this write goes without the file."""
    if failure.errno not in _LASTING:
        logger.warning("a SQLite write went ahead without the writers' lock file: %s", why)
        return
    queue.lock_file = None
    logger.warning(
        "SQLite writers of separate processes will wait in SQLite's busy handler: %s", why
    )


_queues: WeakSet[WriterQueue] = WeakSet()
_by_file: WeakValueDictionary[str, WriterQueue] = WeakValueDictionary()
_by_file_lock = threading.Lock()


def _after_fork_in_child() -> None:
    global _by_file_lock
    _by_file_lock = threading.Lock()
    for queue in list(_queues):
        queue._forget_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def writer_queue_for(database_file: str | None) -> WriterQueue:
    """The one queue of this process for ``database_file`` (every engine on it shares it,
    while one lives), or a queue of its own for an engine with no file (None)."""
    if not database_file:
        return WriterQueue(None)
    real = os.path.realpath(database_file)
    with _by_file_lock:
        found = _by_file.get(real)
        if found is None:
            found = _by_file[real] = WriterQueue(real)
        return found
