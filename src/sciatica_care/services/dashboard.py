"""The client's dashboard: the latest plan, the trend read-out and the chart series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, OutcomeMeasure, utcnow
from sciatica_care.domain.diary import TrendReadout
from sciatica_care.domain.follow_up import FollowUp
from sciatica_care.domain.learning import WhatHelped, learned_responses
from sciatica_care.domain.outcomes import SbiChange
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.services import diary, learning, outcomes
from sciatica_care.services.access import require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.assessments import AssessmentOutcome, fresh_outcome_of
from sciatica_care.services.follow_up import RecheckStatus, follow_up_of, recheck_status_of


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the dashboard shows. ``latest`` is None before the first stored assessment."""

    latest: AssessmentOutcome | None
    assessments_count: int
    trend: TrendReadout
    recent_entries: Sequence[DiaryEntry]
    sbi: Sequence[OutcomeMeasure]
    sbi_change: SbiChange
    #: Whether the next check-in asks the safety questions, and a re-check waiting.
    safety: RecheckStatus
    #: The "not settling" / "not improving" read-out.
    follow_up: FollowUp
    what_helped: WhatHelped | None = None
    #: The PSFS and the global rating of change, and whether they are due.
    outcomes: outcomes.OutcomeSummary | None = None


def dashboard(db: Session, *, actor: Actor, days: int = 90, recent: int = 5) -> Dashboard:
    """The actor's dashboard data: latest plan, trend over ``days`` days, recent check-ins, the
    safety re-check's status and the follow-up read-out, in one transaction (one audit row,
    one commit, after which the route reads nothing more: it holds no pooled connection while
    its response waits for a thread)."""
    clinic_id, client_id = actor.clinic_id, actor.user_id
    zone = zone_named(actor.time_zone)
    require_client_access(
        db, actor=actor, client_id=actor.user_id, action="read", record_type="dashboard"
    )
    assessments = db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == actor.clinic_id)
        .where(AssessmentRecord.user_id == actor.user_id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(1)
    ).all()
    helped = learning.summary_of(db, clinic_id=clinic_id, client_id=client_id, zone=zone)
    sbi, sbi_change = outcomes.sbi_of(db, clinic_id=clinic_id, client_id=client_id)
    latest = (
        fresh_outcome_of(db, assessments[0], learned_responses(helped)) if assessments else None
    )
    trend = diary.trend_of(db, clinic_id=clinic_id, client_id=client_id, days=days, zone=zone)
    board = Dashboard(
        latest=latest,
        assessments_count=_count_assessments(db, actor=actor),
        trend=trend,
        recent_entries=diary.entries_of(db, clinic_id=clinic_id, client_id=client_id, limit=recent),
        sbi=sbi,
        sbi_change=sbi_change,
        what_helped=helped,
        outcomes=outcomes.summary_of(
            db, clinic_id=clinic_id, client_id=client_id, today=local_day(utcnow(), zone)
        ),
        safety=recheck_status_of(
            db,
            clinic_id=clinic_id,
            user_id=client_id,
            latest=latest.assessment if latest else None,
        ),
        follow_up=follow_up_of(
            db, clinic_id=clinic_id, client_id=client_id, trend=trend, helped=helped, zone=zone
        ),
    )
    db.commit()
    return board


def _count_assessments(db: Session, *, actor: Actor) -> int:
    return int(
        db.scalar(
            select(func.count())
            .select_from(AssessmentRecord)
            .where(AssessmentRecord.clinic_id == actor.clinic_id)
            .where(AssessmentRecord.user_id == actor.user_id)
        )
        or 0
    )
