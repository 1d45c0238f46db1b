"""Whether code runs on the event loop: work that waits for the disk or takes the CPU for long
(a commit, a password hash, a PDF) must run in a thread, or it holds up every other request."""

from __future__ import annotations

import asyncio


def on_the_event_loop() -> bool:
    """True when called on a thread that is running an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
