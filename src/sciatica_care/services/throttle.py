"""Limits on work that costs CPU: request rates per key (token buckets) and password hashing.

Request rates are counted by every app process together (``SharedRateLimiter``, the buckets in
the database: ``db/rate_buckets.py``), or, with ``rate_limit_counts = process`` or an in-memory
database, by each process (``RateLimiter``: with N processes the limits are N times as wide).
Hashing slots are per process. The per-account sign-in throttle lives in the database
(``services/accounts.py``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from sciatica_care.config import RATE_PATTERN, Settings
from sciatica_care.db.rate_buckets import Buckets, Take
from sciatica_care.services.errors import Throttled

logger = logging.getLogger(__name__)

_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
# Buckets of keys not seen for a while are dropped once the table is this big, so an attacker
# cycling through addresses cannot grow memory without bound.
MAX_KEYS = 100_000


@dataclass(frozen=True, slots=True)
class Rate:
    """``count`` requests per ``period`` seconds, e.g. ``Rate.parse("10/minute")``."""

    count: int
    period: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"<count>/<second|minute|hour|day>"``; ValueError otherwise."""
        if not re.fullmatch(RATE_PATTERN, text):
            raise ValueError(f"{text!r} is not a rate like 10/minute")
        count, _, unit = text.partition("/")
        return cls(int(count), _PERIODS[unit])


def _seconds_to_a_token(tokens: float, per_second: float) -> int:
    """Whole seconds until a bucket holding ``tokens`` (< 1) has a whole one again."""
    return max(1, math.ceil((1.0 - tokens) / per_second))


class RateLimiter:
    """A token bucket per key: up to ``rate.count`` at once, refilled evenly over the period.

    ``hit(key)`` takes one token and returns 0, or returns the whole seconds to wait before a
    token is there (nothing is taken then, so refused requests do not prolong the wait).
    Thread-safe; ``clock`` is injectable for tests.
    """

    def __init__(self, rate: Rate, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._per_second = rate.count / rate.period
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def hit(self, key: str, *, at_once: bool = False) -> int:
        """Take a token for ``key``: 0 when allowed, else the seconds until one is free
        (``at_once``: as ``SharedRateLimiter``'s; this one never waits long)."""
        now = self._clock()
        with self._lock:
            tokens, when = self._buckets.get(key, (float(self.rate.count), now))
            tokens = min(float(self.rate.count), tokens + (now - when) * self._per_second)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return _seconds_to_a_token(tokens, self._per_second)
            if key not in self._buckets and len(self._buckets) >= MAX_KEYS:
                self._forget_full(now)
            self._buckets[key] = (tokens - 1.0, now)
            return 0

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled completely holds nothing worth remembering.
        full = [
            key
            for key, (tokens, when) in self._buckets.items()
            if tokens + (now - when) * self._per_second >= self.rate.count
        ]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= MAX_KEYS:  # every key is busy: forget the oldest half
            by_age = sorted(self._buckets, key=lambda k: self._buckets[k][1])
            for key in by_age[: len(by_age) // 2]:
                del self._buckets[key]


#: How often a process deletes its limits' buckets that are full again, at most (seconds).
SWEEP_SECONDS = 60.0

#: What a shared count may fail with; the request is then counted in this process.
STORE_FAILURES = (sqlite3.Error, SQLAlchemyError, OSError)


class SharedRateLimiter:
    """A token bucket per key as ``RateLimiter``'s, kept in ``buckets`` under ``name`` so
    that every app process takes from the same one (``db/rate_buckets.py``).

    When the store fails (a database that cannot be reached, a SQLite file that stays locked
    past its busy timeout, a folder that cannot be written), the request is counted in this
    process instead, so a limit always holds; that is logged at most once a minute (the kind
    of failure only). The clock is the wall clock, which every process and machine share.
    """

    def __init__(
        self,
        name: str,
        rate: Rate,
        buckets: Buckets,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name
        self.rate = rate
        self.fallback = RateLimiter(rate, clock=clock)
        self._buckets = buckets
        self._clock = clock
        self._per_second = rate.count / rate.period
        self._next_sweep = 0.0
        self._next_warning = 0.0

    def hit(self, key: str, *, at_once: bool = False) -> int:
        """Take a token for ``key``: 0 when allowed, else the seconds until one is free.

        ``at_once``: without waiting for the store (on the event loop); StoreBusy when it
        would have had to, and nothing was taken.
        """
        now = self._clock()
        try:
            if now >= self._next_sweep:
                self._buckets.sweep(self.name, before=now - self.rate.period, at_once=at_once)
                self._next_sweep = now + SWEEP_SECONDS
            take = Take(self.name, key, self.rate.count, self._per_second, now)
            tokens, taken = self._buckets.take(take, at_once=at_once)
        except STORE_FAILURES as failure:
            if now >= self._next_warning:
                self._next_warning = now + 60.0
                logger.warning(
                    "rate-limit counts could not be shared (%s); counting in this process",
                    type(failure).__name__,
                )
            return self.fallback.hit(key)
        if taken:
            return 0
        return _seconds_to_a_token(tokens, self._per_second)


class Busy(Throttled):
    """Every password-hashing slot stayed taken for the whole wait: 503, try again shortly."""

    status = 503

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.args = ("the service is busy; please try again in a few seconds",)


class HashingSlots:
    """At most ``slots`` password hashes (argon2, about 0.26 CPU-s each) run at once.

    A caller waits up to ``wait_seconds`` for a slot, then gets Busy (503 with Retry-After)
    instead of queueing without end. Called on the event loop's thread (an ``async def``
    route), it never waits: waiting there would stall every other request.
    """

    def __init__(self, slots: int, wait_seconds: float) -> None:
        self.slots = slots
        self.wait_seconds = wait_seconds
        self._semaphore = threading.BoundedSemaphore(slots)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one slot for the ``with`` block; Busy when none came free in time."""
        if _on_event_loop():
            acquired = self._semaphore.acquire(blocking=False)
        else:
            acquired = self._semaphore.acquire(timeout=self.wait_seconds)
        if not acquired:
            raise Busy(max(1, math.ceil(self.wait_seconds)))
        try:
            yield
        finally:
            self._semaphore.release()


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_slots: dict[tuple[int, float], HashingSlots] = {}
_slots_lock = threading.Lock()


def hashing_slots(slots: int, wait_seconds: float) -> HashingSlots:
    """The process's hashing slots for this configuration (one shared set per configuration)."""
    with _slots_lock:
        gate = _slots.get((slots, wait_seconds))
        if gate is None:
            gate = _slots[(slots, wait_seconds)] = HashingSlots(slots, wait_seconds)
        return gate


def password_work(settings: Settings | None) -> HashingSlots:
    """This process's password-hashing slots, sized by ``settings`` (the defaults without)."""
    if settings is None:
        fields = Settings.model_fields
        return hashing_slots(
            fields["password_hash_slots"].default, fields["password_hash_wait_seconds"].default
        )
    return hashing_slots(settings.password_hash_slots, settings.password_hash_wait_seconds)
