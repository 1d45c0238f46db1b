"""Error answers for people: a page with the site's look (``error.html``) for every status a
page route can end in (404 for a mistyped address, 405, 500), JSON under /api as before.

The 500 is answered by the security-headers middleware once the app has failed, outside any
route, so it is rendered here from the bare request scope, with no one signed in; if even that
fails, plain text still says what happened.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from sciatica_care import i18n
from sciatica_care.services.actors import Actor
from sciatica_care.web.language import request_language

log = logging.getLogger(__name__)


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def _viewer(request: Request) -> Actor | None:
    """Whoever is signed in, so the page keeps their menu (None when no one is, or unknown)."""
    if hasattr(request.state, "actor"):
        actor: Actor | None = request.state.actor
        return actor
    try:
        from sciatica_care.services import accounts
        from sciatica_care.web.auth import session_token, settings_of

        cookie = session_token(request)
        if not cookie:
            return None
        with request.app.state.database.session() as db:
            return accounts.actor_from_session(db, settings=settings_of(request), token=cookie)
    except Exception:  # an error page never fails for want of the menu
        log.warning("error page: could not look up the session", exc_info=True)
        return None


async def _viewer_off_the_loop(request: Request) -> Actor | None:
    """``_viewer``, its session look-up (when no route has looked already) in a thread: a
    query on the event loop would hold up every other request."""
    if hasattr(request.state, "actor") or not _has_session_cookie(request):
        return _viewer(request)
    return await run_in_threadpool(_viewer, request)


def _has_session_cookie(request: Request) -> bool:
    from sciatica_care.web.auth import session_token

    return bool(session_token(request))


#: An English word: a message with one has not been translated (ids and numbers have digits).
_LATIN_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def page_message(request: Request, message: str) -> str:
    """``message`` in the request's language; empty (the page's own words for the status are
    shown instead) when it has no translation, so a page is never half in English."""
    language = request_language(request)
    if not message or language == i18n.DEFAULT_LANGUAGE:
        return message
    translated = i18n.gettext(language, message)
    if translated != message:
        return translated
    # Already in the reader's language (a route that worded its refusal itself): kept.
    return message if not _LATIN_WORD.search(message) else ""


def error_page(request: Request, status: int, message: str, user: Actor | None = None) -> Response:
    """The error page for ``status`` saying ``message`` (in the request's language)."""
    from sciatica_care.web.templating import templates

    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": page_message(request, message), "user": user},
        status_code=status,
    )


def server_error_html(scope: Scope) -> bytes | None:
    """The 500 page's HTML for a request under no route, or None if it cannot be rendered."""
    try:
        from sciatica_care.web.templating import templates

        request = Request(scope)
        template = templates.get_template("error.html")
        return template.render(request=request, status=500, message="", user=None).encode()
    except Exception:
        log.warning("the 500 page could not be rendered", exc_info=True)
        return None


def install_page_errors(app: FastAPI) -> None:
    """HTTP errors Starlette raises itself (no such route, wrong method) as pages off /api."""

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if is_api(request.url.path):
            return await http_exception_handler(request, exc)
        # Starlette's own words ("Not Found") are left to the page, which says it plainly.
        response = error_page(request, exc.status_code, "", await _viewer_off_the_loop(request))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response
