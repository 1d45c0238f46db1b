"""Security middleware: strict headers on every response, and CSRF protection (asgi-csrf).

CSRF uses the double-submit cookie of the maintained ``asgi-csrf`` library: a signed token in
the ``csrftoken`` cookie must come back in the ``csrftoken`` form field or the ``x-csrftoken``
header on every state-changing request that carries cookies. Requests with
``Authorization: Bearer …`` (personal access tokens, not ambient credentials) are exempt.
"""

from __future__ import annotations

import json
from typing import Any

from asgi_csrf import asgi_csrf  # type: ignore[import-untyped]
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "csrftoken"
CSRF_FORM_FIELD = "csrftoken"  # asgi-csrf's fixed form field name
CSRF_HEADER = "x-csrftoken"

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
    """The CSRF token for forms (``<input type=hidden name=csrftoken>``) and htmx headers."""
    get_token = request.scope.get("csrftoken")
    return str(get_token()) if get_token is not None else ""


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


async def send_server_error(scope: Scope, send: Send) -> None:
    """A 500 that says nothing of the cause (JSON under /api)."""
    message = "Something went wrong on our side. Please try again."
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps({"detail": message, "errors": []}).encode()
        content_type = b"application/json"
    else:
        body, content_type = message.encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _send_csrf_failed(scope: Scope, send: Send, _reason: object) -> None:
    """403 with a message that says what to send (JSON under /api)."""
    message = (
        "CSRF check failed: send the csrftoken cookie's value in the x-csrftoken header "
        "or the csrftoken form field (or use Authorization: Bearer <token>)"
    )
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps({"detail": message, "errors": []}).encode()
        content_type = b"application/json"
    else:
        body, content_type = message.encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


ALWAYS_PROTECT = frozenset({"/login", "/signup", "/signup/keep", "/therapist/signup"})


class CSRFProtection:
    """asgi-csrf, with the cookie marked Secure when the request came over TLS.

    ``secure`` is "auto" (by request scheme), "always" or "never".
    """

    def __init__(self, app: ASGIApp, *, secret: str, secure: str = "auto") -> None:
        options: dict[str, Any] = {
            "signing_secret": secret,
            "cookie_name": CSRF_COOKIE,
            "send_csrf_failed": _send_csrf_failed,
            "http_header": CSRF_HEADER,
            "cookie_samesite": "Lax",
            # Login CSRF: the sign-in and sign-up FORMS are checked even without cookies (a
            # forged cross-site post would sign the victim into the attacker's account). The
            # JSON API's sign-in stays open to cookie-less scripts.
            "always_protect": ALWAYS_PROTECT,
        }
        self.secure_app: ASGIApp = asgi_csrf(app, cookie_secure=secure != "never", **options)
        self.plain_app: ASGIApp = asgi_csrf(app, cookie_secure=secure == "always", **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("scheme") == "https":
            await self.secure_app(scope, receive, send)
        else:
            await self.plain_app(scope, receive, send)
