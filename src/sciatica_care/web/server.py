"""``sciatica-care serve``: migrate, optionally load the demo accounts, start the background
worker (unless ``SCIATICA_CARE_EMBEDDED_WORKER`` is off), then serve with uvicorn."""

from __future__ import annotations

import uvicorn

from sciatica_care.config import load_settings
from sciatica_care.db.migrate import upgrade


def run(*, host: str = "127.0.0.1", port: int = 8000, database_url: str | None, demo: bool) -> None:
    """Serve the app on ``host:port`` until interrupted."""
    overrides: dict[str, object] = {"database_url": database_url} if database_url else {}
    settings = load_settings(**overrides)
    url = settings.resolved_database_url()
    upgrade(url)
    if demo:
        from sciatica_care.services.demo import load_demo

        print("Demo accounts (role, email, password):")
        for role, email, password in load_demo(url):
            print(f"  {role:<10} {email:<32} {password}")
    from sciatica_care.web.app import create_app

    app = create_app(settings.model_copy(update={"migrate_on_start": False}))
    print(f"Sciatica Care on http://{host}:{port}  (database: {_safe(url)})", flush=True)
    worker = None
    if settings.embedded_worker:
        from sciatica_care.worker.runner import EmbeddedWorker

        worker = EmbeddedWorker(settings)
        worker.start()
        print("Background worker: running (reminders, agenda, mail)", flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower())
    finally:
        if worker is not None:
            worker.stop()
            print("Background worker: stopped", flush=True)


def _safe(url: str) -> str:
    """The database URL without a password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
