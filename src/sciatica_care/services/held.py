"""What the app keeps in memory between requests that came from a person's records, so that
erasing an account lets go of it too.

Some views keep what they made from stored records while those stay the same (a stored
assessment's validated models, a trend's read-out, the month's chart, the client list's
parsed glances): bounded, never logged, and answered only for a record just read under the
access check. Each such store registers here; :func:`forget_all` empties them all (every
person's: they are made again on the next view). In a deployment with several app processes
only the process that served the erasure empties its own at once; the others' entries can no
longer be reached (their records are gone), and each process also empties every store every
``SCIATICA_CARE_KEPT_MINUTES`` (:func:`forget_regularly`), so they leave its memory within that
time too, whether or not the process is busy.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Store:
    """One store of kept values: its name, how to empty it, and how many it holds."""

    name: str
    clear: Callable[[], None]
    size: Callable[[], int]


STORES: list[Store] = []


def holds(name: str, store: MutableMapping[Any, Any], lock: threading.Lock | None = None) -> None:
    """Register ``store`` (emptied under ``lock``, which its users hold while they use it)."""
    guard = lock if lock is not None else nullcontext()

    def clear() -> None:
        with guard:
            store.clear()

    STORES.append(Store(name, clear, lambda: len(store)))


def holds_cache(name: str, cached: Any) -> None:
    """Register a ``functools.lru_cache``-wrapped function's cache."""
    STORES.append(Store(name, cached.cache_clear, lambda: cached.cache_info().currsize))


class Kept(Generic[K, V]):
    """A registered store of at most ``most`` values, safe across threads: the least recently
    used drops out."""

    def __init__(self, name: str, most: int) -> None:
        self._values: OrderedDict[K, V] = OrderedDict()
        self._most = most
        self._lock = threading.Lock()
        holds(name, self._values, self._lock)

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._most:
                self._values.popitem(last=False)


def forget_all() -> None:
    """Empty every registered store."""
    for store in STORES:
        store.clear()


async def forget_regularly(
    every: float, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> None:
    """Empty every registered store every ``every`` seconds, until cancelled (run by the app
    while it serves). A store emptied is made again on the next view, one slower view each."""
    while True:
        await sleep(every)
        forget_all()
