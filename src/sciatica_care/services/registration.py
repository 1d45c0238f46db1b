"""Sign-up that does not tell whether an email has an account.

Every well-formed sign-up gets the same answer ("check your email") after about the same work
(one password hash, one queued email, one commit): a new address gets its account and the link
to verify it; an address that has an account gets no new one, and its owner gets an email
saying someone tried. No one is signed in by signing up; the new account logs in as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care import i18n
from sciatica_care.config import Settings
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, User
from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.time_zones import DEFAULT_TIME_ZONE
from sciatica_care.notifications.outbox import enqueue
from sciatica_care.notifications.render import language_of
from sciatica_care.services import accounts, assessments
from sciatica_care.services.actors import Role
from sciatica_care.services.audit import record_event
from sciatica_care.services.email_verification import send_verification
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput
from sciatica_care.services.throttle import password_work

log = logging.getLogger(__name__)


def register(
    db: Session,
    *,
    settings: Settings,
    email: str,
    password: str,
    role: Role = "client",
    display_name: str = "",
    time_zone: str = DEFAULT_TIME_ZONE,
    assessment: Assessment | None = None,
    on_created: Callable[[User], None] | None = None,
    language: str | None = None,
) -> User | None:
    """Create the account and queue its verification email, or, when the address already has
    an account, queue an email to its owner instead. InvalidInput names a wrong field (the
    same for both). Returns the new user, or None; callers must answer the same either way.

    ``assessment`` is kept as the new account's first; ``on_created`` adds to a new account
    in the same transaction (a therapist's profile). ``language`` is the sign-up page's: the
    new account keeps it as its language (emails, calendars), starting with the verification
    email; an existing account's owner is written to in their own language."""
    if role not in accounts.SELF_SERVICE_ROLES:
        raise InvalidInput([FieldProblem("role", "must be client or therapist")])
    try:
        user = accounts.create_user(
            db,
            email=email,
            password=password,
            role=role,
            display_name=display_name,
            time_zone=time_zone,
            settings=settings,
        )
    except Conflict:
        _tell_the_owner(db, settings=settings, email=email, password=password)
        return None
    if language is not None and i18n.is_language(language):
        user.language = language
    if on_created is not None:
        on_created(user)
    send_verification(db, settings=settings, user=user)
    actor = accounts.actor_for(user)
    record_event(db, actor=actor, action="sign_up", record_type="user")
    db.commit()
    log.info("user %s signed up", user.id)
    if assessment is not None:
        assessments.run_assessment(db, actor=actor, assessment=assessment)
    return user


def _tell_the_owner(db: Session, *, settings: Settings, email: str, password: str) -> None:
    # Hash the password all the same (in a hashing slot, as creating an account does), so that
    # this path costs what creating an account costs.
    with password_work(settings).slot():
        accounts.password_hash.hash(password)
    owner = db.scalar(
        select(User).where(
            User.clinic_id == DEFAULT_CLINIC_ID, User.email == accounts.normalise_email(email)
        )
    )
    if owner is not None:
        base = settings.public_base_url.rstrip("/")
        enqueue(
            db,
            clinic_id=owner.clinic_id,
            to=owner.email,
            kind="signup_existing",
            language=language_of(owner),
            login_link=f"{base}/login",
            reset_link=f"{base}/password-reset",
        )
    db.commit()
    log.info("sign-up for an address that has an account; its owner is told by email")
