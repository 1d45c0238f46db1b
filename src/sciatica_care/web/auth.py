"""Who is asking, for pages and the API: dependencies, and the session cookie's life.

- ``unit_of_work``: a database Session for the request (closed afterwards).
- ``current_user``: the signed-in ``Actor`` or None (session cookie, or ``Authorization: Bearer``).
- ``require_user``: the Actor, or 401 (the API) / the error page (pages).
- ``sign_in`` / ``sign_up`` / ``sign_out``: call the services and set or clear the cookie.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from sciatica_care.config import Settings
from sciatica_care.services import accounts, therapists
from sciatica_care.services.actors import Actor, Role
from sciatica_care.services.errors import NotSignedIn

SESSION_COOKIE = "sc_session"


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def unit_of_work(request: Request) -> Iterator[Session]:
    """A database session for this request; services commit it, this closes it."""
    with request.app.state.database.session() as db:
        yield db


UnitOfWork = Annotated[Session, Depends(unit_of_work)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


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
    if hasattr(request.state, "actor"):
        actor: Actor | None = request.state.actor
        return actor
    token = _bearer(request)
    if token is not None:
        actor = accounts.actor_from_api_token(db, token=token)
    elif cookie := request.cookies.get(SESSION_COOKIE):
        actor = accounts.actor_from_session(db, settings=settings_of(request), token=cookie)
    else:
        actor = None
    if actor is not None:
        actor = dataclasses.replace(actor, route=f"{request.method} {route_template(request)}")
    request.state.actor = actor
    return actor


CurrentUser = Annotated[Actor | None, Depends(current_user)]


def require_user(actor: CurrentUser) -> Actor:
    """The signed-in account; refuses (401) when no one is signed in."""
    if actor is None:
        raise NotSignedIn()
    return actor


SignedInUser = Annotated[Actor, Depends(require_user)]


def _cookie_secure(request: Request) -> bool:
    mode = settings_of(request).secure_cookies
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")


def set_session_cookie(request: Request, response: Response, signed_in: accounts.SignedIn) -> None:
    """Give the browser the session token: HttpOnly, SameSite=Lax, Secure over TLS."""
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.token,
        max_age=settings_of(request).session_max_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=_cookie_secure(request),
        path="/",
    )
    request.state.actor = dataclasses.replace(signed_in.actor)


def sign_in(
    request: Request, response: Response, db: Session, *, email: str, password: str
) -> accounts.SignedIn:
    """Log in (rotating any previous session) and set the cookie on ``response``."""
    signed_in = accounts.log_in(
        db,
        settings=settings_of(request),
        email=email,
        password=password,
        previous_token=request.cookies.get(SESSION_COOKIE),
    )
    set_session_cookie(request, response, signed_in)
    return signed_in


def sign_up(
    request: Request,
    response: Response,
    db: Session,
    *,
    email: str,
    password: str,
    role: Role = "client",
    display_name: str = "",
    time_zone: str = "UTC",
) -> accounts.SignedIn:
    """Create an account, sign it in and set the cookie on ``response``."""
    if previous := request.cookies.get(SESSION_COOKIE):
        accounts.log_out(db, token=previous)
    signed_in = accounts.sign_up(
        db,
        settings=settings_of(request),
        email=email,
        password=password,
        role=role,
        display_name=display_name,
        time_zone=time_zone,
    )
    set_session_cookie(request, response, signed_in)
    return signed_in


def sign_out(request: Request, response: Response, db: Session) -> None:
    """Revoke the session and clear the cookie."""
    if token := request.cookies.get(SESSION_COOKIE):
        accounts.log_out(db, token=token)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    request.state.actor = None


def sign_up_therapist(
    request: Request,
    response: Response,
    db: Session,
    *,
    email: str,
    password: str,
    display_name: str,
    profile: therapists.TherapistProfileInput | dict[str, object],
) -> accounts.SignedIn:
    """Create a therapist account with its (unverified) profile, sign it in, set the cookie."""
    if previous := request.cookies.get(SESSION_COOKIE):
        accounts.log_out(db, token=previous)
    signed_in = therapists.sign_up_therapist(
        db,
        settings=settings_of(request),
        email=email,
        password=password,
        display_name=display_name,
        profile=profile,
    )
    set_session_cookie(request, response, signed_in)
    return signed_in


def clear_session_cookie(request: Request, response: Response) -> None:
    """Forget the session cookie (after the account was erased: the session is gone already)."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    request.state.actor = None


def start_page(user: Actor) -> str:
    """Where each kind of account starts: therapists at their clients, admins at therapists."""
    return {"therapist": "/therapist/clients", "admin": "/admin/therapists"}.get(
        user.role, "/dashboard"
    )
