"""Read-only links a client gives a clinician: the doctor's report (page and PDF), no account.

Shaped like the emailed account links (``services/account_links.py``): the token is random
(256 bits), only its hash is stored, and each link expires. Unlike them a link may be opened
many times until it expires or the client revokes it; the access check reads the link afresh on
every request (``services/access.py``), so a revocation holds from the very next one. Each open
is audited with the actor role ``clinician_link`` and the link's id as the actor.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import ClinicianLink, User, utcnow
from sciatica_care.services.access import require_client_access, require_role
from sciatica_care.services.accounts import hash_token
from sciatica_care.services.actors import Actor, Role
from sciatica_care.services.errors import FieldProblem, InvalidInput, NotFound

DEFAULT_DAYS = 14
MIN_DAYS, MAX_DAYS = 1, 30
MAX_LABEL = 100
MAX_TOKEN_LENGTH = 100
ROLE: Role = "clinician_link"


@dataclass(frozen=True, slots=True)
class LinkView:
    """One link as its client sees it (never the token, which only the maker ever sees)."""

    id: str
    label: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_opened_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()


def _view(link: ClinicianLink) -> LinkView:
    return LinkView(
        link.id,
        link.label,
        link.created_at,
        link.expires_at,
        link.revoked_at,
        link.last_opened_at,
    )


def check_days(days: int | str | None) -> int:
    """The lifetime in days (default 14); InvalidInput naming ``days`` outside 1-30."""
    if days is None or days == "":
        return DEFAULT_DAYS
    try:
        value = int(days)
    except (TypeError, ValueError):
        value = 0
    if not MIN_DAYS <= value <= MAX_DAYS:
        problem = f"must be a whole number of days from {MIN_DAYS} to {MAX_DAYS}"
        raise InvalidInput([FieldProblem("days", problem)])
    return value


def issue(
    db: Session, *, actor: Actor, days: int | str | None = None, label: str = ""
) -> tuple[LinkView, str]:
    """A new link to the actor's own report; returns it and its token (shown once)."""
    require_role(actor, "client")
    lifetime = check_days(days)
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        raise InvalidInput([FieldProblem("label", f"must be at most {MAX_LABEL} characters")])
    now = utcnow()
    token = secrets.token_urlsafe(32)
    link = ClinicianLink(
        clinic_id=actor.clinic_id,
        user_id=actor.user_id,
        token_hash=hash_token(token),
        label=label,
        created_at=now,
        expires_at=now + timedelta(days=lifetime),
    )
    db.add(link)
    db.flush()
    require_client_access(
        db,
        actor=actor,
        client_id=actor.user_id,
        action="share",
        record_type="sharing",
        record_id=link.id,
    )
    db.commit()
    return _view(link), token


def links_of(db: Session, *, actor: Actor) -> Sequence[LinkView]:
    """The actor's links, newest first (active and ended)."""
    require_role(actor, "client")
    rows = db.scalars(
        select(ClinicianLink)
        .where(ClinicianLink.clinic_id == actor.clinic_id, ClinicianLink.user_id == actor.user_id)
        .order_by(ClinicianLink.created_at.desc())
        .limit(200)
    ).all()
    return [_view(r) for r in rows]


def revoke(db: Session, *, actor: Actor, link_id: str) -> None:
    """End one of the actor's links now (ending an ended one changes nothing)."""
    require_role(actor, "client")
    link = db.get(ClinicianLink, (actor.clinic_id, link_id)) if len(link_id) == 32 else None
    if link is None or link.user_id != actor.user_id:
        raise NotFound("link")
    require_client_access(
        db,
        actor=actor,
        client_id=actor.user_id,
        action="revoke",
        record_type="sharing",
        record_id=link.id,
    )
    if link.revoked_at is None:
        link.revoked_at = utcnow()
    db.commit()


@dataclass(frozen=True, slots=True)
class OpenedLink:
    """A link that holds: who is reading (role ``clinician_link``), whose report, until when."""

    actor: Actor
    client_id: str
    expires_at: datetime


def open_link(db: Session, *, token: str, route: str) -> OpenedLink:
    """The clinician behind a link (an Actor with role ``clinician_link``) and the client it
    shows; NotFound for a token that is unknown, expired, revoked or whose client is gone.
    The caller then reads the report through the access check, which audits the open."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("link")
    row = db.execute(
        select(ClinicianLink, User)
        .join(
            User, (User.clinic_id == ClinicianLink.clinic_id) & (User.id == ClinicianLink.user_id)
        )
        .where(ClinicianLink.token_hash == hash_token(token))
    ).first()
    if row is None:
        raise NotFound("link")
    link, user = row
    if link.revoked_at is not None or link.expires_at <= utcnow() or user.disabled_at:
        raise NotFound("link")
    link.last_opened_at = utcnow()
    actor = Actor(
        user_id=link.id,
        clinic_id=link.clinic_id,
        email="",
        role=ROLE,
        display_name="",
        route=route,
        time_zone=user.time_zone,
    )
    return OpenedLink(actor, link.user_id, link.expires_at)
