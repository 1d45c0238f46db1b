"""Outcome measures: the weekly Sciatica Bothersomeness Index."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import OutcomeMeasure, new_id, utcnow
from sciatica_care.domain.outcomes import SbiChange, SbiInput, sbi_change, sbi_total, week_start
from sciatica_care.services.access import require_client_access
from sciatica_care.services.actors import Actor

SBI = "sbi"


def record_sbi(db: Session, *, actor: Actor, answers: SbiInput) -> OutcomeMeasure:
    """Record this week's SBI; a second one in the same week replaces the first."""
    week = week_start(answers.week_of or date.today())
    existing = db.scalars(
        select(OutcomeMeasure).where(
            OutcomeMeasure.clinic_id == actor.clinic_id,
            OutcomeMeasure.user_id == actor.user_id,
            OutcomeMeasure.measure == SBI,
            OutcomeMeasure.week_of == week,
        )
    ).first()
    row = existing or OutcomeMeasure(
        id=new_id(), clinic_id=actor.clinic_id, user_id=actor.user_id, measure=SBI, week_of=week
    )
    row.items = answers.items()
    row.total = sbi_total(row.items)
    row.created_at = utcnow()
    require_client_access(
        db,
        actor=actor,
        client_id=actor.user_id,
        action="update" if existing else "create",
        record_type="outcome_measure",
        record_id=row.id,
    )
    db.add(row)
    db.commit()
    return row


def list_sbi(
    db: Session, *, actor: Actor, client_id: str | None = None
) -> tuple[Sequence[OutcomeMeasure], SbiChange]:
    """A client's weekly SBI scores, oldest first, with the change from the first week."""
    client_id = client_id or actor.user_id
    require_client_access(
        db, actor=actor, client_id=client_id, action="list", record_type="outcome_measure"
    )
    found = sbi_of(db, clinic_id=actor.clinic_id, client_id=client_id)
    db.commit()
    return found


def sbi_of(
    db: Session, *, clinic_id: str, client_id: str
) -> tuple[Sequence[OutcomeMeasure], SbiChange]:
    """The SBI query itself, oldest first; callers have done the access check."""
    rows = db.scalars(
        select(OutcomeMeasure)
        .where(
            OutcomeMeasure.clinic_id == clinic_id,
            OutcomeMeasure.user_id == client_id,
            OutcomeMeasure.measure == SBI,
        )
        .order_by(OutcomeMeasure.week_of)
    ).all()
    return rows, sbi_change([r.total for r in rows])
