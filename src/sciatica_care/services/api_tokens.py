"""Personal access tokens: for scripts, on the API only, read or write, expiring; a token
never makes another token (ASVS L2)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import ApiToken, utcnow
from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.services.accounts import hash_token
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, Forbidden, InvalidInput, NotFound
from sciatica_care.services.sign_in_lookup import token_actor

TOKEN_PREFIX = "scpat_"
TOKEN_SCOPES = ("read", "write")
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365
#: Making a token needs a session signed in this recently (a token never makes a token).
RECENT_SIGN_IN = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class NewApiToken:
    """A new personal access token; ``token`` is shown once and never again."""

    id: str
    name: str
    prefix: str
    token: str
    created_at: datetime
    scope: str
    expires_at: datetime


def actor_from_api_token(db: Session, *, token: str) -> Actor | None:
    """The account behind personal access token ``token`` (with its scope), or None if unknown,
    revoked or expired."""
    return token_actor(db, token_hash=hash_token(token))


def create_api_token(
    db: Session,
    *,
    actor: Actor,
    name: str,
    scope: str = "read",
    expires_in_days: int = DEFAULT_TOKEN_DAYS,
) -> NewApiToken:
    """Make a personal access token for scripts (``Authorization: Bearer <token>``), for the
    API only, reading only (``scope="read"``) or also changing data (``"write"``), expiring after
    ``expires_in_days`` (1 to 365). Forbidden unless the actor is a session signed in within
    ``RECENT_SIGN_IN``: a token never makes another token."""
    if actor.session_id is None:
        raise Forbidden("a token cannot make tokens: sign in with your password")
    session = db.get(SessionRow, (actor.clinic_id, actor.session_id))
    if session is None or utcnow() - session.created_at > RECENT_SIGN_IN:
        raise Forbidden("sign in again (within the last hour) to make a token")
    name = name.strip()
    problems = []
    if not name or len(name) > 100 or "\x00" in name:
        problems.append(FieldProblem("name", "must be 1 to 100 plain characters"))
    if scope not in TOKEN_SCOPES:
        problems.append(FieldProblem("scope", "must be read or write"))
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        problems.append(FieldProblem("expires_in_days", f"must be 1 to {MAX_TOKEN_DAYS} days"))
    if problems:
        raise InvalidInput(problems)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        clinic_id=actor.clinic_id,
        user_id=actor.user_id,
        name=name,
        prefix=token[:12],
        token_hash=hash_token(token),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days),
    )
    db.add(row)
    db.commit()
    return NewApiToken(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        token=token,
        created_at=row.created_at,
        scope=row.scope,
        expires_at=row.expires_at,
    )


def list_api_tokens(db: Session, *, actor: Actor) -> Sequence[ApiToken]:
    """The actor's personal access tokens that are neither revoked nor expired, newest first."""
    return db.scalars(
        select(ApiToken)
        .where(
            ApiToken.clinic_id == actor.clinic_id,
            ApiToken.user_id == actor.user_id,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
        )
        .order_by(ApiToken.created_at.desc())
    ).all()


def revoke_api_token(db: Session, *, actor: Actor, token_id: str) -> None:
    """Revoke one of the actor's tokens; NotFound for anyone else's or an unknown id."""
    row = db.get(ApiToken, (actor.clinic_id, token_id)) if len(token_id) == 32 else None
    if row is None or row.user_id != actor.user_id or row.revoked_at is not None:
        raise NotFound("token")
    row.revoked_at = utcnow()
    db.commit()
