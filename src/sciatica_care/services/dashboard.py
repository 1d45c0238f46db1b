"""The client's dashboard: the latest plan, the trend read-out and the chart series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sciatica_care.db.read_commits import bookkeeping_only
from sciatica_care.db.tables import DiaryEntry, OutcomeMeasure, utcnow
from sciatica_care.domain.diary import TrendReadout
from sciatica_care.domain.follow_up import FollowUp
from sciatica_care.domain.learning import WhatHelped, learned_responses
from sciatica_care.domain.outcomes import SbiChange, sbi_change
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.services import dashboard_reads as reads
from sciatica_care.services import diary, learning, outcomes
from sciatica_care.services.access import require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.assessments import AssessmentOutcome, fresh_outcome_of
from sciatica_care.services.follow_up import (
    RecheckStatus,
    reading_of,
    recheck_status_from,
    start_from,
)


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
    its response waits for a thread). The assessments, the outcome measures and the diary's
    marks are read in one query each (``services/dashboard_reads.py``)."""
    clinic_id, client_id = actor.clinic_id, actor.user_id
    zone = zone_named(actor.time_zone)
    # Its writes are the read's audit row and the kept read-out (db/read_commits.py).
    bookkeeping_only(db)
    require_client_access(
        db, actor=actor, client_id=actor.user_id, action="read", record_type="dashboard"
    )
    assessments = reads.assessments_of(db, clinic_id=clinic_id, user_id=client_id)
    helped = learning.summary_of(db, clinic_id=clinic_id, client_id=client_id, zone=zone)
    measures = reads.measures_of(db, clinic_id=clinic_id, client_id=client_id)
    sbi = measures[outcomes.SBI]
    record = assessments.latest
    latest = fresh_outcome_of(db, record, learned_responses(helped)) if record else None
    # The first assessment's time, read above (before the diary), keys the kept read-out.
    first_at = assessments.first_at
    trend = diary.trends_of(
        db,
        clinic_id=clinic_id,
        zones={client_id: zone},
        days=days,
        firsts={client_id: first_at},
    )[client_id]
    recent_entries, marks = reads.recent_and_marks(
        db, clinic_id=clinic_id, user_id=client_id, recent=min(recent, diary.MAX_LIST)
    )
    # When the safety questions were last answered: a check-in's re-check or a whole
    # assessment (the latest one's time), whichever is later (diary.last_safety_check_at).
    answered = max(
        (t for t in (marks.last_checked_at, record.created_at if record else None) if t),
        default=None,
    )
    board = Dashboard(
        latest=latest,
        assessments_count=assessments.count,
        trend=trend,
        recent_entries=recent_entries,
        sbi=sbi,
        sbi_change=sbi_change([r.total for r in sbi]),
        what_helped=helped,
        outcomes=outcomes.summary_from(
            measures[outcomes.PSFS],
            measures[outcomes.GLOBAL_RATING],
            today=local_day(utcnow(), zone),
        ),
        safety=recheck_status_from(
            answered,
            latest=latest.assessment if latest else None,
            pending_entry_id=marks.pending_after(answered),
        ),
        # The person started at their first assessment, else their first check-in
        # (follow_up.starts_of).
        follow_up=reading_of(
            trend,
            helped,
            zone=zone,
            start=start_from((assessments.first_at, marks.first_at), zone),
        ),
    )
    db.commit()
    return board
