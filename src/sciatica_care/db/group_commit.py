"""Group commit for SQLite: durable commits that share their disk syncs.

With ``synchronous=FULL`` in WAL mode SQLite syncs the WAL inside every commit, while it holds
the database's write lock: writers follow one another at the pace of the disk (about 4 ms a
sync on the machines measured, so at most ~250 durable writes a second however many threads
wait), and under concurrent writes each waits for every sync before its own.

Here the connection runs at ``synchronous=NORMAL`` (SQLite writes the commit into the WAL, in
the operating system's cache, and releases the lock), and the commit does not return until the
WAL has been synced to disk (``fdatasync``) by a sync that *started after* the commit was
written. Commits that arrive while a sync runs wait for the next one, which covers them all: one
sync for a group of writers. SQLite's own syncs at ``NORMAL`` (the WAL before a checkpoint, the
database after it, the WAL's header when the file is reused) are unchanged, so an acknowledged
commit survives a killed process, an OS crash and a power cut exactly as at ``FULL``
(https://sqlite.org/pragma.html#pragma_synchronous; syncing the WAL makes every commit before
it durable: https://sqlite.org/forum/forumpost/d1a6bc7c4cd2baca). The one difference: another
connection may read a commit in the moment before its sync ends, while its writer has not yet
been told it is saved; a power cut in that moment loses the commit, and anything another
request did outside the database on the strength of it (a mail sent) is not undone. A later
write that depends on it is safe: its own sync covers the whole WAL.

A failed sync is final for the process (PostgreSQL's lesson from "fsyncgate": after a failed
fsync Linux may mark the lost pages clean, so a retry can succeed without them, and the WAL's
running checksums would make every later commit unrecoverable too). The commit that ran it,
every commit waiting for it and every later one raise ``WalSyncFailed``: the writes are
committed but their durability is unknown, and the app must be restarted (SQLite's recovery
then reads what reached the disk).

POSIX only (``fdatasync`` of the WAL); elsewhere SQLite's own ``FULL`` is used.

A thread may ask to be told when its commit, out of the writer queue already, is about to wait
for a sync that is likely to be slow (``told_before_slow_sync``): the web app then hands the
next stored write its turn (``web/write_turns.py``), so that it goes on while the disk works and
joins the next sync. "Slow" is judged from the syncs so far (their moving average above
``SLOW_SYNC_SECONDS``): a quick sync is cheaper to wait for than another thread is to run
beside this one.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

logger = logging.getLogger(__name__)

_fdatasync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)

#: Whether group commit can be used here (a POSIX system syncs a file opened read-only).
AVAILABLE = os.name == "posix"

#: A sync slower than this (moving average) is worth letting another writer run during it: a
#: second thread running beside this one cost a stored write about 0.45 ms of CPU in handing the
#: interpreter back and forth (``web/write_turns.py``); a sync on the machines measured took
#: 0.08-0.13 ms on one, about 4 ms on others.
SLOW_SYNC_SECONDS = 0.0005

_told = threading.local()


@contextmanager
def told_before_slow_sync(callback: Callable[[], None]) -> Iterator[None]:
    """Inside the block, a commit in this thread calls ``callback`` before it waits for a sync
    judged slow (its writes are in the WAL and the writer queue is free). ``callback`` must be
    quick and safe to call more than once."""
    outer = getattr(_told, "callback", None)
    _told.callback = callback
    try:
        yield
    finally:
        _told.callback = outer


class WalSyncFailed(OSError):
    """The WAL could not be synced: commits since the last good sync may not be on disk."""


def sync_file(path: str) -> None:
    """Sync ``path``'s data to disk (the file is opened anew, so a recreated WAL is the one
    synced). Only ever the WAL: closing a descriptor of the database or ``-shm`` file would drop
    SQLite's locks on it (POSIX locks belong to the process and file); SQLite locks no byte of
    the WAL."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        _fdatasync(fd)
    finally:
        os.close(fd)


class WalSync:
    """The syncs of one WAL file, shared by the commits of every connection to it in this
    process."""

    def __init__(self, wal_path: str) -> None:
        self.path = wal_path
        self._changed = threading.Condition()
        self._asked = 0  # commits that have asked for a sync
        self._synced = 0  # of those, how many the last completed sync covers
        self._syncing = False
        self._failed: BaseException | None = None
        #: Completed syncs (for the tests and the benchmarks).
        self.syncs = 0
        #: Moving average of the syncs' durations, in seconds.
        self.seconds = 0.0

    @property
    def asked(self) -> int:
        """Commits that have asked for a sync so far."""
        return self._asked

    def sync(self) -> None:
        """Return once a sync that started after this call has completed (the caller's commit
        is in the WAL already)."""
        if self.seconds > SLOW_SYNC_SECONDS:
            callback: Callable[[], None] | None = getattr(_told, "callback", None)
            if callback is not None:
                callback()
        with self._changed:
            self._asked += 1
            mine = self._asked
            while self._synced < mine:
                if self._failed is not None:
                    raise WalSyncFailed("the database's log could not be synced to disk") from (
                        self._failed
                    )
                if not self._syncing:
                    break
                self._changed.wait()
            else:
                return
            self._syncing = True
            covers = self._asked
        started = time.perf_counter()
        try:
            sync_file(self.path)
        except BaseException as failure:
            logger.critical(
                "the SQLite WAL could not be synced to disk: writes since the last sync may be "
                "lost; every write now fails until the app is restarted",
                exc_info=True,
            )
            with self._changed:
                self._syncing = False
                self._failed = failure
                self._changed.notify_all()
            raise WalSyncFailed("the database's log could not be synced to disk") from failure
        took = time.perf_counter() - started
        with self._changed:
            self._syncing = False
            self._synced = covers
            self.syncs += 1
            self.seconds += (took - self.seconds) / 4
            self._changed.notify_all()


_by_path: dict[str, WalSync] = {}
_by_path_lock = threading.Lock()


def wal_sync_for(database_file: str) -> WalSync:
    """The one ``WalSync`` of this process for the database file ``database_file`` (the full
    name SQLite gives it in ``PRAGMA database_list``; its WAL is that name with ``-wal``)."""
    wal = database_file + "-wal"
    with _by_path_lock:
        found = _by_path.get(wal)
        if found is None:
            found = _by_path[wal] = WalSync(wal)
        return found
