"""Email verification: a link mailed at sign-up (and on request) proves the address is the
account's. Until then the account works, shows "verify your email", and a therapist's profile
cannot be verified by an admin. Password reset works either way (it proves the address too)."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy.orm import Session

from sciatica_care.config import Settings
from sciatica_care.db.tables import User, utcnow
from sciatica_care.notifications.outbox import enqueue
from sciatica_care.notifications.render import language_of
from sciatica_care.services import account_links
from sciatica_care.services.accounts import actor_for
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import record_event
from sciatica_care.services.errors import NotFound

log = logging.getLogger(__name__)


def link_to(settings: Settings, path: str, token: str) -> str:
    """An absolute link on the configured public address (never the request's Host)."""
    return f"{settings.public_base_url.rstrip('/')}{path}?token={quote(token)}"


def send_verification(
    db: Session, *, settings: Settings, user: User, language: str | None = None
) -> None:
    """Queue the verification email for ``user`` (not committed), in the account's language,
    else ``language`` (the sign-up page's), else English."""
    hours = settings.email_verification_hours
    token = account_links.issue(
        db, user=user, purpose="verify_email", lifetime=timedelta(hours=hours)
    )
    enqueue(
        db,
        clinic_id=user.clinic_id,
        to=user.email,
        kind="verify_email",
        language=language_of(user, language),
        link=link_to(settings, "/verify-email", token),
        hours=hours,
    )


def is_verified(db: Session, *, actor: Actor) -> bool:
    """Whether the actor's email address has been verified."""
    user = db.get(User, (actor.clinic_id, actor.user_id))
    return user is not None and user.email_verified_at is not None


def resend(db: Session, *, settings: Settings, actor: Actor) -> None:
    """Send a fresh verification link (earlier ones stop working); nothing if verified."""
    user = db.get(User, (actor.clinic_id, actor.user_id))
    if user is None or user.email_verified_at is not None:
        return
    send_verification(db, settings=settings, user=user)
    db.commit()


def verify(db: Session, *, token: str) -> None:
    """Mark the address of the link's account verified; NotFound for an unknown, used or
    expired link."""
    found = account_links.find(db, token=token, purpose="verify_email")
    if found is None or not account_links.use(db, link=found[0]):
        db.rollback()
        raise NotFound("link")
    user = found[1]
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    actor = actor_for(user)
    record_event(db, actor=actor, action="verify", record_type="email", record_id=user.id)
    db.commit()
    log.info("user %s verified their email", user.id)
