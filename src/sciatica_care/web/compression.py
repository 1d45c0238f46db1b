"""gzip for text responses that carry no secret (Starlette's GZipMiddleware does the work).

BREACH: a compressed response's length tells an onlooker how well it compressed, so a page that
holds a secret next to text an attacker can put there (a query, a typed value echoed back) leaks
the secret a character at a time to someone who can watch the encrypted traffic and make the
browser ask again and again. So only what holds no secret is compressed:
- static files (the same public bytes for everyone): always;
- pages: unless a CSRF token was rendered into them (``csrf_token`` marks the request), which
  every page seen signed in has (the "Log out" form) and every form page has; so health data,
  shown only to the signed-in, is never compressed, and neither is a token. Public pages (home,
  "page not found", the messages) are;
- the API: unless the request carries cookies (ambient credentials a cross-site page could
  make the browser send). Scripts using a bearer token get compressed answers: no other site
  can make a request with their token.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECRET_IN_BODY = "sciatica_care.secret_in_body"
MINIMUM_SIZE = 500  # smaller answers gain little and cost a compressor


class _Secrets:
    """Whether a secret went into the response; one per request, shared by reference because
    the middlewares below copy the scope."""

    def __init__(self) -> None:
        self.found = False


def mark_secret(scope: Scope) -> None:
    """Note that this response's body holds a secret (a CSRF token), so it is not compressed."""
    secrets = scope.get(SECRET_IN_BODY)
    if isinstance(secrets, _Secrets):
        secrets.found = True


def may_compress(scope: Scope) -> bool:
    """Whether the response to this request may be compressed (read once it has started)."""
    path = str(scope.get("path", ""))
    if path.startswith("/static/"):
        return True
    secrets = scope.get(SECRET_IN_BODY)
    if isinstance(secrets, _Secrets) and secrets.found:
        return False
    return not (path.startswith("/api/") and "cookie" in Headers(scope=scope))


class _SecretAwareResponder(GZipResponder):
    """Starlette's gzip responder that passes a response carrying a secret through as it is."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, MINIMUM_SIZE, compresslevel=6)
        self.scope: Scope = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        await super().__call__(scope, receive, send)

    async def send_with_compression(self, message: Message) -> None:
        await super().send_with_compression(message)
        if message["type"] != "http.response.start":
            return
        passed = self.content_encoding_set or self.partial_response or self.content_type_is_excluded
        if not passed and not may_compress(self.scope):
            # Handled as an excluded type: the start goes out now, the body untouched.
            self.content_type_is_excluded = True
            await self.send(self.initial_message)


class Compression(GZipMiddleware):
    """gzip when the client accepts it and the response may be compressed (see above)."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, minimum_size=MINIMUM_SIZE, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "gzip" not in Headers(scope=scope).get("accept-encoding", ""):
            await self.app(scope, receive, send)
            return
        scope[SECRET_IN_BODY] = _Secrets()
        await _SecretAwareResponder(self.app)(scope, receive, send)
