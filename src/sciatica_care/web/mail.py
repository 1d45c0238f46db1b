"""Send the outbox after the response: routes that queue mail add ``deliver_outbox`` as a
background task, so the request neither waits for SMTP nor shows by its timing that it sent."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from sciatica_care.notifications.outbox import deliver_pending

log = logging.getLogger(__name__)


def deliver_outbox(app: FastAPI) -> None:
    """Deliver waiting emails with a fresh unit of work; a failure stays in the outbox."""
    try:
        with app.state.database.session() as db:
            deliver_pending(db, settings=app.state.settings)
    except Exception:  # never let mail break the request that queued it
        log.exception("outbox delivery failed; the messages wait for the next delivery")
