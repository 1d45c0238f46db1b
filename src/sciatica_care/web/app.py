"""The application factory: ``create_app(settings)`` wires settings, database, routes, security."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from functools import cache

from anyio import to_thread
from fastapi import FastAPI

import sciatica_care
from sciatica_care import i18n
from sciatica_care.config import Settings, load_settings
from sciatica_care.db.engine import Database, is_sqlite
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.rate_buckets import buckets_for
from sciatica_care.services import held
from sciatica_care.web.access_log import hide_invitation_tokens
from sciatica_care.web.api.errors import install_error_handlers
from sciatica_care.web.compression import Compression
from sciatica_care.web.error_pages import install_page_errors
from sciatica_care.web.rate_limit import RateLimits
from sciatica_care.web.request_guard import RequestGuard
from sciatica_care.web.route_front import front_pages
from sciatica_care.web.security import (
    CSRF_FORM_FIELD,
    CSRF_HEADER,
    CSRFProtection,
    SecurityHeaders,
    csrf_token,
)
from sciatica_care.web.static_files import HashedStaticFiles
from sciatica_care.web.write_turns import WriteTurns

API_PREFIX = "/api/v1"


def configure_logging(level: str) -> None:
    """Our loggers at ``level``. Logs name ids, routes and field names, never values; the SQL
    loggers are pinned to WARNING because at INFO/DEBUG they would print rows and parameters."""
    logging.getLogger("sciatica_care").setLevel(level)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "sqlalchemy.orm"):
        logging.getLogger(name).setLevel(logging.WARNING)


@cache
def settle_heap() -> None:
    """Once per process, as the app starts: load the knowledge base (in each language), then
    put everything made so far (the knowledge base, the models' validators, the routes, the
    templates) out of the garbage collector's sight with ``gc.freeze()``. Those objects live as
    long as the process; a full collection that walked them took about 200 ms and stalled every
    request in flight (measured: the dashboard's p99 alone fell from 138-247 ms to 26-60 ms)."""

    from sciatica_care.knowledge.loader import knowledge_base

    for language in i18n.LANGUAGES:
        knowledge_base(language)
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: migrate (if configured), then mount static, pages and the API."""
    settings = settings or load_settings()
    database_url = settings.resolved_database_url()
    secret = settings.resolved_secret_key()
    settings.resolved_public_base_url()  # loud at start, not at the first invitation
    configure_logging(settings.log_level)
    hide_invitation_tokens()
    if settings.migrate_on_start:
        upgrade(database_url)
    database = Database(database_url, sqlite_synchronous=settings.sqlite_synchronous)
    # The rate limits' counts, shared by every app process (None: each process counts its own).
    shared_counts = settings.rate_limit_counts == "shared"
    rate_buckets = buckets_for(database_url) if shared_counts else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        settle_heap()
        # The request handlers' threads (anyio's default limiter of this event loop): a few,
        # not anyio's 40, which contend for the GIL under load (measured: see bench/HISTORY.md).
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        # What this process kept from records leaves its memory within the setting's minutes,
        # an erasure served by another process included (services/held.py).
        forgetting = asyncio.create_task(held.forget_regularly(settings.kept_minutes * 60))
        yield
        forgetting.cancel()
        with suppress(asyncio.CancelledError):
            await forgetting
        database.dispose()
        if rate_buckets is not None:
            rate_buckets.close()

    app = FastAPI(
        title="Sciatica Care",
        version=sciatica_care.__version__,
        description="Safe, evidence-honest massage guidance for people with sciatica.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN, which the CSP forbids.
        redoc_url=None,
        lifespan=lifespan,
        # No OpenTelemetry: spans would carry routes and error text out of the app, and the
        # check for a configured provider costs every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.database = database
    app.state.write_turns = WriteTurns(one_at_a_time=is_sqlite(database.url))

    from sciatica_care.web.api import routers as api_routers
    from sciatica_care.web.pages import routers as page_routers

    first_api = len(app.router.routes)
    for router in api_routers:
        app.include_router(router, prefix=API_PREFIX)
    api_routes = app.router.routes[first_api:]
    for router in page_routers:
        app.include_router(router)
    from sciatica_care.web.templating import static_assets

    app.mount("/static", HashedStaticFiles(static_assets), name="static")
    # A page's address is matched against the pages' routes only (web/route_front.py).
    front_pages(app.router, api_routes)
    install_error_handlers(app)
    install_page_errors(app)
    _add_template_globals(reload=settings.environment == "development")

    app.add_middleware(CSRFProtection, secret=secret, secure=settings.secure_cookies)
    app.add_middleware(RequestGuard)  # before the CSRF check parses a body
    # Outside CSRF and the guard (a refused request costs no parsing), inside the headers.
    app.add_middleware(RateLimits, settings=settings, buckets=rate_buckets)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Compression)  # outermost: it sees the finished response (and its 500)
    return app


def _add_template_globals(*, reload: bool) -> None:
    try:
        from sciatica_care.web.templating import templates
    except ImportError:  # the pages are not there yet
        return
    # A template changed on disk is read again only in development: elsewhere every include
    # and import of a page would look at its file's time first (the dashboard: some 15 stat
    # calls a view).
    templates.env.auto_reload = reload
    templates.env.globals["csrf_token"] = csrf_token
    templates.env.globals["csrf_field_name"] = CSRF_FORM_FIELD
    templates.env.globals["csrf_header_name"] = CSRF_HEADER
