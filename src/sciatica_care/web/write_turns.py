"""The busiest units of work on SQLite (the stored assessment, the check-in, the dashboard:
``web/auth.py``, ``in_unit_of_work``) one at a time per process, waiting as asyncio tasks
rather than as threads.

SQLite lets one writer in at a time, and in one process the interpreter runs one thread at a
time. Writes that each got a request thread at once spent their time handing the interpreter
to one another: at 32 connections of stored assessments with 4 request threads, the server made
about 100 futex calls a write (14 with one thread), and a write cost 1.14-1.37 ms of the
server's CPU; in turns, 0.75-0.87 ms, and 1,009-1,174 writes a second instead of 799-961
(``bench/bench_writes.py``, old and new code in turns; the README's "Several app processes").
Here a unit of work waits for its turn as an asyncio task, and only then gets a request thread.

The turn passes on when the unit of work ends, or earlier, when its commit is about to wait for
a sync of the WAL that recent syncs say will be slow (``db/group_commit.py``,
``told_before_slow_sync``): on a slow disk the next write goes on while this one's sync runs,
and later commits share the next sync, as before. Either way the answer waits for the sync: an
acknowledged write is on disk. PostgreSQL, which runs writers side by side, takes no turns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar
from weakref import WeakKeyDictionary

from starlette.concurrency import run_in_threadpool

from sciatica_care.db import group_commit

T = TypeVar("T")


class WriteTurns:
    """Runs units of work in a request thread: one at a time when ``one_at_a_time``."""

    def __init__(self, *, one_at_a_time: bool) -> None:
        self.one_at_a_time = one_at_a_time
        self._turns: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            WeakKeyDictionary()
        )

    def held(self) -> bool:
        """Whether a unit of work holds its turn now, on any event loop."""
        return any(turn.locked() for turn in list(self._turns.values()))

    def _turn(self, loop: asyncio.AbstractEventLoop) -> asyncio.Lock:
        """This event loop's turn (a test may drive one app from several loops)."""
        found = self._turns.get(loop)
        if found is None:
            found = self._turns[loop] = asyncio.Lock()
        return found

    async def run(self, unit_of_work: Callable[[], T], *, takes_turn: bool = True) -> T:
        """``unit_of_work()`` in a request thread, in its turn; returns once what it committed
        is durable. ``takes_turn=False``: beside the turns, for a unit of work that holds the
        CPU long (a password's argon2 check) and would hold up every write of the process."""
        if not self.one_at_a_time or not takes_turn:
            return await run_in_threadpool(unit_of_work)
        loop = asyncio.get_running_loop()
        turn = self._turn(loop)
        await turn.acquire()
        passed = False

        def pass_on() -> None:  # in the request thread: before a slow sync, or at the end
            nonlocal passed
            if not passed:
                passed = True
                loop.call_soon_threadsafe(turn.release)

        def in_turn() -> T:
            try:
                with group_commit.told_before_slow_sync(pass_on):
                    return unit_of_work()
            finally:
                pass_on()

        try:
            return await run_in_threadpool(in_turn)
        finally:
            if not passed:  # the thread never ran (cancelled while waiting for one)
                passed = True
                turn.release()
