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
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import OutcomeMeasure, new_id, utcnow
from sciatica_care.domain.outcomes import (
    GlobalRatingInput,
    PsfsChange,
    PsfsInput,
    SbiChange,
    SbiInput,
    global_rating_due,
    global_rating_label,
    improved,
    psfs_change,
    psfs_due,
    psfs_mean,
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
    items = answers.items()
    return _record(
        db,
        actor=actor,
        measure=SBI,
        day=week_start(answers.week_of or date.today()),
        items=items,
        total=sbi_total(items),
    )


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


def _record(
    db: Session,
    *,
    actor: Actor,
    measure: str,
    day: date,
    items: list[int],
    total: int,
    activities: list[str] | None = None,
) -> OutcomeMeasure:
    """Store one answer of a measure on its day (the SBI's: the Monday of its week); a second
    one on that day replaces it."""
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
    row.total = total
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
    items = answers.items()
    return _record(
        db,
        actor=actor,
        measure=PSFS,
        day=answers.answered_on or _today(actor),
        items=items,
        total=sum(items),
        activities=answers.names(),
    )


def record_global_rating(
    db: Session, *, actor: Actor, answers: GlobalRatingInput
) -> OutcomeMeasure:
    """Record the global rating of change answered on a day (default: today where the actor is)."""
    return _record(
        db,
        actor=actor,
        measure=GLOBAL_RATING,
        day=answers.answered_on or _today(actor),
        items=[answers.rating],
        total=answers.rating,
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


@dataclass(frozen=True, slots=True)
class PsfsPoint:
    """One PSFS: the day, the mean, and the activities with their scores."""

    day: date
    mean: float
    activities: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class RatingPoint:
    """One global rating of change: the day, -3..+3, its words, whether it counts as improved."""

    day: date
    rating: int
    label: str
    improved: bool


@dataclass(frozen=True, slots=True)
class OutcomeSummary:
    """The PSFS over time with its change in words, the global ratings, and what is due."""

    psfs: Sequence[PsfsPoint]
    psfs_change: PsfsChange
    ratings: Sequence[RatingPoint]
    psfs_due: bool
    rating_due: bool

    @property
    def latest_rating(self) -> RatingPoint | None:
        return self.ratings[-1] if self.ratings else None

    @property
    def activities(self) -> tuple[tuple[str, int], ...]:
        """The latest PSFS's activities and scores (offered again to re-rate)."""
        return self.psfs[-1].activities if self.psfs else ()

    @property
    def due(self) -> bool:
        return self.psfs_due or self.rating_due


def psfs_point(row: OutcomeMeasure) -> PsfsPoint:
    """A stored PSFS row as a point of the summary."""
    names = row.activities or [f"activity {n + 1}" for n in range(len(row.items))]
    return PsfsPoint(row.week_of, psfs_mean(row.items), tuple(zip(names, row.items, strict=False)))


def rating_point(row: OutcomeMeasure) -> RatingPoint:
    """A stored global-rating row as a point of the summary."""
    value = row.items[0]
    return RatingPoint(row.week_of, value, global_rating_label(value), improved(value))


def summary_of(db: Session, *, clinic_id: str, client_id: str, today: date) -> OutcomeSummary:
    """The PSFS and global-rating summary; callers have done the access check."""
    return summary_from(
        psfs_of(db, clinic_id=clinic_id, client_id=client_id),
        global_ratings_of(db, clinic_id=clinic_id, client_id=client_id),
        today=today,
    )


def summary_from(
    psfs_rows: Sequence[OutcomeMeasure], rating_rows: Sequence[OutcomeMeasure], *, today: date
) -> OutcomeSummary:
    """:func:`summary_of` from the rows read (each oldest first)."""
    psfs = [psfs_point(r) for r in psfs_rows]
    ratings = [rating_point(r) for r in rating_rows]
    started = psfs[0].day if psfs else None
    return OutcomeSummary(
        psfs=psfs,
        psfs_change=psfs_change([p.mean for p in psfs]),
        ratings=ratings,
        psfs_due=psfs_due(psfs[-1].day if psfs else None, today=today),
        rating_due=global_rating_due(started, ratings[-1].day if ratings else None, today=today),
    )


def outcome_summary(db: Session, *, actor: Actor, client_id: str | None = None) -> OutcomeSummary:
    """A client's PSFS and global-rating summary, after the access check (today is the
    actor's own day)."""
    client_id = client_id or actor.user_id
    require_client_access(
        db, actor=actor, client_id=client_id, action="list", record_type="outcome_measure"
    )
    summary = summary_of(db, clinic_id=actor.clinic_id, client_id=client_id, today=_today(actor))
    db.commit()
    return summary
