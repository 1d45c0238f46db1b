"""Password change (knowing the current one) and reset by an emailed single-use link.

A change ends every other session and every personal access token of the account; a reset
ends all of them. Both check the new password with the same rules as sign-up.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sciatica_care.config import Settings
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, ApiToken, User, utcnow
from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.notifications.outbox import enqueue
from sciatica_care.notifications.render import language_of
from sciatica_care.services import account_links, accounts
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import record_event
from sciatica_care.services.email_verification import link_to
from sciatica_care.services.errors import FieldProblem, InvalidInput, NotFound

log = logging.getLogger(__name__)


def _new_password_problems(password: str, field: str) -> list[FieldProblem]:
    # The sign-up rules, whatever they grow into; reported under this form's field name.
    return [FieldProblem(field, p.message) for p in accounts._check_password(password)]


def end_sessions(db: Session, *, user: User, keep_session_id: str | None = None) -> None:
    """Revoke the account's sessions (but ``keep_session_id``) and all its access tokens."""
    now = utcnow()
    sessions = update(SessionRow).where(
        SessionRow.clinic_id == user.clinic_id,
        SessionRow.user_id == user.id,
        SessionRow.revoked_at.is_(None),
    )
    if keep_session_id is not None:
        sessions = sessions.where(SessionRow.id != keep_session_id)
    db.execute(sessions.values(revoked_at=now))
    db.execute(
        update(ApiToken)
        .where(
            ApiToken.clinic_id == user.clinic_id,
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


def change_password(
    db: Session, *, settings: Settings, actor: Actor, current_password: str, new_password: str
) -> None:
    """Set a new password after checking the current one; ends the account's other sessions
    and tokens (the one in use stays signed in, unless it is a token). InvalidInput names
    ``current_password`` or ``new_password``."""
    user = db.get(User, (actor.clinic_id, actor.user_id))
    if user is None:
        raise NotFound("account")
    if not accounts.password_hash.verify(current_password[:1024], user.password_hash):
        raise InvalidInput([FieldProblem("current_password", "is not your current password")])
    if problems := _new_password_problems(new_password, "new_password"):
        raise InvalidInput(problems)
    user.password_hash = accounts.password_hash.hash(new_password)
    end_sessions(db, user=user, keep_session_id=actor.session_id)
    enqueue(
        db,
        clinic_id=user.clinic_id,
        to=user.email,
        kind="password_changed",
        language=language_of(user),
        reset_link=f"{settings.public_base_url.rstrip('/')}/password-reset",
    )
    record_event(db, actor=actor, action="update", record_type="password", record_id=user.id)
    db.commit()
    log.info("user %s changed their password", user.id)


def request_reset(
    db: Session, *, settings: Settings, email: str, language: str | None = None
) -> None:
    """Mail a reset link if ``email`` has an enabled account; the same (silent) outcome either
    way, so the answer tells nothing. The mail goes out after commit, off the request's time.
    It is written in the account's language, else ``language`` (the asking page's)."""
    email = accounts.normalise_email(email)[:320]
    user = db.scalar(
        select(User).where(
            User.clinic_id == DEFAULT_CLINIC_ID, User.email == email, User.disabled_at.is_(None)
        )
    )
    if user is None:
        log.info("password reset asked for an unknown address")
        return
    minutes = settings.password_reset_minutes
    token = account_links.issue(
        db, user=user, purpose="password_reset", lifetime=timedelta(minutes=minutes)
    )
    enqueue(
        db,
        clinic_id=user.clinic_id,
        to=user.email,
        kind="password_reset",
        language=language_of(user, language),
        link=link_to(settings, "/password-reset/choose", token),
        minutes=minutes,
    )
    db.commit()


def reset_link_is_valid(db: Session, *, token: str) -> bool:
    """Whether ``token`` is an unused, unexpired reset link (for showing the form)."""
    return account_links.find(db, token=token, purpose="password_reset") is not None


def reset_password(db: Session, *, token: str, new_password: str) -> None:
    """Set a new password through a reset link, once; ends every session and token of the
    account. NotFound for an unknown, used or expired link; InvalidInput names new_password.
    Opening the link also proves the address, so it counts as verified."""
    found = account_links.find(db, token=token, purpose="password_reset")
    if found is None:
        raise NotFound("link")
    if problems := _new_password_problems(new_password, "new_password"):
        raise InvalidInput(problems)
    link, user = found
    if not account_links.use(db, link=link):
        db.rollback()
        raise NotFound("link")
    user.password_hash = accounts.password_hash.hash(new_password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    end_sessions(db, user=user)
    actor = accounts.actor_for(user)
    record_event(db, actor=actor, action="update", record_type="password", record_id=user.id)
    db.commit()
    log.info("user %s reset their password", user.id)
