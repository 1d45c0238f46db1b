"""Accounts and sign-in: sign up, log in (throttled), log out, sessions, personal access tokens.

Session and token secrets are random; only their SHA-256 is stored, so a copy of the database
signs no one in. Passwords are hashed with argon2 (pwdlib).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sciatica_care import i18n
from sciatica_care.config import Settings
from sciatica_care.db.tables import (
    DEFAULT_CLINIC_ID,
    LoginAttempt,
    User,
    utcnow,
)
from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.domain.time_zones import DEFAULT_TIME_ZONE, is_time_zone
from sciatica_care.services import sign_in_lookup
from sciatica_care.services.actors import Actor, Role
from sciatica_care.services.audit import record_event
from sciatica_care.services.common_passwords import is_common_password
from sciatica_care.services.errors import (
    Conflict,
    FieldProblem,
    InvalidCredentials,
    InvalidInput,
    Throttled,
)
from sciatica_care.services.throttle import Busy, password_work

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
SELF_SERVICE_ROLES: tuple[Role, ...] = ("client", "therapist")

password_hash = PasswordHash.recommended()
#: What a sign-in with an unknown email is checked against, so that it takes as long as one
#: with a known email: a hash made once by ``password_hash`` (same argon2 cost; a test pins it).
#: Written out rather than made at import, which cost every process a hash (0.13 CPU-s).
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$KpbqfGezi5yAJnIG7tEbmw$yEzwhWAn+oOl+LTtWMuf92eGN4S8Q9dnHyaQ6mBHrqw"  # noqa: E501

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: give ``token`` to the browser (cookie); it is not stored anywhere."""

    actor: Actor
    token: str
    expires_at: datetime


def hash_token(token: str) -> str:
    """SHA-256 of a session or API token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def _check_email(email: str) -> list[FieldProblem]:
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 320 or any(c.isspace() for c in email):
        return [FieldProblem("email", "must be an email address like name@example.org")]
    if "\x00" in email:
        return [FieldProblem("email", "must not contain control characters")]
    return []


def _check_password(password: str) -> list[FieldProblem]:
    """What is wrong with a new password, naming the ``password`` field: its length, or that it
    is one of the most common passwords (ASVS 2.1.7). Every way of setting a password uses it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [FieldProblem("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [FieldProblem("password", f"must be at most {MAX_PASSWORD_LENGTH} characters")]
    if is_common_password(password):
        return [
            FieldProblem(
                "password",
                "is one of the most commonly used passwords, which are tried first; "
                "choose another (a few unrelated words make a good one)",
            )
        ]
    return []


def actor_for(user: User, **extra: str | None) -> Actor:
    """The Actor for a user row."""
    role: Role = user.role  # type: ignore[assignment]
    return Actor(
        user_id=user.id,
        clinic_id=user.clinic_id,
        email=user.email,
        role=role,
        display_name=user.display_name,
        session_id=extra.get("session_id"),
        token_id=extra.get("token_id"),
        time_zone=user.time_zone or DEFAULT_TIME_ZONE,
        reminder_hours_before=user.reminder_hours_before,
        language=user.language,
    )


def check_time_zone(time_zone: str) -> list[FieldProblem]:
    """A problem naming ``time_zone`` unless it is a known IANA name such as Europe/London."""
    if is_time_zone(time_zone):
        return []
    return [FieldProblem("time_zone", "must be an IANA time zone name such as Europe/London")]


def set_time_zone(db: Session, *, actor: Actor, time_zone: str) -> Actor:
    """Change the actor's time zone; InvalidInput naming ``time_zone`` for an unknown zone."""
    if problems := check_time_zone(time_zone):
        raise InvalidInput(problems)
    user = db.get(User, (actor.clinic_id, actor.user_id))
    if user is None:
        raise InvalidInput([FieldProblem("time_zone", "the account no longer exists")])
    user.time_zone = time_zone
    db.commit()
    return replace(actor, time_zone=time_zone)


def check_language(language: str) -> list[FieldProblem]:
    """A problem naming ``language`` unless the product speaks it."""
    if i18n.is_language(language):
        return []
    return [FieldProblem("language", f"must be one of: {', '.join(i18n.LANGUAGES)}")]


def set_language(db: Session, *, actor: Actor, language: str) -> Actor:
    """Change the language the actor reads and is written to in; InvalidInput naming
    ``language`` for one the product does not speak."""
    if problems := check_language(language):
        raise InvalidInput(problems)
    user = db.get(User, (actor.clinic_id, actor.user_id))
    if user is None:
        raise InvalidInput([FieldProblem("language", "the account no longer exists")])
    user.language = language
    db.commit()
    return replace(actor, language=language)


def create_user(
    db: Session,
    *,
    email: str,
    password: str,
    role: Role = "client",
    display_name: str = "",
    clinic_id: str = DEFAULT_CLINIC_ID,
    time_zone: str = DEFAULT_TIME_ZONE,
    settings: Settings | None = None,
) -> User:
    """Add a user to the unit of work (not committed); Conflict if the email is taken.

    The password is hashed in one of the process's hashing slots (``settings`` size them; the
    defaults without); Busy (503) when none comes free in time.
    """
    email = normalise_email(email)
    problems = _check_email(email) + _check_password(password)
    if len(display_name) > 200 or "\x00" in display_name:
        problems.append(FieldProblem("display_name", "must be at most 200 plain characters"))
    problems += check_time_zone(time_zone)
    if problems:
        raise InvalidInput(problems)
    taken = db.scalar(select(User.id).where(User.clinic_id == clinic_id, User.email == email))
    if taken is not None:
        raise Conflict("an account with this email already exists; log in instead")
    with password_work(settings).slot():
        hashed = password_hash.hash(password)
    user = User(
        clinic_id=clinic_id,
        email=email,
        password_hash=hashed,
        role=role,
        display_name=display_name.strip(),
        time_zone=time_zone,
    )
    db.add(user)
    db.flush()
    return user


def _failures_since(db: Session, *, email: str, since: datetime) -> tuple[int, datetime | None]:
    """Failed sign-ins for ``email`` since ``since`` and after its last success: their number
    and the oldest one's time. Attempts still being checked count as failures."""
    last_success = db.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.clinic_id == DEFAULT_CLINIC_ID,
            LoginAttempt.email == email,
            LoginAttempt.succeeded.is_(True),
            LoginAttempt.at >= since,
        )
    )
    start = max(since, last_success) if last_success else since
    count, oldest = db.execute(
        select(func.count(), func.min(LoginAttempt.at)).where(
            LoginAttempt.clinic_id == DEFAULT_CLINIC_ID,
            LoginAttempt.email == email,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at > start,
        )
    ).one()
    return int(count), oldest


def log_in(
    db: Session,
    *,
    settings: Settings,
    email: str,
    password: str,
    previous_token: str | None = None,
) -> SignedIn:
    """Check the password and open a fresh session (the previous one, if any, is revoked).

    Throttled (429) once ``login_max_failures`` failures for this email fall within the last
    ``login_window_minutes``; the count lives in the database so it holds across processes.
    The attempt is recorded (as a failure until the password proves right) and committed
    before the count is taken, so of any number of parallel guesses at most the limit are
    checked: each sees every attempt committed before its own. A refused attempt is removed
    again, so hammering a throttled account does not prolong the wait: the owner can sign in
    once the oldest counted failure is a window old, and a success starts the count afresh.
    """
    email = normalise_email(email)[:320]
    now = utcnow()
    window = timedelta(minutes=settings.login_window_minutes)
    attempt = LoginAttempt(clinic_id=DEFAULT_CLINIC_ID, email=email, succeeded=False, at=now)
    db.add(attempt)
    db.commit()
    failures, oldest = _failures_since(db, email=email, since=now - window)
    if failures > settings.login_max_failures:
        db.delete(attempt)
        db.commit()
        wait = (oldest + window - now).total_seconds() if oldest is not None else 1
        raise Throttled(max(1, int(wait)))
    user = db.scalar(
        select(User).where(
            User.clinic_id == DEFAULT_CLINIC_ID, User.email == email, User.disabled_at.is_(None)
        )
    )
    try:
        with password_work(settings).slot():
            # Verify against a dummy hash for unknown emails so timing does not reveal accounts.
            valid = password_hash.verify(password, user.password_hash if user else _DUMMY_HASH)
    except Busy:
        db.delete(attempt)  # no guess was checked
        db.commit()
        raise
    if not valid or user is None:
        db.commit()
        log.info("failed sign-in")
        raise InvalidCredentials()
    attempt.succeeded = True
    if previous_token:
        _revoke_token_session(db, token=previous_token)
    signed_in = _open_session(db, settings=settings, user=user)
    record_event(db, actor=signed_in.actor, action="sign_in", record_type="session")
    db.commit()
    log.info("user %s signed in", user.id)
    return signed_in


def _open_session(db: Session, *, settings: Settings, user: User) -> SignedIn:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires_at = now + timedelta(hours=settings.session_max_hours)
    row = SessionRow(
        clinic_id=user.clinic_id,
        user_id=user.id,
        token_hash=hash_token(token),
        created_at=now,
        last_seen_at=now,
        expires_at=expires_at,
    )
    db.add(row)
    db.flush()
    return SignedIn(actor=actor_for(user, session_id=row.id), token=token, expires_at=expires_at)


def _revoke_token_session(db: Session, *, token: str) -> None:
    db.execute(
        update(SessionRow)
        .where(SessionRow.token_hash == hash_token(token), SessionRow.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def log_out(db: Session, *, token: str) -> None:
    """Revoke the session behind ``token`` (nothing happens for an unknown token)."""
    _revoke_token_session(db, token=token)
    db.commit()


def actor_from_session(db: Session, *, settings: Settings, token: str) -> Actor | None:
    """The account signed in by session ``token``, or None if unknown, revoked, idle or expired.

    Touches ``last_seen_at`` (at most once a minute), which is what the idle timeout measures.
    """
    idle = timedelta(minutes=settings.session_idle_minutes)
    return sign_in_lookup.session_actor(db, token_hash=hash_token(token), idle=idle)
