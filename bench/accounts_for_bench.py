"""Accounts for the benchmarks: an API token the way a script gets one (sign in with the
password, then make a token from that fresh session: a token never makes a token)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sciatica_care.config import load_settings
from sciatica_care.services.accounts import log_in
from sciatica_care.services.api_tokens import create_api_token


def bench_token(db: Session, *, email: str, password: str, scope: str = "write") -> str:
    """A ``scope`` API token for the account ``email`` (committed)."""
    signed_in = log_in(db, settings=load_settings(), email=email, password=password)
    token = create_api_token(db, actor=signed_in.actor, name="bench", scope=scope).token
    db.commit()
    return token
