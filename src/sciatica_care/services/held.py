"""What the app keeps in memory between requests that came from a person's records, so that
erasing an account lets go of it too.

Some views keep what they made from stored records while those stay the same (a stored
assessment's validated models, a trend's read-out, the month's chart, the client list's
parsed glances): bounded, never logged, and answered only for a record just read under the
access check. Each such store registers here; :func:`forget_all` empties them all (every
person's: they are made again on the next view). In a deployment with several app processes
only the process that served the erasure empties its own; the others' entries can no longer
be reached (their records are gone) and drop out as the stores turn over.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, MutableMapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any


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


def forget_all() -> None:
    """Empty every registered store."""
    for store in STORES:
        store.clear()
