"""Sharing by consent: a client shares (parts of) their record with a therapist, by the
therapist's share code or an invitation link, after confirming the scopes; sees everyone who can
see their data; and revokes any of them. A therapist can remove a client from their list, which
ends the share too. Ending a share keeps its row (the consent history) and takes effect on the
next request: the access check reads the ``shares`` table afresh every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from sciatica_care.config import Settings
from sciatica_care.db.tables import Booking, Share, TherapistProfile, User, utcnow
from sciatica_care.domain.access import SCOPES
from sciatica_care.domain.time_bounds import BOOKING_HORIZON, time_problem
from sciatica_care.i18n import N_
from sciatica_care.services import therapists
from sciatica_care.services.access import (
    consent_of,
    is_record_id,
    require_client_access,
    require_role,
)
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class ShareView:
    """One share as its client and its therapist see it."""

    id: str
    client_id: str
    client_name: str
    therapist_id: str
    therapist_name: str
    therapist_verified: bool
    scopes: tuple[str, ...]
    via: str
    granted_at: datetime
    revoked_at: datetime | None
    ended_by: str | None
    next_session_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def invitation_link(settings: Settings, token: str) -> str:
    """The invitation link a therapist sends: under the configured public base URL, never the
    Host header of the request that made it (which anyone can set)."""
    return settings.public_url(invitation_path(token))


def invitation_path(token: str) -> str:
    """The path of the page a client opens to accept an invitation."""
    return f"/share/invite/{token}"


def check_scopes(scopes: Sequence[str]) -> list[str]:
    """The scopes in their canonical order; InvalidInput (field ``scopes``) if empty or unknown."""
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise InvalidInput(
            [FieldProblem("scopes", f"unknown scope {unknown[0]!r}; one of {', '.join(SCOPES)}")]
        )
    if not scopes:
        raise InvalidInput([FieldProblem("scopes", N_("choose at least one thing to share"))])
    return [s for s in SCOPES if s in scopes]


def _view(db: Session, share: Share) -> ShareView:
    client = db.get(User, (share.clinic_id, share.client_id))
    therapist = db.get(User, (share.clinic_id, share.therapist_id))
    profile = db.scalars(
        select(TherapistProfile).where(
            TherapistProfile.clinic_id == share.clinic_id,
            TherapistProfile.user_id == share.therapist_id,
        )
    ).first()
    return ShareView(
        id=share.id,
        client_id=share.client_id,
        client_name=client.display_name if client else "",
        therapist_id=share.therapist_id,
        therapist_name=therapist.display_name if therapist else "",
        therapist_verified=bool(profile and profile.verified_at),
        scopes=tuple(share.scopes),
        via=share.via,
        granted_at=share.granted_at,
        revoked_at=share.revoked_at,
        ended_by=share.ended_by,
        next_session_at=share.next_session_at,
    )


def _booked_therapist(
    db: Session, *, actor: Actor, booking_id: str
) -> tuple[User, TherapistProfile, str]:
    """The therapist of one of the client's own bookings (consent offered after booking)."""
    booked = db.get(Booking, (actor.clinic_id, booking_id)) if is_record_id(booking_id) else None
    user = db.get(User, (actor.clinic_id, booked.therapist_id)) if booked else None
    profile = db.scalars(
        select(TherapistProfile).where(
            TherapistProfile.clinic_id == actor.clinic_id,
            TherapistProfile.user_id == (booked.therapist_id if booked else ""),
        )
    ).first()
    mine = booked is not None and booked.client_id == actor.user_id
    if not mine or user is None or profile is None or user.disabled_at is not None:
        raise NotFound("booking")
    return user, profile, "booking"


def _therapist(
    db: Session,
    *,
    actor: Actor,
    code: str | None,
    invitation: str | None,
    booking_id: str | None = None,
) -> tuple[User, TherapistProfile, str]:
    clinic_id = actor.clinic_id
    if booking_id and not code and not invitation:
        return _booked_therapist(db, actor=actor, booking_id=booking_id)
    if bool(code) == bool(invitation):
        raise InvalidInput([FieldProblem("code", "give either a share code or an invitation")])
    if code:
        user, profile = therapists.therapist_by_code(db, clinic_id=clinic_id, code=code)
        return user, profile, "code"
    invite = therapists.open_invitation(db, clinic_id=clinic_id, token=invitation or "")
    invited = db.get(User, (clinic_id, invite.therapist_id))
    invited_profile = db.scalars(
        select(TherapistProfile).where(
            TherapistProfile.clinic_id == clinic_id, TherapistProfile.user_id == invite.therapist_id
        )
    ).first()
    if invited is None or invited_profile is None or invited.disabled_at is not None:
        raise NotFound("invitation")
    return invited, invited_profile, "invitation"


def find_therapist(
    db: Session,
    *,
    actor: Actor,
    code: str | None = None,
    invitation: str | None = None,
    booking_id: str | None = None,
) -> therapists.PublicProfile:
    """The therapist behind a share code, an invitation or one of the client's bookings, for
    the client to confirm."""
    require_role(actor, "client")
    user, profile, _ = _therapist(
        db,
        actor=actor,
        code=code,
        invitation=invitation,
        booking_id=booking_id,
    )
    return therapists.public_profile(user, profile)


def share(
    db: Session,
    *,
    actor: Actor,
    scopes: Sequence[str],
    code: str | None = None,
    invitation: str | None = None,
    booking_id: str | None = None,
) -> ShareView:
    """The client shares the given scopes with a therapist (found by code, invitation, or one
    of the client's bookings). Sharing again with the same therapist changes the scopes of the
    active share. An invitation is used up."""
    require_role(actor, "client")
    chosen = check_scopes(scopes)
    user, _, via = _therapist(
        db,
        actor=actor,
        code=code,
        invitation=invitation,
        booking_id=booking_id,
    )
    now = utcnow()
    if via == "invitation":
        invite = therapists.open_invitation(db, clinic_id=actor.clinic_id, token=invitation or "")
        invite.used_at = now
    row = consent_of(db, clinic_id=actor.clinic_id, client_id=actor.user_id, therapist_id=user.id)
    if row is None or row.revoked_at is not None:
        row = Share(
            clinic_id=actor.clinic_id,
            client_id=actor.user_id,
            therapist_id=user.id,
            scopes=chosen,
            via=via,
            granted_at=now,
        )
        db.add(row)
        db.flush()
    else:
        row.scopes = chosen
    require_client_access(
        db,
        actor=actor,
        client_id=actor.user_id,
        action="share",
        record_type="sharing",
        record_id=row.id,
    )
    db.commit()
    return _view(db, row)


def my_shares(db: Session, *, actor: Actor, include_ended: bool = False) -> list[ShareView]:
    """Everyone who can see the client's data (active shares; with ``include_ended`` also the
    ended ones), newest first."""
    require_client_access(
        db, actor=actor, client_id=actor.user_id, action="list", record_type="sharing"
    )
    query = select(Share).where(
        Share.clinic_id == actor.clinic_id, Share.client_id == actor.user_id
    )
    if not include_ended:
        query = query.where(Share.revoked_at.is_(None))
    rows = db.scalars(query.order_by(Share.granted_at.desc())).all()
    views = sorted((_view(db, r) for r in rows), key=lambda v: not v.active)
    db.commit()
    return views


def _own_share(db: Session, *, actor: Actor, share_id: str) -> Share:
    row = db.get(Share, (actor.clinic_id, share_id)) if is_record_id(share_id) else None
    if row is None or row.client_id != actor.user_id:
        raise NotFound("share")
    return row


def change_scopes(db: Session, *, actor: Actor, share_id: str, scopes: Sequence[str]) -> ShareView:
    """The client changes what an active share covers."""
    chosen = check_scopes(scopes)
    row = _own_share(db, actor=actor, share_id=share_id)
    if row.revoked_at is not None:
        raise NotFound("share")
    require_client_access(
        db,
        actor=actor,
        client_id=row.client_id,
        action="update",
        record_type="sharing",
        record_id=row.id,
    )
    row.scopes = chosen
    db.commit()
    return _view(db, row)


def revoke(db: Session, *, actor: Actor, share_id: str) -> None:
    """The client ends a share: from the next request the therapist sees nothing more."""
    row = _own_share(db, actor=actor, share_id=share_id)
    require_client_access(
        db,
        actor=actor,
        client_id=row.client_id,
        action="revoke",
        record_type="sharing",
        record_id=row.id,
    )
    if row.revoked_at is None:
        row.revoked_at, row.ended_by = utcnow(), "client"
    db.commit()


def active_share(db: Session, *, actor: Actor, client_id: str) -> Share:
    """The therapist's active share with ``client_id``; NotFound if there is none."""
    require_role(actor, "therapist")
    row = (
        consent_of(db, clinic_id=actor.clinic_id, client_id=client_id, therapist_id=actor.user_id)
        if is_record_id(client_id)
        else None
    )
    if row is None or row.revoked_at is not None:
        raise NotFound("client")
    return row


def remove_client(db: Session, *, actor: Actor, client_id: str) -> None:
    """The therapist removes a client from their list: the share ends; the notes they wrote
    stay part of the client's record (the client still reads them, the therapist no longer)."""
    row = active_share(db, actor=actor, client_id=client_id)
    require_client_access(
        db,
        actor=actor,
        client_id=client_id,
        action="revoke",
        record_type="sharing",
        record_id=row.id,
    )
    row.revoked_at, row.ended_by = utcnow(), "therapist"
    db.commit()


def set_next_session(
    db: Session, *, actor: Actor, client_id: str, at: datetime | None
) -> ShareView:
    """The therapist notes the client's next session (None clears it)."""
    row = active_share(db, actor=actor, client_id=client_id)
    require_client_access(
        db,
        actor=actor,
        client_id=client_id,
        action="update",
        record_type="sharing",
        record_id=row.id,
    )
    if at is not None and at.tzinfo is None:
        raise InvalidInput([FieldProblem("next_session_at", "must include a time zone")])
    problem = time_problem(at, now=utcnow(), ahead=BOOKING_HORIZON) if at is not None else None
    if problem:
        raise InvalidInput([FieldProblem("next_session_at", problem)])
    row.next_session_at = at.astimezone(UTC) if at is not None else None
    db.commit()
    return _view(db, row)


#: What the client list reads of each share: its id, whose, what and since when, and the next
#: session (five columns, not whole rows: the list reads 200 at once).
ListedShare = Row[str, str, list[str], datetime, datetime | None]


def therapist_shares(db: Session, *, actor: Actor) -> Sequence[ListedShare]:
    """The therapist's active shares (their client list), newest first."""
    require_role(actor, "therapist")
    return db.execute(
        select(Share.id, Share.client_id, Share.scopes, Share.granted_at, Share.next_session_at)
        .where(
            Share.clinic_id == actor.clinic_id,
            Share.therapist_id == actor.user_id,
            Share.revoked_at.is_(None),
        )
        .order_by(Share.granted_at.desc())
    ).all()
