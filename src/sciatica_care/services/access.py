"""The one access check. Every read or write of a client's health data goes through here.

Who may see a client's data now: the client themself. Admins run the service but see no health
data. (Therapists with the client's consent come next.) Anyone else gets NotFound, exactly as
for an id that does not exist, so ids reveal nothing.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, OutcomeMeasure
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import Action, record_event
from sciatica_care.services.errors import NotFound

ClientRecord = TypeVar("ClientRecord", AssessmentRecord, DiaryEntry, OutcomeMeasure)

ID_LENGTH = 32
HEX = frozenset("0123456789abcdef")

RECORD_TYPES: dict[type[object], str] = {
    AssessmentRecord: "assessment",
    DiaryEntry: "diary_entry",
    OutcomeMeasure: "outcome_measure",
}


def is_record_id(value: str) -> bool:
    """Whether ``value`` looks like one of our ids (32 lowercase hex characters)."""
    return len(value) == ID_LENGTH and all(c in HEX for c in value)


def may_access(db: Session, *, actor: Actor, client_id: str, clinic_id: str) -> bool:
    """Whether ``actor`` may read and write the health data of ``client_id``."""
    del db  # consent lookups (therapists) will need it
    return actor.clinic_id == clinic_id and actor.user_id == client_id


def require_client_access(
    db: Session,
    *,
    actor: Actor,
    client_id: str,
    action: Action,
    record_type: str,
    record_id: str | None = None,
) -> None:
    """Refuse (NotFound) unless ``actor`` may touch this client's data; audit it if they may."""
    if not may_access(db, actor=actor, client_id=client_id, clinic_id=actor.clinic_id):
        raise NotFound(record_type.replace("_", " "))
    record_event(
        db,
        actor=actor,
        action=action,
        record_type=record_type,
        record_id=record_id,
        subject_user_id=client_id,
    )


def get_client_record(
    db: Session, *, actor: Actor, model: type[ClientRecord], record_id: str, action: Action
) -> ClientRecord:
    """Load one client record by id through the access check; NotFound if missing or not yours."""
    record_type = RECORD_TYPES[model]
    record = db.get(model, (actor.clinic_id, record_id)) if is_record_id(record_id) else None
    if record is None:
        raise NotFound(record_type.replace("_", " "))
    require_client_access(
        db,
        actor=actor,
        client_id=record.user_id,
        action=action,
        record_type=record_type,
        record_id=record.id,
    )
    return record
