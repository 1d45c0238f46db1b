"""CSRF tokens bound to the visitor's session; asgi-csrf checks them.

asgi-csrf (a maintained library) does the checking: which requests are checked (not GET/HEAD/
OPTIONS/TRACE; cookie-less requests only on the sign-in and sign-up forms; not requests
authenticated by a well-formed ``Authorization: Bearer`` token, which carry no ambient
credential: it passes those unchecked, so on the API this layer sends them straight past it),
where the token is read from (the ``x-csrftoken`` header, or the ``csrftoken`` field of an
urlencoded or multipart body, which it replays to the app) and the constant-time
comparison. On its own it accepts any token it ever signed, as long as the same value comes back
in a cookie: a token minted for an anonymous visitor, tossed into the victim's browser as a
cookie by a sibling host or port, would forge the victim's requests.

This layer decides what the one valid token is: an HMAC (keyed by the app's secret) of the
session cookie, or, before sign-in, of the visitor's own anonymous ``sc_visitor`` cookie (a
pre-session, HttpOnly, minted on first use). asgi-csrf is shown that token as its cookie (the
browser's own cookie header is never parsed by it), so a token from any other session or visitor
fails. The token changes whenever the session does: at sign-in (a new session) and at sign-out
(a new visitor), see ``rebind``. Nothing about the token is stored: it is derived on each request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass

from asgi_csrf import asgi_csrf  # type: ignore[import-untyped]
from itsdangerous.url_safe import URLSafeSerializer
from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sciatica_care.web import cookies

CSRF_FORM_FIELD = "csrftoken"  # asgi-csrf's fixed form field name
CSRF_HEADER = "x-csrftoken"
_NAMESPACE = "csrftoken"  # asgi-csrf's signing namespace (its default)
_SHOWN_COOKIE = "sc_csrf_expected"  # the only cookie asgi-csrf is shown; never sent to browsers
_STATE = "sciatica_care.csrf"
_ORIGINAL_HEADERS = "sciatica_care.csrf.headers"
_BEARER = re.compile(r"^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*) *$")
#: Methods asgi-csrf never checks (it lets them through untouched).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_BEARER_SCHEME = re.compile(r"^\s*bearer(\s|$)", re.IGNORECASE)

SendFailed = Callable[[Scope, Send, object], Awaitable[None]]


def is_bearer(authorization: str) -> bool:
    """Whether the header names the Bearer scheme at all (well-formed or not)."""
    return _BEARER_SCHEME.match(authorization) is not None


def bearer_token(authorization: str) -> str | None:
    """The token of a well-formed ``Bearer <token>`` header value (RFC 6750), else None."""
    match = _BEARER.match(authorization)
    return match.group(1) if match else None


class _Tokens:
    """Derives the token for a binding ("session:<cookie>" or "visitor:<cookie>")."""

    def __init__(self, secret: str) -> None:
        # The same signer asgi-csrf builds from the secret, so it accepts what this mints.
        self._signer = URLSafeSerializer(secret)
        self._key = hashlib.sha256(b"sciatica-care csrf binding\x00" + secret.encode()).digest()

    def for_binding(self, binding: str) -> str:
        digest = hmac.new(self._key, binding.encode(), hashlib.sha256).hexdigest()
        return str(self._signer.dumps(digest, salt=_NAMESPACE))


@dataclass
class _State:
    """This request's binding (None: a visitor id is minted the first time a token is asked
    for, so a request that renders no token costs no random bytes); ``new_visitor`` is set on
    the response if a page used it."""

    tokens: _Tokens
    binding: str | None
    secure: bool
    new_visitor: str | None = None
    used: bool = False
    #: The last binding's token, (binding, token): a page asks for it once per form (three
    #: times on the dashboard), and each derivation is an HMAC and a signature.
    derived: tuple[str, str] | None = None

    def expected(self) -> str:
        if self.binding is None:
            self.new_visitor = new_visitor()
            self.binding = f"visitor:{self.new_visitor}"
        if self.derived is None or self.derived[0] != self.binding:
            self.derived = (self.binding, self.tokens.for_binding(self.binding))
        return self.derived[1]

    def page_token(self) -> str:
        self.used = True
        return self.expected()


def token_for(request: Request) -> str:
    """The CSRF token of this request's session (or pre-session), for forms and headers."""
    state: _State | None = request.scope.get(_STATE)
    return state.page_token() if state is not None else ""


def rebind(request: Request, *, session: str | None = None, visitor: str | None = None) -> None:
    """The session changed during this request (sign-in: ``session``; sign-out: a new
    ``visitor``): tokens given from now on are bound to it. The caller sets the cookie."""
    state: _State | None = request.scope.get(_STATE)
    if state is None:
        return
    state.binding = f"session:{session}" if session else f"visitor:{visitor}"
    state.new_visitor = None


def new_visitor() -> str:
    """A fresh anonymous pre-session id."""
    return secrets.token_urlsafe(32)


class SessionBoundCsrf:
    """asgi-csrf, checking the token bound to the visitor's session (see the module doc)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: str,
        secure: str,
        always_protect: Collection[str],
        send_csrf_failed: SendFailed,
    ) -> None:
        self.app = app
        self.tokens = _Tokens(secret)
        self.secure_mode = secure
        self.checked: ASGIApp = asgi_csrf(
            self._restored(app),
            signing_secret=secret,
            signing_namespace=_NAMESPACE,
            cookie_name=_SHOWN_COOKIE,
            http_header=CSRF_HEADER,
            always_protect=set(always_protect),
            send_csrf_failed=send_csrf_failed,
            cookie_secure=True,
        )

    @staticmethod
    def _restored(app: ASGIApp) -> ASGIApp:
        """The app sees the request's own headers again, and this layer's token getter."""

        async def restore(scope: Scope, receive: Receive, send: Send) -> None:
            state: _State | None = scope.get(_STATE)
            if state is None:  # not HTTP (lifespan, websocket): nothing to bind
                await app(scope, receive, send)
                return
            scope = {**scope, "headers": scope[_ORIGINAL_HEADERS], "csrftoken": state.page_token}
            await app(scope, receive, send)

        return restore

    def _state(self, scope: Scope) -> tuple[_State, str | None]:
        secure = cookies.secure_request(scope, self.secure_mode)
        raw = Headers(scope=scope).get("cookie")  # read exactly as Request.cookies reads it
        jar = cookie_parser(raw) if raw else {}
        session = jar.get(cookies.name(cookies.SESSION, secure=secure))
        visitor = jar.get(cookies.name(cookies.VISITOR, secure=secure))
        if session:
            binding: str | None = f"session:{session}"
        else:
            binding = f"visitor:{visitor}" if visitor else None
        return _State(self.tokens, binding, secure), raw

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state, raw_cookie = self._state(scope)
        if scope["method"] in SAFE_METHODS:
            # asgi-csrf checks nothing on these and adds nothing to their answer: the app gets
            # this layer's token getter directly.
            scope = {**scope, _STATE: state, "csrftoken": state.page_token}
            await self.app(scope, receive, self._with_cookie(state, send))
            return
        # A token authenticates only the API (never a page), so only there does it exempt the
        # request from the check; a malformed Authorization header exempts nothing.
        authorization = Headers(scope=scope).get("authorization", "")
        token = bearer_token(authorization)
        if token and str(scope.get("path", "")).startswith("/api/"):
            # asgi-csrf lets every request showing it a Bearer header through unchecked, after
            # minting a token for a request without its cookie (16 random characters, a system
            # call each): such a request goes past it directly.
            scope = {**scope, _STATE: state, "csrftoken": state.page_token}
            await self.app(scope, receive, self._with_cookie(state, send))
            return
        original = list(scope.get("headers") or [])
        shown = [(k, v) for k, v in original if k.lower() not in (b"cookie", b"authorization")]
        if raw_cookie:
            shown.append((b"cookie", f"{_SHOWN_COOKIE}={state.expected()}".encode()))
        checked_scope = {**scope, "headers": shown, _STATE: state, _ORIGINAL_HEADERS: original}
        await self.checked(checked_scope, receive, self._with_cookie(state, send))

    @staticmethod
    def _with_cookie(state: _State, send: Send) -> Send:
        """``send``, adding ``Vary: Cookie`` (and a new visitor's cookie) when a page used the
        token."""

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and state.used:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"vary"]
                vary = [v for k, v in message.get("headers", []) if k.lower() == b"vary"]
                headers.append((b"vary", b", ".join([*vary, b"Cookie"]) if vary else b"Cookie"))
                if state.new_visitor is not None:
                    value = cookies.header(cookies.VISITOR, state.new_visitor, secure=state.secure)
                    headers.append((b"set-cookie", value))
                message = {**message, "headers": headers}
            await send(message)

        return send_with_cookie
