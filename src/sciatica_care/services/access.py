"""The one access check. Every read or write of a client's health data goes through here.

The policy itself is the table of :mod:`sciatica_care.domain.access`; this module maps the
database state onto it: the actor's role, and the client's consent (the ``shares`` table, read
afresh on every call, so a revocation holds from the very next request). Anyone the policy does
not allow gets NotFound, exactly as for an id that does not exist, so ids reveal nothing.
Every allowed read or write is written to the audit log (who, what, which route; no values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.id_lists import one_of
from sciatica_care.db.tables import (
    AssessmentRecord,
    Booking,
    ClinicianLink,
    DiaryEntry,
    OutcomeMeasure,
    SessionNote,
    Share,
    utcnow,
)
from sciatica_care.domain import access as policy
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import Action, record_event, record_events
from sciatica_care.services.errors import Forbidden, NotFound

ClientRecord = TypeVar("ClientRecord", AssessmentRecord, DiaryEntry, OutcomeMeasure, SessionNote)

ID_LENGTH = 32
HEX = frozenset("0123456789abcdef")
_HEX_DIGITS = "".join(sorted(HEX))

RECORD_TYPES: dict[type[object], str] = {
    AssessmentRecord: "assessment",
    DiaryEntry: "diary_entry",
    OutcomeMeasure: "outcome_measure",
    SessionNote: "session_note",
}

#: Which part of the record (a policy resource) each audited record type belongs to. A record
#: type missing here is denied (deny by default).
RESOURCE_OF: dict[str, policy.Resource] = {
    "assessment": "assessments",
    "dashboard": "assessments",
    "diary_entry": "diary",
    "trend": "diary",
    "outcome_measure": "outcomes",
    "session_note": "notes",
    "what_helped": "notes",
    "client": "profile",
    "sharing": "sharing",
    "export": "export",
    "account": "erase",
    "audit": "audit",
    "report": "assessments",
}

#: Audited actions that only read; every other action writes.
READS: frozenset[str] = frozenset({"read", "list", "export"})


def is_record_id(value: str) -> bool:
    """Whether ``value`` looks like one of our ids (32 lowercase hex characters)."""
    # Nothing is left once every hex digit is stripped from both ends: every one is a hex digit.
    return len(value) == ID_LENGTH and not value.strip(_HEX_DIGITS)


def consent_of(db: Session, *, clinic_id: str, client_id: str, therapist_id: str) -> Share | None:
    """The client's sharing with this therapist: the active share, else the latest ended one,
    else None (they never shared). Read from the database every time: consent is not cached."""
    return db.scalars(
        select(Share)
        .where(
            Share.clinic_id == clinic_id,
            Share.client_id == client_id,
            Share.therapist_id == therapist_id,
        )
        .order_by(Share.revoked_at.is_(None).desc(), Share.granted_at.desc())
        .limit(1)
    ).first()


def _link_consent(db: Session, *, clinic_id: str, link_id: str, client_id: str) -> policy.Consent:
    """A clinician link as consent: active while it is this client's, unexpired and not revoked.
    Read from the database every time, so a revocation holds from the very next request."""
    link = db.get(ClinicianLink, (clinic_id, link_id)) if is_record_id(link_id) else None
    active = (
        link is not None
        and link.user_id == client_id
        and link.revoked_at is None
        and link.expires_at > utcnow()
    )
    return policy.Consent(scopes=frozenset(), active=active)


def requester_for(db: Session, *, actor: Actor | None, client_id: str) -> policy.Requester:
    """The actor as the policy sees them: their relation to ``client_id`` and consent scopes."""
    if actor is None:
        return policy.requester(role=None, user_id=None, client_id=client_id)
    consent = None
    if actor.role == "clinician_link":
        consent = _link_consent(
            db, clinic_id=actor.clinic_id, link_id=actor.user_id, client_id=client_id
        )
    if actor.role == "therapist" and actor.user_id != client_id:
        share = consent_of(
            db, clinic_id=actor.clinic_id, client_id=client_id, therapist_id=actor.user_id
        )
        consent = _share_consent(share)
    return policy.requester(
        role=actor.role, user_id=actor.user_id, client_id=client_id, consent=consent
    )


class _Consented(Protocol):
    """What a consent is read from: a share, or just these two of its columns."""

    @property
    def scopes(self) -> list[str]: ...

    @property
    def revoked_at(self) -> datetime | None: ...


def _share_consent(share: _Consented | None) -> policy.Consent | None:
    if share is None:
        return None
    scopes = frozenset(s for s in share.scopes if s in policy.SCOPES)
    return policy.Consent(scopes=scopes, active=share.revoked_at is None)


def may_access(
    db: Session,
    *,
    actor: Actor,
    client_id: str,
    clinic_id: str,
    action: policy.Action = "read",
    resource: policy.Resource = "assessments",
) -> bool:
    """Whether ``actor`` may ``action`` the ``resource`` part of ``client_id``'s record."""
    if actor.clinic_id != clinic_id or not is_record_id(client_id):
        return False
    who = requester_for(db, actor=actor, client_id=client_id)
    return policy.decide(who, action, resource).allowed


def require_client_access(
    db: Session,
    *,
    actor: Actor,
    client_id: str,
    action: Action,
    record_type: str,
    record_id: str | None = None,
) -> policy.Requester:
    """Refuse (NotFound) unless ``actor`` may do ``action`` on this part of the client's record;
    audit it if they may. Returns how the policy saw the actor (relation and scopes)."""
    if record_type not in RESOURCE_OF or not is_record_id(client_id):
        raise NotFound(record_type.replace("_", " "))
    who = requester_for(db, actor=actor, client_id=client_id)
    _allow(actor=actor, who=who, client_id=client_id, action=action, record_type=record_type)
    record_event(
        db,
        actor=actor,
        action=action,
        record_type=record_type,
        record_id=record_id,
        subject_user_id=client_id,
    )
    return who


def _allow(
    *,
    actor: Actor,
    who: policy.Requester,
    client_id: str,
    action: Action,
    record_type: str,
) -> None:
    """Refuse (NotFound; Forbidden for an admin's own record) unless the policy allows."""
    resource = RESOURCE_OF.get(record_type)
    verb: policy.Action = "read" if action in READS else "write"
    if resource is None or not policy.decide(who, verb, resource).allowed:
        if who.relation == "admin" and client_id == actor.user_id:
            raise Forbidden("admins manage accounts; they keep no health data")
        raise NotFound(record_type.replace("_", " "))


def require_therapist_access(
    db: Session,
    *,
    actor: Actor,
    client_ids: Sequence[str],
    action: Action,
    record_type: str,
    also: Sequence[tuple[Action, str]] = (),
) -> dict[str, policy.Requester]:
    """:func:`require_client_access` of a therapist for many clients at once (the client list):
    the consents in one query, read afresh; NotFound if any one is refused; each audited.

    ``also``: further reads (action, record type) decided on the same consents, each
    for the clients whose consent allows it (:func:`allowed_ids`; the others are left out, not
    refused), each audited for those clients after the first."""
    ids = [c for c in client_ids if is_record_id(c)]
    if actor.role != "therapist" or len(ids) != len(client_ids):
        raise NotFound(record_type.replace("_", " "))
    shares: dict[str, _Consented] = {}
    if ids:
        # The two columns a consent is read from (not whole shares: the list reads 200 at once).
        rows = db.execute(
            select(Share.client_id, Share.scopes, Share.revoked_at)
            .where(
                Share.clinic_id == actor.clinic_id,
                Share.therapist_id == actor.user_id,
                one_of(Share.client_id, ids),
            )
            .order_by(Share.revoked_at.is_(None).desc(), Share.granted_at.desc())
        ).all()
        for row in rows:
            shares.setdefault(row.client_id, row)
    out = {}
    # Clients who share alike are seen alike: one requester (and decision) for each kind of
    # consent (what it covers, whether it holds; none; the therapist's own record).
    seen: dict[tuple[object, ...], policy.Requester] = {}
    for client_id in ids:
        share = shares.get(client_id) if client_id != actor.user_id else None
        kind: tuple[object, ...] = (client_id == actor.user_id, share is None)
        if share is not None:
            kind += (*share.scopes, share.revoked_at is None)
        who = seen.get(kind)
        if who is None:
            who = policy.requester(
                role=actor.role,
                user_id=actor.user_id,
                client_id=client_id,
                consent=_share_consent(share),
            )
            _allow(
                actor=actor, who=who, client_id=client_id, action=action, record_type=record_type
            )
            seen[kind] = who
        out[client_id] = who
    record_events(db, actor=actor, action=action, record_type=record_type, subject_user_ids=ids)
    for also_action, also_type in also:
        allowed = allowed_ids(out, ids, also_action, also_type)
        record_events(
            db, actor=actor, action=also_action, record_type=also_type, subject_user_ids=allowed
        )
    return out


def allows(who: policy.Requester, action: policy.Action, resource: policy.Resource) -> bool:
    """Whether a requester (as returned by :func:`require_client_access`) may also do this."""
    return policy.decide(who, action, resource).allowed


def allowed_ids(
    whos: Mapping[str, policy.Requester],
    client_ids: Sequence[str],
    action: Action,
    record_type: str,
) -> list[str]:
    """Those of ``client_ids`` (in their order) whose requester in ``whos`` (as returned by
    :func:`require_therapist_access`) may do ``action`` on ``record_type``; none for a record
    type the policy does not know, and none for a client missing from ``whos``."""
    resource = RESOURCE_OF.get(record_type)
    if resource is None:
        return []
    verb: policy.Action = "read" if action in READS else "write"
    allowed = {who: policy.decide(who, verb, resource).allowed for who in set(whos.values())}
    return [c for c in client_ids if c in whos and allowed[whos[c]]]


def require_role(actor: Actor | None, *roles: str) -> Actor:
    """The actor, if their role is one of ``roles``; Forbidden otherwise (a role, not an id,
    is what is missing, so this is not a 404)."""
    if actor is None or actor.role not in roles:
        raise Forbidden(f"only {' or '.join(f'a {r}' for r in roles)} may do this")
    return actor


def get_client_record(
    db: Session, *, actor: Actor, model: type[ClientRecord], record_id: str, action: Action
) -> ClientRecord:
    """Load one client record by id through the access check; NotFound if missing or not yours."""
    record_type = RECORD_TYPES[model]
    record = db.get(model, (actor.clinic_id, record_id)) if is_record_id(record_id) else None
    if record is None:
        raise NotFound(record_type.replace("_", " "))
    owner = record.client_id if isinstance(record, SessionNote) else record.user_id
    require_client_access(
        db,
        actor=actor,
        client_id=owner,
        action=action,
        record_type=record_type,
        record_id=record.id,
    )
    return record


# --- Bookings (issue 8) ---------------------------------------------------------------------
def booking_party(actor: Actor | None, *, client_id: str, therapist_id: str) -> str | None:
    """Who ``actor`` is in a booking: "client", "therapist", or None (not a party: an admin,
    another client, another therapist, or no one). Bookings are seen by their two parties only;
    admins manage accounts and never see who sees a therapist."""
    if actor is None:
        return None
    if actor.role == "client" and actor.user_id == client_id:
        return "client"
    if actor.role == "therapist" and actor.user_id == therapist_id:
        return "therapist"
    return None


def require_booking_party(
    db: Session,
    *,
    actor: Actor,
    client_id: str,
    therapist_id: str,
    action: Action,
    booking_id: str,
) -> str:
    """The actor's party in the booking; NotFound (like a missing id) for anyone else. An
    allowed read or write is audited (ids only)."""
    party = booking_party(actor, client_id=client_id, therapist_id=therapist_id)
    if party is None:
        raise NotFound("booking")
    record_event(
        db,
        actor=actor,
        action=action,
        record_type="booking",
        record_id=booking_id,
        subject_user_id=client_id,
    )
    return party


def booking_for(db: Session, *, actor: Actor, booking_id: str) -> Booking:
    """A booking, for its client or its therapist only (read, audited like any other read by
    :func:`require_booking_party`); NotFound for anyone else and for an id that does not
    exist."""
    booking = db.get(Booking, (actor.clinic_id, booking_id)) if is_record_id(booking_id) else None
    if booking is None:
        raise NotFound("booking")
    require_booking_party(
        db,
        actor=actor,
        client_id=booking.client_id,
        therapist_id=booking.therapist_id,
        action="read",
        booking_id=booking.id,
    )
    return booking
