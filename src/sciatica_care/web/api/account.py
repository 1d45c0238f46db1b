"""Accounts over the API: sign up, log in (session cookie), log out, me, personal access tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from sciatica_care.services import accounts, assessments
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import Forbidden
from sciatica_care.web import auth
from sciatica_care.web.api.schemas import (
    CsrfOut,
    ErrorOut,
    LogInIn,
    MeChangesIn,
    MeOut,
    NewTokenOut,
    SignedInOut,
    SignedOutEverywhereOut,
    SignUpIn,
    TokenIn,
    TokenOut,
)
from sciatica_care.web.auth import SignedInUser, UnitOfWork
from sciatica_care.web.security import CSRF_HEADER, csrf_token

router = APIRouter(tags=["accounts"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    422: {"model": ErrorOut, "description": "a field is wrong; errors names it"},
}


def me_of(actor: Actor) -> MeOut:
    return MeOut(
        id=actor.user_id,
        email=actor.email,
        role=actor.role,
        display_name=actor.display_name,
        clinic_id=actor.clinic_id,
        time_zone=actor.time_zone,
    )


@router.post(
    "/auth/signup",
    status_code=status.HTTP_201_CREATED,
    responses={**ERRORS, 409: {"model": ErrorOut, "description": "email taken"}},
)
def sign_up(body: SignUpIn, request: Request, response: Response, db: UnitOfWork) -> SignedInOut:
    """Create an account and sign it in (session cookie); optionally keep an assessment."""
    signed_in = auth.sign_up(
        request,
        response,
        db,
        email=body.email,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        time_zone=body.time_zone,
    )
    actor = signed_in.actor
    kept = None
    if body.assessment is not None:
        kept = assessments.run_assessment(db, actor=actor, assessment=body.assessment).id
    return SignedInOut(
        user=me_of(actor),
        expires_at=signed_in.expires_at,
        kept_assessment_id=kept,
        csrf_token=csrf_token(request),
    )


@router.post(
    "/auth/login",
    responses={**ERRORS, 429: {"model": ErrorOut, "description": "too many failed sign-ins"}},
)
def log_in(body: LogInIn, request: Request, response: Response, db: UnitOfWork) -> SignedInOut:
    """Sign in with email and password; sets the HttpOnly session cookie (a new session)."""
    signed_in = auth.sign_in(request, response, db, email=body.email, password=body.password)
    return SignedInOut(
        user=me_of(signed_in.actor),
        expires_at=signed_in.expires_at,
        csrf_token=csrf_token(request),
    )


@router.get("/auth/csrf")
def get_csrf_token(request: Request) -> CsrfOut:
    """A CSRF token (also set as the csrftoken cookie) for cookie-signed-in JSON calls."""
    return CsrfOut(csrf_token=csrf_token(request), header=CSRF_HEADER)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def log_out(request: Request, response: Response, db: UnitOfWork) -> None:
    """End the session (revoked on the server), clear the cookie and the site's data
    (``Clear-Site-Data: "cache", "storage"``)."""
    auth.sign_out(request, response, db)


@router.post(
    "/auth/logout-everywhere",
    responses={**ERRORS, 403: {"model": ErrorOut, "description": "signed in by a token"}},
)
def log_out_everywhere(
    request: Request, response: Response, actor: SignedInUser, db: UnitOfWork
) -> SignedOutEverywhereOut:
    """End every session and personal access token of the account, this one included; needs a
    signed-in session (a token cannot do it)."""
    if actor.session_id is None:
        raise Forbidden("sign in with your password to sign out everywhere")
    return SignedOutEverywhereOut(ended=auth.sign_out_everywhere(request, response, db, actor))


@router.get("/me", responses=ERRORS)
def me(actor: SignedInUser) -> MeOut:
    """The signed-in account."""
    return me_of(actor)


@router.patch("/me", responses=ERRORS)
def change_me(body: MeChangesIn, actor: SignedInUser, db: UnitOfWork) -> MeOut:
    """Change the signed-in account's settings: ``time_zone`` (an IANA name such as
    Europe/London) decides which calendar day a check-in counts for and how times are shown."""
    if body.time_zone is not None:
        actor = accounts.set_time_zone(db, actor=actor, time_zone=body.time_zone)
    return me_of(actor)


@router.post(
    "/tokens",
    status_code=status.HTTP_201_CREATED,
    responses={
        **ERRORS,
        403: {"model": ErrorOut, "description": "not a session signed in within the hour"},
    },
)
def create_token(body: TokenIn, actor: SignedInUser, db: UnitOfWork) -> NewTokenOut:
    """Create a personal access token for scripts, for the API only: ``read`` (GET only) or
    ``write``, expiring after ``expires_in_days`` (default 90, at most 365). Needs a session
    signed in within the last hour; a token cannot make tokens. The token is shown only here."""
    new = accounts.create_api_token(
        db, actor=actor, name=body.name, scope=body.scope, expires_in_days=body.expires_in_days
    )
    return NewTokenOut(
        id=new.id,
        name=new.name,
        prefix=new.prefix,
        scope=new.scope,
        created_at=new.created_at,
        expires_at=new.expires_at,
        token=new.token,
    )


@router.get("/tokens", responses=ERRORS)
def list_tokens(actor: SignedInUser, db: UnitOfWork) -> list[TokenOut]:
    """Your personal access tokens (without the secret)."""
    return [
        TokenOut(
            id=t.id,
            name=t.name,
            prefix=t.prefix,
            scope=t.scope,
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
        )
        for t in accounts.list_api_tokens(db, actor=actor)
    ]


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "no such token of yours"}},
)
def revoke_token(token_id: str, actor: SignedInUser, db: UnitOfWork) -> None:
    """Revoke one of your tokens."""
    accounts.revoke_api_token(db, actor=actor, token_id=token_id)
