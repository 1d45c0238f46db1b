"""The periodic jobs and the Huey queue that runs them.

Each job opens its own unit of work on the main database and takes ``now`` so tests can drive
it with a fixed time. A failing job is logged (ids only) and tried again at the next minute.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from huey import SqliteHuey, crontab
from sqlalchemy.orm import Session

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import utcnow
from sciatica_care.notifications.outbox import deliver_pending
from sciatica_care.services.reminders import send_daily_agendas, send_due_reminders
from sciatica_care.services.waitlist_offers import expire_offers

log = logging.getLogger(__name__)


def deliver_outbox(db: Session, *, settings: Settings) -> int:
    """Send the waiting emails (as after a request, for mail queued by jobs and retries)."""
    return deliver_pending(db, settings=settings)


class Jobs:
    """The jobs of one worker: a database and the settings, and one method per minute's work."""

    def __init__(self, settings: Settings, database: Database | None = None) -> None:
        self.settings = settings
        self.database = database or Database(settings.resolved_database_url())

    def run(self, name: str, job: Callable[[Session], object]) -> None:
        """Run ``job`` on a fresh unit of work; an error is logged, never raised."""
        try:
            with self.database.session() as db:
                job(db)
        except Exception:  # a job must not stop the worker; it runs again next minute
            log.exception("job %s failed; it runs again at the next minute", name)

    def every_minute(self, now: datetime | None = None) -> None:
        """All the minute's work, in order: reminders and agendas queue mail, then it goes."""
        at = now or utcnow()
        self.run("waitlist", lambda db: expire_offers(db, at))  # lapsed holds go to the next
        self.run("reminders", lambda db: send_due_reminders(db, now=at))
        self.run("agendas", lambda db: send_daily_agendas(db, now=at))
        self.run("outbox", lambda db: deliver_outbox(db, settings=self.settings))

    def close(self) -> None:
        self.database.dispose()


def make_queue(jobs: Jobs) -> SqliteHuey:
    """A Huey queue in the settings' SQLite file with the minute's work as a periodic task."""
    queue = SqliteHuey(
        name="sciatica-care",
        filename=str(jobs.settings.resolved_job_queue_file()),
        results=False,
        utc=True,
    )

    @queue.periodic_task(crontab(minute="*"), name="every_minute")  # type: ignore[untyped-decorator]
    def every_minute() -> None:
        jobs.every_minute()

    return queue
