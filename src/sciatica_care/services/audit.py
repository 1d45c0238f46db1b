"""The audit log: append-only, one row per read or write of client health data. No health data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import AuditEvent
from sciatica_care.services.actors import Actor

Action = Literal["read", "list", "create", "update", "delete", "sign_up", "sign_in", "sign_out"]


def record_event(
    db: Session,
    *,
    actor: Actor,
    action: Action,
    record_type: str,
    record_id: str | None = None,
    subject_user_id: str | None = None,
) -> None:
    """Add an audit row to the unit of work (committed with it by the calling service)."""
    db.add(
        AuditEvent(
            clinic_id=actor.clinic_id,
            actor_user_id=actor.user_id,
            actor_role=actor.role,
            action=action,
            record_type=record_type,
            record_id=record_id,
            subject_user_id=subject_user_id,
            route=actor.route[:200],
        )
    )


def events_about(db: Session, *, actor: Actor, limit: int = 200) -> Sequence[AuditEvent]:
    """The newest audit events about the actor's own record ("who looked at my record")."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.clinic_id == actor.clinic_id)
        .where(AuditEvent.subject_user_id == actor.user_id)
        .order_by(AuditEvent.at.desc())
        .limit(limit)
    )
    return db.scalars(query).all()
