"""``sciatica-care serve``: migrate, optionally load the demo accounts, start the background
worker (unless ``SCIATICA_CARE_EMBEDDED_WORKER`` is off), then serve with uvicorn in one process
or several (``--workers``)."""

from __future__ import annotations

import logging
import os
import sys

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from sciatica_care.config import ENV_PREFIX, load_settings
from sciatica_care.db.engine import is_sqlite
from sciatica_care.db.migrate import upgrade
from sciatica_care.web import listeners

logger = logging.getLogger("uvicorn.error")

#: The factory each worker process builds the app with (settings from the environment).
APP_FACTORY = "sciatica_care.web.app:create_app"


#: The most app processes ``serve`` starts by default on SQLite: measured on 2 cores; more
#: would wait longer for the one writer, and take memory a laptop install does not need.
SQLITE_DEFAULT_WORKERS_MAX = 2


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_workers(database_url: str) -> int:
    """The app processes to start when none are asked for: one per core for PostgreSQL; for
    SQLite one per core up to ``SQLITE_DEFAULT_WORKERS_MAX``. SQLite lets one writer in at a
    time, and the processes queue for it on one lock file (``db/writer_lock.py``), so a second
    process runs the rest of each request (HTTP, sign-in, evaluation, rendering) beside the
    other's write: on 2 cores, stored writes went from 366-498 req/s (p99 95-123 ms) in one
    process to 667-881 (p99 60-90 ms) in two (the README's "Several app processes")."""
    if is_sqlite(database_url):
        return min(cores(), SQLITE_DEFAULT_WORKERS_MAX)
    return cores()


def run(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    database_url: str | None,
    demo: bool,
    workers: int | None = None,
) -> None:
    """Serve the app on ``host:port`` until interrupted, in ``workers`` processes (None: the
    setting, whose 0 means ``default_workers``)."""
    overrides: dict[str, object] = {"database_url": database_url} if database_url else {}
    settings = load_settings(**overrides)
    url = settings.resolved_database_url()
    settings.resolved_secret_key()  # made here once, before several workers could race for it
    upgrade(url)
    if demo:
        from sciatica_care.services.demo import load_demo

        print("Demo accounts (role, email, password):")
        for role, email, password in load_demo(url):
            print(f"  {role:<10} {email:<32} {password}")
    count = workers or settings.workers or default_workers(url)
    plural = "es" if count > 1 else ""
    print(
        f"Sciatica Care on http://{host}:{port}  (database: {_safe(url)}; "
        f"{count} app process{plural})",
        flush=True,
    )
    level = settings.log_level.lower()
    if count == 1:
        from sciatica_care.web.app import create_app

        app = create_app(settings.model_copy(update={"migrate_on_start": False}))
    else:
        # Each worker process builds its own app from the environment: the same settings.
        os.environ[f"{ENV_PREFIX}DATABASE_URL"] = url
        os.environ[f"{ENV_PREFIX}MIGRATE_ON_START"] = "false"
    worker = None
    if settings.embedded_worker:  # one background worker, in this process, for every app process
        from sciatica_care.worker.runner import EmbeddedWorker

        worker = EmbeddedWorker(settings)
        worker.start()
        print("Background worker: running (reminders, agenda, mail)", flush=True)
    try:
        if count == 1:
            uvicorn.run(app, host=host, port=port, log_level=level)
        else:
            serve_processes(host=host, port=port, count=count, log_level=level)
    finally:
        if worker is not None:
            worker.stop()
            print("Background worker: stopped", flush=True)


def serve_processes(*, host: str, port: int, count: int, log_level: str) -> None:
    """``count`` app processes under uvicorn's supervisor, each building the app from the
    environment; on Linux each listens on a socket of its own (``web/listeners.py``)."""
    if not listeners.own_sockets_possible(port):
        uvicorn.run(
            APP_FACTORY, factory=True, host=host, port=port, workers=count, log_level=log_level
        )
        return
    config = uvicorn.Config(
        APP_FACTORY, factory=True, host=host, port=port, workers=count, log_level=log_level
    )
    try:
        reservation = listeners.reserve(host, port)
    except OSError as exc:  # as uvicorn answers an address in use
        logger.error(exc)
        sys.exit(STARTUP_FAILURE)
    shown = f"[{host}]" if ":" in host else host
    logger.info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", shown, port)
    with reservation:
        Multiprocess(config, sockets=[reservation]).run()


def _safe(url: str) -> str:
    """The database URL without a password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
