"""Running the worker: as its own process (``sciatica-care worker``) or beside ``serve``."""

from __future__ import annotations

import logging

from huey.consumer import Consumer

from sciatica_care.config import Settings
from sciatica_care.worker.jobs import Jobs, make_queue

log = logging.getLogger(__name__)

#: How often an idle worker looks at the queue at most (seconds); also bounds a clean stop.
MAX_POLL_SECONDS = 1.0


def _consumer(jobs: Jobs, consumer_class: type[Consumer]) -> Consumer:
    return consumer_class(
        make_queue(jobs),
        workers=1,
        worker_type="thread",
        periodic=True,
        max_delay=MAX_POLL_SECONDS,
        check_worker_health=False,
    )


def run_worker(settings: Settings) -> None:
    """Run the worker in the foreground until SIGINT/SIGTERM (Huey's own signal handling)."""
    settings.resolved_public_base_url()  # loud at start: emails carry links
    jobs = Jobs(settings)
    try:
        _consumer(jobs, Consumer).run()
    finally:
        jobs.close()


class _QuietConsumer(Consumer):  # type: ignore[misc]
    """A consumer that leaves the process's signals to the web server it runs beside."""

    def _set_signal_handlers(self) -> None:
        return None


class EmbeddedWorker:
    """The worker in threads of the ``serve`` process: ``start()`` before serving, ``stop()``
    after (waits for a running job to finish)."""

    def __init__(self, settings: Settings) -> None:
        self.jobs = Jobs(settings)
        self.consumer = _consumer(self.jobs, _QuietConsumer)
        self.running = False

    def start(self) -> None:
        self.consumer.start()
        self.running = True
        log.info("background worker started")

    def stop(self) -> None:
        if self.running:
            self.consumer.stop(graceful=True)
            self.running = False
        self.jobs.close()
        log.info("background worker stopped")
