"""Security middleware: strict headers on every response, and CSRF protection (asgi-csrf).

CSRF: every state-changing request that carries cookies must send the token bound to its
session (or, before sign-in, to the visitor's pre-session) in the ``csrftoken`` form field or
the ``x-csrftoken`` header; asgi-csrf checks it (see ``web/csrf.py``). API requests with a
well-formed ``Authorization: Bearer …`` (personal access tokens, not ambient credentials) are
exempt.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sciatica_care.web.compression import mark_secret
from sciatica_care.web.csrf import CSRF_FORM_FIELD, CSRF_HEADER, SessionBoundCsrf, token_for

__all__ = ["CSRF_FORM_FIELD", "CSRF_HEADER", "CSRFProtection", "SecurityHeaders", "csrf_token"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
_NO_STORE = (b"cache-control", b"no-store")


def csrf_token(request: Request) -> str:
    """The CSRF token for forms (``<input type=hidden name=csrftoken>``) and htmx headers: the
    one bound to this request's session (after a sign-in or sign-out, to the new one). The
    response it goes into is not compressed (BREACH, see ``web/compression.py``)."""
    mark_secret(request.scope)
    return token_for(request)


class SecurityHeaders:
    """Adds the security headers (and ``no-store`` outside /static) to every HTTP response,
    also to the 500 answered when the app fails."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(_HEADERS)
        if scope.get("scheme") == "https":
            extra.append(_HSTS)
        if not str(scope.get("path", "")).startswith("/static/"):
            extra.append(_NO_STORE)

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {key.lower() for key, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # The 500 is answered here, with the headers; the error goes on up to be logged
            # (Starlette's outermost error middleware sends nothing once a response started).
            if not started:
                await send_server_error(scope, send_with_headers)
            raise


async def send_plain_error(
    scope: Scope,
    send: Send,
    status: int,
    message: str,
    *,
    text: str | None = None,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """An error answer with only ``message``: JSON (``detail``, ``errors``) under /api, plain
    text (``text``, else the message) elsewhere; ``headers`` are added."""
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps({"detail": message, "errors": []}).encode()
        content_type = b"application/json"
    else:
        body, content_type = (text or message).encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def send_server_error(scope: Scope, send: Send) -> None:
    """A 500 that says nothing of the cause: the error page off /api (text if it fails)."""
    from sciatica_care.web.error_pages import is_api, server_error_html

    page = None if is_api(str(scope.get("path", ""))) else server_error_html(scope)
    if page is None:
        message = "Something went wrong on our side. Please try again."
        text = None
        try:
            from sciatica_care import i18n
            from sciatica_care.web.language import request_language

            _ = i18n.translator(request_language(Request(scope)))
            text = _("Something went wrong on our side. Please try again.")
        except Exception:  # the plain answer never fails for want of a translation
            text = None
        await send_plain_error(scope, send, 500, message, text=text)
        return
    headers = [(b"content-type", b"text/html; charset=utf-8")]
    headers.append((b"content-length", str(len(page)).encode()))
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": page})


CSRF_FAILED = (
    "CSRF check failed: send this session's token (GET /api/v1/auth/csrf, or the "
    "csrf_token of the sign-in answer) in the x-csrftoken header or the csrftoken form "
    "field (or use Authorization: Bearer <token>)"
)


async def _send_csrf_failed(scope: Scope, send: Send, _reason: object) -> None:
    """403 with a message that says what to send (to a page reader in their language)."""
    from sciatica_care import i18n
    from sciatica_care.web.language import request_language

    language = request_language(Request(scope))
    text = None
    if language != i18n.DEFAULT_LANGUAGE:
        _ = i18n.translator(language)
        text = _(
            "The form had expired or came from another page, so nothing was saved. Please go "
            "back, reload the page and try again."
        )
    await send_plain_error(scope, send, 403, CSRF_FAILED, text=text)


ALWAYS_PROTECT = frozenset({"/login", "/signup", "/signup/keep", "/therapist/signup"})


class CSRFProtection:
    """CSRF tokens bound to the session, checked by asgi-csrf (see ``web/csrf.py``).

    ``secure`` is "auto" (by request scheme), "always" or "never": it decides whether the
    pre-session cookie is Secure and ``__Host-`` named, as for the session cookie.
    """

    def __init__(self, app: ASGIApp, *, secret: str, secure: str = "auto") -> None:
        # Login CSRF: the sign-in and sign-up FORMS are checked even without cookies (a
        # forged cross-site post would sign the victim into the attacker's account). The
        # JSON API's sign-in stays open to cookie-less scripts.
        self.app: ASGIApp = SessionBoundCsrf(
            app,
            secret=secret,
            secure=secure,
            always_protect=ALWAYS_PROTECT,
            send_csrf_failed=_send_csrf_failed,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
