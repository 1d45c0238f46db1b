"""Single-use emailed links (password reset, email verification): only a hash is stored, each
expires, and using one marks it used so a second use finds nothing."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sciatica_care.db.tables import AccountToken, User, utcnow
from sciatica_care.services.accounts import hash_token

Purpose = Literal["password_reset", "verify_email"]
MAX_LINK_TOKEN_LENGTH = 100


def issue(db: Session, *, user: User, purpose: Purpose, lifetime: timedelta) -> str:
    """A new link token for ``user`` (earlier unused ones of the same purpose stop working)."""
    now = utcnow()
    db.execute(
        update(AccountToken)
        .where(
            AccountToken.clinic_id == user.clinic_id,
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.add(
        AccountToken(
            clinic_id=user.clinic_id,
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    db.flush()
    return token


def find(db: Session, *, token: str, purpose: Purpose) -> tuple[AccountToken, User] | None:
    """The unused, unexpired link and its (enabled) account, or None."""
    if not token or len(token) > MAX_LINK_TOKEN_LENGTH:
        return None
    row = db.execute(
        select(AccountToken, User)
        .join(User, (User.clinic_id == AccountToken.clinic_id) & (User.id == AccountToken.user_id))
        .where(AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose)
    ).first()
    if row is None:
        return None
    link, user = row
    if link.used_at is not None or link.expires_at <= utcnow() or user.disabled_at is not None:
        return None
    return link, user


def use(db: Session, *, link: AccountToken) -> bool:
    """Mark ``link`` used; False if another request used it first (checked in the database)."""
    done = db.execute(
        update(AccountToken)
        .where(
            AccountToken.clinic_id == link.clinic_id,
            AccountToken.id == link.id,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return bool(getattr(done, "rowcount", 0) == 1)
