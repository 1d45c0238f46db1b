"""Outcome measures: the weekly Sciatica Bothersomeness Index (SBI), the Patient-Specific
Functional Scale (PSFS) and the global rating of change, stored as ``outcome_measures`` rows.

The storage (``measure`` is one of the constants below):

- SBI: ``items`` the four item scores 0-6, ``total`` their sum, ``week_of`` the week's Monday.
- PSFS: ``items`` the activity scores 0 (unable) - 10 (as before), one to five of them,
  ``activities`` their names in the same order, ``total`` the sum, ``week_of`` the local day it
  was answered (one a day: a second one that day replaces the first).
- Global rating: ``items`` = [rating], -3 (much worse) - +3 (much better), ``total`` the rating,
  ``week_of`` the local day it was answered (one a day, likewise).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import OutcomeMeasure, new_id, utcnow
from sciatica_care.domain.outcomes import (
    GlobalRatingInput,
    PsfsInput,
    SbiChange,
    SbiInput,
    sbi_change,
    sbi_total,
    week_start,
)
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.services.access import require_client_access
from sciatica_care.services.actors import Actor

SBI = "sbi"
PSFS = "psfs"
GLOBAL_RATING = "grc"
MEASURES: tuple[str, ...] = (SBI, PSFS, GLOBAL_RATING)


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


def _today(actor: Actor) -> date:
    """Today in the actor's own time zone."""
    return local_day(utcnow(), zone_named(actor.time_zone))


def _record_daily(
    db: Session,
    *,
    actor: Actor,
    measure: str,
    day: date,
    items: list[int],
    activities: list[str] | None,
) -> OutcomeMeasure:
    """Store one answer of a measure asked by the day; a second one that day replaces it."""
    existing = db.scalars(
        select(OutcomeMeasure).where(
            OutcomeMeasure.clinic_id == actor.clinic_id,
            OutcomeMeasure.user_id == actor.user_id,
            OutcomeMeasure.measure == measure,
            OutcomeMeasure.week_of == day,
        )
    ).first()
    row = existing or OutcomeMeasure(
        id=new_id(), clinic_id=actor.clinic_id, user_id=actor.user_id, measure=measure, week_of=day
    )
    row.items = items
    row.activities = activities
    row.total = sum(items)
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


def record_psfs(db: Session, *, actor: Actor, answers: PsfsInput) -> OutcomeMeasure:
    """Record the PSFS answered on a day (default: today where the actor is)."""
    return _record_daily(
        db,
        actor=actor,
        measure=PSFS,
        day=answers.answered_on or _today(actor),
        items=answers.items(),
        activities=answers.names(),
    )


def record_global_rating(
    db: Session, *, actor: Actor, answers: GlobalRatingInput
) -> OutcomeMeasure:
    """Record the global rating of change answered on a day (default: today where the actor is)."""
    return _record_daily(
        db,
        actor=actor,
        measure=GLOBAL_RATING,
        day=answers.answered_on or _today(actor),
        items=[answers.rating],
        activities=None,
    )


def _list(
    db: Session, *, actor: Actor, client_id: str | None, measure: str
) -> Sequence[OutcomeMeasure]:
    client_id = client_id or actor.user_id
    require_client_access(
        db, actor=actor, client_id=client_id, action="list", record_type="outcome_measure"
    )
    rows = measures_of(db, clinic_id=actor.clinic_id, client_id=client_id, measure=measure)
    db.commit()
    return rows


def list_psfs(
    db: Session, *, actor: Actor, client_id: str | None = None
) -> Sequence[OutcomeMeasure]:
    """A client's PSFS answers, oldest first (after the access check)."""
    return _list(db, actor=actor, client_id=client_id, measure=PSFS)


def list_global_ratings(
    db: Session, *, actor: Actor, client_id: str | None = None
) -> Sequence[OutcomeMeasure]:
    """A client's global ratings of change, oldest first (after the access check)."""
    return _list(db, actor=actor, client_id=client_id, measure=GLOBAL_RATING)


def measures_of(
    db: Session, *, clinic_id: str, client_id: str, measure: str
) -> Sequence[OutcomeMeasure]:
    """One measure's rows for a client, oldest first; callers have done the access check."""
    return db.scalars(
        select(OutcomeMeasure)
        .where(
            OutcomeMeasure.clinic_id == clinic_id,
            OutcomeMeasure.user_id == client_id,
            OutcomeMeasure.measure == measure,
        )
        .order_by(OutcomeMeasure.week_of, OutcomeMeasure.created_at)
    ).all()


def psfs_of(db: Session, *, clinic_id: str, client_id: str) -> Sequence[OutcomeMeasure]:
    """A client's PSFS rows, oldest first; callers have done the access check."""
    return measures_of(db, clinic_id=clinic_id, client_id=client_id, measure=PSFS)


def global_ratings_of(db: Session, *, clinic_id: str, client_id: str) -> Sequence[OutcomeMeasure]:
    """A client's global-rating rows, oldest first; callers have done the access check."""
    return measures_of(db, clinic_id=clinic_id, client_id=client_id, measure=GLOBAL_RATING)
