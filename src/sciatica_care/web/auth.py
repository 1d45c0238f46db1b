"""Who is asking, for pages and the API: dependencies, and the session cookie's life.

- ``unit_of_work``: a database Session for the request (closed afterwards).
- ``current_user``: the signed-in ``Actor`` or None (session cookie, or ``Authorization: Bearer``
  on the API only; a request with a Bearer Authorization header is never signed in by its
  cookie, and a malformed one is refused).
- ``require_user``: the Actor, or 401 (the API) / the error page (pages).
- ``sign_in`` / ``sign_up`` / ``sign_out``: call the services and set or clear the cookie; the
  CSRF token is rebound to the new session (or pre-session) at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sciatica_care.config import Settings
from sciatica_care.services import accounts, api_tokens, sessions
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import BadToken, Forbidden, NotSignedIn, ServiceError
from sciatica_care.web import cookies, csrf
from sciatica_care.web.language import remember_language

SESSION_COOKIE = cookies.SESSION  # over TLS it is named __Host-sc_session (see web/cookies.py)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: Sent with every sign-out: the browser forgets cached pages and this site's storage (the
#: wizard's unsent answers in localStorage among them).
CLEAR_SITE_DATA = '"cache", "storage"'


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def unit_of_work(request: Request) -> AsyncIterator[Session]:
    """A database session for this request; services commit it, this closes it.

    Opened and closed in the event loop, not in a worker thread: making a session does no I/O,
    and closing it at most rolls back and returns its connection to the pool. A route that
    ends with a transaction open (a read after the service's commit) gives its connection back
    without waiting for a free thread, so requests waiting for a thread never hold every
    pooled connection while every thread waits for one. Closed once the route has made its
    answer (``scope="function"``), before the answer is sent: a slow reader of a large answer
    does not keep a connection out of the pool."""
    db = request.app.state.database.session()
    try:
        yield db
    finally:
        db.close()


UnitOfWork = Annotated[Session, Depends(unit_of_work, scope="function")]


def _secure(request: Request) -> bool:
    return cookies.secure_request(request.scope, settings_of(request).secure_cookies)


def secure_cookies(request: Request) -> bool:
    """Whether cookies set in answer to ``request`` are marked Secure."""
    return _secure(request)


def session_cookie_name(request: Request) -> str:
    """``sc_session``, or ``__Host-sc_session`` when cookies are Secure on this request."""
    return cookies.name(SESSION_COOKIE, secure=_secure(request))


def session_token(request: Request) -> str | None:
    """The session cookie's value, if the browser sent one."""
    return request.cookies.get(session_cookie_name(request))


def _token_actor(request: Request, db: Session, authorization: str) -> Actor:
    """The account behind ``Authorization: Bearer <token>``; BadToken when the header is
    malformed, the token signs no one in, or the request is for a page."""
    if not request.url.path.startswith("/api/"):
        raise BadToken("personal access tokens work on the API (/api/v1) only, not on pages")
    token = csrf.bearer_token(authorization)
    if token is None:
        raise BadToken("malformed Authorization header: send 'Authorization: Bearer <token>'")
    actor = api_tokens.actor_from_api_token(db, token=token)
    if actor is None:
        raise BadToken("this token is unknown, revoked or expired")
    if actor.token_scope != "write" and request.method not in SAFE_METHODS:
        raise Forbidden("this token may only read; make a token with the write scope to change")
    return actor


def route_template(request: Request) -> str:
    """The matched route with its placeholders ("/api/v1/diary/{entry_id}"), not the ids."""
    path = request.url.path
    template = getattr(request.scope.get("route"), "path", None)
    if not template:
        return path
    # Routes of included routers report their path without the prefix they were mounted at.
    actual, parts = path.split("/"), template.split("/")
    prefix = "/".join(actual[: len(actual) - len(parts) + 1])
    return f"{prefix}{template}" if len(actual) >= len(parts) else template


def current_user(request: Request, db: UnitOfWork) -> Actor | None:
    """The signed-in account (with the route for the audit log), or None."""
    actor = _signed_in(request, db)
    # The look-up's transaction ends here, so that the request holds no pooled connection while
    # it waits for the thread that runs its route. Otherwise, with more requests in flight than
    # threads, requests holding every connection wait for a thread while every thread waits for
    # a connection, until the pool's timeout.
    db.commit()
    return actor


def _signed_in(request: Request, db: Session) -> Actor | None:
    """The signed-in account, or None, looked up once a request (kept on ``request.state``)."""
    if hasattr(request.state, "actor"):
        actor: Actor | None = request.state.actor
        return actor
    # Other schemes (a proxy's Basic auth, say) are not ours and are ignored; they exempt nothing
    # from the CSRF check either.
    authorization = request.headers.get("authorization", "")
    if csrf.is_bearer(authorization):
        actor = _token_actor(request, db, authorization)
    elif cookie := session_token(request):
        actor = accounts.actor_from_session(db, settings=settings_of(request), token=cookie)
    else:
        actor = None
    if actor is not None:
        actor = dataclasses.replace(actor, route=f"{request.method} {route_template(request)}")
    request.state.actor = actor
    return actor


CurrentUser = Annotated[Actor | None, Depends(current_user)]
T = TypeVar("T")


async def in_unit_of_work(
    request: Request, work: Callable[[Session, Actor | None], T], *, takes_turn: bool = True
) -> T:
    """Run ``work`` with a unit of work and the signed-in account (or None, as ``current_user``
    decides) in ONE worker thread: the sign-in lookup, the service and its commit. For the hot
    write routes, which would otherwise hop to a thread for each sync dependency (opening the
    unit of work, the sign-in, the route, closing) and back. On SQLite these units of work take
    turns, one at a time in this process (``web/write_turns.py``), unless ``takes_turn`` is
    False (work that holds the CPU long, as a password check does)."""

    def run() -> T:
        with request.app.state.database.session() as db:
            # The look-up and the work share one transaction and one pooled connection: this
            # thread goes straight on to the work, so there is nothing to wait for in between
            # (on PostgreSQL a check-out, its pre-ping, a BEGIN and a COMMIT fewer per request).
            # A look-up that writes (the last-used time) commits that write itself.
            return work(db, _signed_in(request, db))

    turns = request.app.state.write_turns
    return await turns.run(run, takes_turn=takes_turn)  # type: ignore[no-any-return]


def sends_credentials(request: Request) -> bool:
    """Whether the request carries a sign-in of any kind: a bearer token or a session cookie
    (whether it signs anyone in is for the look-up to say)."""
    return csrf.is_bearer(request.headers.get("authorization", "")) or bool(session_token(request))


async def credentials_sent(request: Request) -> None:
    """Refuses (401) a request that carries no sign-in at all (no bearer token, no session
    cookie) before its input is read, as ``SignedInUser`` does: for the routes whose sign-in
    look-up runs later, in ``in_unit_of_work``. On the event loop: no thread, no query.
    Should the input then be refused, ``sign_in_refusal`` looks the sign-in up first."""
    if not sends_credentials(request):
        raise NotSignedIn()


async def sign_in_refusal(request: Request) -> ServiceError | None:
    """For a request whose input was refused before its sign-in was looked up: the refusal its
    sign-in earns (an unknown, revoked or expired token; a session that has ended, on a route
    that needs one), which comes before the input's, as on the routes whose sign-in is a
    dependency; None when there is none. The look-up runs in a thread, and only for a request
    that sent a bearer token or needs a sign-in (its route depends on ``credentials_sent``,
    which may not have run: FastAPI refuses a body that is not JSON before any dependency)."""
    if hasattr(request.state, "actor"):
        return None
    route = request.scope.get("route")
    required = any(d.dependency is credentials_sent for d in getattr(route, "dependencies", ()))
    bearer = csrf.is_bearer(request.headers.get("authorization", ""))
    if not bearer and (not required or not session_token(request)):
        return NotSignedIn() if required else None

    def look_up() -> ServiceError | None:
        try:
            with request.app.state.database.session() as db:
                actor = _signed_in(request, db)
        except ServiceError as refused:
            return refused
        return NotSignedIn() if actor is None and required else None

    return await run_in_threadpool(look_up)


SignInSent = Depends(credentials_sent)


def require_user(actor: CurrentUser) -> Actor:
    """The signed-in account; refuses (401) when no one is signed in."""
    if actor is None:
        raise NotSignedIn()
    return actor


SignedInUser = Annotated[Actor, Depends(require_user)]


def _delete_cookie(request: Request, response: Response, base: str) -> None:
    secure = _secure(request)
    response.delete_cookie(
        cookies.name(base, secure=secure), path="/", secure=secure, httponly=True, samesite="lax"
    )


def set_session_cookie(request: Request, response: Response, signed_in: accounts.SignedIn) -> None:
    """Give the browser the session token (HttpOnly, SameSite=Lax, Secure and ``__Host-`` over
    TLS), end the pre-session, and bind the CSRF token to the new session."""
    response.set_cookie(
        session_cookie_name(request),
        signed_in.token,
        max_age=settings_of(request).session_max_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    _delete_cookie(request, response, cookies.VISITOR)
    csrf.rebind(request, session=signed_in.token)
    request.state.actor = dataclasses.replace(signed_in.actor)


def _end_browser_session(request: Request, response: Response) -> None:
    """Clear the session cookie and site data; a fresh pre-session (and CSRF token) follows."""
    _delete_cookie(request, response, SESSION_COOKIE)
    visitor = csrf.new_visitor()
    response.headers.append(
        "set-cookie", cookies.header(cookies.VISITOR, visitor, secure=_secure(request)).decode()
    )
    response.headers["clear-site-data"] = CLEAR_SITE_DATA
    csrf.rebind(request, visitor=visitor)
    request.state.actor = None


def sign_in(
    request: Request, response: Response, db: Session, *, email: str, password: str
) -> accounts.SignedIn:
    """Log in (rotating any previous session) and set the cookie on ``response``."""
    signed_in = accounts.log_in(
        db,
        settings=settings_of(request),
        email=email,
        password=password,
        previous_token=session_token(request),
    )
    set_session_cookie(request, response, signed_in)
    if signed_in.actor.language:  # every device follows the account's language
        remember_language(response, signed_in.actor.language, secure=_secure(request))
    return signed_in


def sign_out(request: Request, response: Response, db: Session) -> None:
    """Revoke the session, clear the cookie and the site's data in the browser."""
    if token := session_token(request):
        accounts.log_out(db, token=token)
    _end_browser_session(request, response)


def sign_out_everywhere(request: Request, response: Response, db: Session, actor: Actor) -> int:
    """End every session and personal access token of the account (this browser's too);
    returns how many ended."""
    ended = sessions.end_every_session(db, actor=actor)
    _end_browser_session(request, response)
    return ended


def clear_session_cookie(request: Request, response: Response) -> None:
    """Forget the session cookie (after the account was erased: the session is gone already)."""
    _end_browser_session(request, response)


def start_page(user: Actor) -> str:
    """Where each kind of account starts: therapists at their clients, admins at therapists."""
    return {"therapist": "/therapist/clients", "admin": "/admin/therapists"}.get(
        user.role, "/dashboard"
    )
