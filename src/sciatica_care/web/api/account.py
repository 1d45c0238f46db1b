"""Accounts over the API: sign up, log in (session cookie), log out, me, personal access tokens."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request, Response, status
from pydantic import BaseModel, Field

from sciatica_care.services import (
    account_settings,
    api_tokens,
    email_verification,
    passwords,
    registration,
)
from sciatica_care.services.account_settings import KEEP
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
from sciatica_care.web.auth import SignedInUser, UnitOfWork, settings_of
from sciatica_care.web.language import request_language
from sciatica_care.web.mail import deliver_outbox
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
        reminder_hours_before=actor.reminder_hours_before,
    )


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=4096)


class PasswordResetIn(BaseModel):
    email: str = Field(max_length=320)


class PasswordResetConfirmIn(BaseModel):
    token: str = Field(max_length=200)
    new_password: str = Field(max_length=4096)


class LinkTokenIn(BaseModel):
    token: str = Field(max_length=200)


class AcceptedOut(BaseModel):
    detail: str


NO_LINK: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "the link is unknown, used or expired"}
}


SIGN_UP_ACCEPTED = (
    "check your email: a new account gets a link to confirm its address; the owner of an "
    "existing account is told instead"
)


@router.post("/auth/signup", status_code=status.HTTP_202_ACCEPTED, responses=ERRORS)
def sign_up(
    body: SignUpIn, request: Request, db: UnitOfWork, background: BackgroundTasks
) -> AcceptedOut:
    """Sign up. The answer is the same whether or not the email has an account: a new account
    is created (keeping ``assessment``, if given) and mailed a link to verify its address;
    an existing account's owner is mailed instead. Nobody is signed in: log in next."""
    registration.register(
        db,
        settings=settings_of(request),
        email=body.email,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        time_zone=body.time_zone,
        assessment=body.assessment,
    )
    background.add_task(deliver_outbox, request.app)
    return AcceptedOut(detail=SIGN_UP_ACCEPTED)


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
    Europe/London) decides which calendar day a check-in counts for and how times are shown;
    ``reminder_hours_before`` (2, 24, 48, or null for none) when booking reminders are emailed."""
    reminders_sent = "reminder_hours_before" in body.model_fields_set
    changed = account_settings.change_settings(  # all or nothing
        db,
        actor=actor,
        time_zone=body.time_zone,
        reminder_hours=body.reminder_hours_before if reminders_sent else KEEP,
    )
    return me_of(changed)


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
    new = api_tokens.create_api_token(
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
        for t in api_tokens.list_api_tokens(db, actor=actor)
    ]


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "no such token of yours"}},
)
def revoke_token(token_id: str, actor: SignedInUser, db: UnitOfWork) -> None:
    """Revoke one of your tokens."""
    api_tokens.revoke_api_token(db, actor=actor, token_id=token_id)


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def change_password(
    body: PasswordChangeIn,
    request: Request,
    actor: SignedInUser,
    db: UnitOfWork,
    background: BackgroundTasks,
) -> None:
    """Change your password (the current one is required). Every other session and every
    personal access token of the account ends; the session making the change stays."""
    passwords.change_password(
        db,
        settings=settings_of(request),
        actor=actor,
        current_password=body.current_password,
        new_password=body.new_password,
    )
    background.add_task(deliver_outbox, request.app)


@router.post("/auth/password-reset", status_code=status.HTTP_202_ACCEPTED, responses=ERRORS)
def request_password_reset(
    body: PasswordResetIn, request: Request, db: UnitOfWork, background: BackgroundTasks
) -> AcceptedOut:
    """Mail a single-use reset link to the address if it has an account. The answer is the
    same whether or not it has one."""
    passwords.request_reset(
        db, settings=settings_of(request), email=body.email, language=request_language(request)
    )
    background.add_task(deliver_outbox, request.app)
    return AcceptedOut(detail="if an account uses this address, a reset link was sent to it")


@router.post(
    "/auth/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**ERRORS, **NO_LINK},
)
def confirm_password_reset(body: PasswordResetConfirmIn, db: UnitOfWork) -> None:
    """Set a new password with the emailed link's token (once, before it expires); every
    session and token of the account ends."""
    passwords.reset_password(db, token=body.token, new_password=body.new_password)


@router.post(
    "/auth/verify-email", status_code=status.HTTP_204_NO_CONTENT, responses={**ERRORS, **NO_LINK}
)
def verify_email(body: LinkTokenIn, db: UnitOfWork) -> None:
    """Confirm an email address with the emailed link's token (once, before it expires)."""
    email_verification.verify(db, token=body.token)


@router.post("/me/verify-email", status_code=status.HTTP_202_ACCEPTED, responses=ERRORS)
def resend_verification(
    request: Request, actor: SignedInUser, db: UnitOfWork, background: BackgroundTasks
) -> AcceptedOut:
    """Mail a fresh verification link (nothing is sent when the address is verified)."""
    email_verification.resend(db, settings=settings_of(request), actor=actor)
    background.add_task(deliver_outbox, request.app)
    return AcceptedOut(detail="a verification link was sent unless the address is verified")
