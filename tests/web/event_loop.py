"""Whether code runs on the event loop: work that waits for the disk or takes the CPU for long
(a commit, a password hash, a PDF) must run in a thread, or it holds up every other request."""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


def on_the_event_loop() -> bool:
    """True when called on a thread that is running an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class StatementsOnTheLoop:
    """Records every SQL statement the app runs on an event loop's thread (where it would hold
    up every other request of the process), with where it came from."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, *_args: object) -> None:  # before_cursor_execute
        if on_the_event_loop():
            frames = [f for f in traceback.extract_stack() if "/sciatica_care/" in f.filename]
            self.seen.append(
                " <- ".join(
                    f"{f.name} ({f.filename.rsplit('/', 1)[-1]}:{f.lineno})"
                    for f in reversed(frames)
                )
            )


@contextmanager
def watching_statements() -> Iterator[StatementsOnTheLoop]:
    """Inside the block, every statement run on an event loop's thread is recorded."""
    watch = StatementsOnTheLoop()
    event.listen(Engine, "before_cursor_execute", watch)
    try:
        yield watch
    finally:
        event.remove(Engine, "before_cursor_execute", watch)
