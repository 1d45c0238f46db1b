"""Follow-up safety (``clinical/outcomes.md`` v2): the check-in's safety re-check — whether it is
due, recording the answers, and on a yes triage at once from the latest assessment plus the new
answers, stored as a new assessment — and the "not settling" / "not improving" read-out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db.id_lists import one_of
from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, User, utcnow
from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.diary import Change, DiaryInput, TrendReadout, describe_change
from sciatica_care.domain.follow_up import (
    FollowUp,
    RecheckReason,
    answers_only,
    follow_up,
    recheck_due,
    recheck_questions,
    unanswered,
    with_answers,
    yes_answers,
)
from sciatica_care.domain.learning import WhatHelped
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Result
from sciatica_care.domain.time_bounds import usable
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import diary
from sciatica_care.services.access import get_client_record, require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.assessments import get_assessment, outcome_of, run_assessment
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Recheck:
    """One check-in's safety re-check: why it was asked, the questions, and (once answered)
    the answers and, on a yes, the triage result (``assessment_id``: the assessment it stored;
    None when there was no earlier assessment to add the answers to)."""

    entry_id: str
    reason: str | None
    questions: list[tuple[str, str]]
    answers: dict[str, bool] | None = None
    checked_at: datetime | None = None
    yes: list[str] = field(default_factory=list)
    result: Result | None = None
    assessment_id: str | None = None

    @property
    def pending(self) -> bool:
        """Asked and not answered yet."""
        return self.answers is None


@dataclass(frozen=True, slots=True)
class RecheckStatus:
    """Whether the next check-in asks the safety questions (by the week; a rise in leg pain
    can make any check-in ask), the questions, and a re-check still waiting for answers."""

    due: RecheckReason | None
    questions: list[tuple[str, str]]
    pending_entry_id: str | None


def _latest_record(db: Session, *, clinic_id: str, user_id: str) -> AssessmentRecord | None:
    return db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == clinic_id, AssessmentRecord.user_id == user_id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(1)
    ).first()


def _latest_assessment(db: Session, *, clinic_id: str, user_id: str) -> Assessment | None:
    # The answers only: the stored result (fifty times larger) is not needed here.
    answers = db.scalar(
        select(AssessmentRecord.input)
        .where(AssessmentRecord.clinic_id == clinic_id, AssessmentRecord.user_id == user_id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(1)
    )
    return Assessment.model_validate(answers, strict=False) if answers is not None else None


def _pending_entry(
    db: Session, *, clinic_id: str, user_id: str, answered: datetime | None
) -> str | None:
    """The latest check-in whose safety questions wait for answers, unless they have been
    answered since (``answered``: by a later check-in's re-check or a whole assessment)."""
    query = (
        select(DiaryEntry.id)
        .where(DiaryEntry.clinic_id == clinic_id, DiaryEntry.user_id == user_id)
        .where(DiaryEntry.safety_reason.is_not(None), DiaryEntry.safety_answers.is_(None))
    )
    if answered is not None:
        query = query.where(DiaryEntry.created_at > answered)
    return db.scalar(query.order_by(DiaryEntry.created_at.desc()).limit(1))


def recheck_status(db: Session, *, actor: Actor) -> RecheckStatus:
    """The actor's re-check status (their own diary)."""
    require_client_access(
        db, actor=actor, client_id=actor.user_id, action="read", record_type="diary_entry"
    )
    clinic_id, user_id = actor.clinic_id, actor.user_id
    latest = _latest_assessment(db, clinic_id=clinic_id, user_id=user_id)
    status = recheck_status_of(db, clinic_id=clinic_id, user_id=user_id, latest=latest)
    db.commit()
    return status


def recheck_status_of(
    db: Session, *, clinic_id: str, user_id: str, latest: Assessment | None
) -> RecheckStatus:
    """The re-check status itself, ``latest`` being the person's latest assessment's answers;
    callers have done the access check."""
    answered = diary.last_safety_check_at(db, clinic_id=clinic_id, user_id=user_id)
    return recheck_status_from(
        answered,
        latest=latest,
        pending_entry_id=_pending_entry(
            db, clinic_id=clinic_id, user_id=user_id, answered=answered
        ),
    )


def recheck_status_from(
    answered: datetime | None, *, latest: Assessment | None, pending_entry_id: str | None
) -> RecheckStatus:
    """The re-check status once read: when the safety questions were last answered, the
    latest assessment's answers, the check-in still waiting for answers."""
    return RecheckStatus(
        # Due by the week alone (as diary.recheck_reason without a pain), asked once.
        due=recheck_due(now=utcnow(), last_check_at=answered, leg_pain=None, leg_mean_7d=None),
        questions=recheck_questions(latest),
        pending_entry_id=pending_entry_id,
    )


def _view(db: Session, actor: Actor, row: DiaryEntry) -> Recheck:
    latest = _latest_assessment(db, clinic_id=row.clinic_id, user_id=row.user_id)
    answers = dict(row.safety_answers) if row.safety_answers is not None else None
    yes = yes_answers(answers or {})
    result = None
    if yes and row.safety_assessment_id:
        result = get_assessment(db, actor=actor, assessment_id=row.safety_assessment_id).result
    elif yes:
        alone = answers_only(answers or {}, leg_pain=row.leg_pain, back_pain=row.back_pain)
        result = evaluate(alone, knowledge_base())
    return Recheck(
        entry_id=row.id,
        reason=row.safety_reason,
        questions=recheck_questions(latest),
        answers=answers,
        checked_at=row.safety_checked_at,
        yes=yes,
        result=result,
        assessment_id=row.safety_assessment_id,
    )


def get_recheck(db: Session, *, actor: Actor, entry_id: str) -> Recheck:
    """A check-in's re-check: the questions while it waits, the answers and result after."""
    row = get_client_record(db, actor=actor, model=DiaryEntry, record_id=entry_id, action="update")
    view = _view(db, actor, row)
    db.commit()
    return view


def answer_recheck(
    db: Session, *, actor: Actor, entry_id: str, answers: Mapping[str, bool]
) -> Recheck:
    """Record the answers to a check-in's safety questions (every question needs a yes or a
    no). A yes runs triage at once on the latest assessment plus the new answers (and the
    check-in's pain) and stores that as a new assessment, so nothing the person said is lost.
    Conflict when this check-in's questions were answered already."""
    row = get_client_record(db, actor=actor, model=DiaryEntry, record_id=entry_id, action="update")
    if row.safety_answers is not None:
        raise Conflict("the safety questions of this check-in are answered already")
    record = _latest_record(db, clinic_id=row.clinic_id, user_id=row.user_id)
    latest = outcome_of(record).assessment if record is not None else None
    missing = unanswered(answers, latest)
    if missing:
        raise InvalidInput(
            [FieldProblem(f"safety_check.{q}", "please answer yes or no") for q in missing]
        )
    asked = {q for q, _ in recheck_questions(latest)}
    now = utcnow()
    row.safety_answers = {q: bool(v) for q, v in answers.items() if q in asked}
    row.safety_checked_at = now
    row.updated_at = now
    if yes_answers(row.safety_answers) and record is not None and latest is not None:
        weeks = (now - record.created_at).total_seconds() / (7 * 24 * 3600)
        updated = with_answers(
            latest,
            row.safety_answers,
            leg_pain=row.leg_pain,
            back_pain=row.back_pain,
            weeks_since=weeks,
        )
        # Stores the assessment and commits the answers with it.
        row.safety_assessment_id = run_assessment(db, actor=actor, assessment=updated).id
    db.commit()
    log.info("safety re-check of diary entry %s answered", row.id)
    return get_recheck(db, actor=actor, entry_id=row.id)


def record_check_in(db: Session, *, actor: Actor, entry: DiaryInput) -> DiaryEntry:
    """Record a check-in and, when the person already answered its safety questions, the
    answers too (the check-in is stored first: a wrong answer set loses nothing)."""
    if entry.safety_check is not None:
        latest = _latest_assessment(db, clinic_id=actor.clinic_id, user_id=actor.user_id)
        missing = unanswered({str(q): v for q, v in entry.safety_check.items()}, latest)
        if missing:
            raise InvalidInput(
                [FieldProblem(f"safety_check.{q}", "please answer yes or no") for q in missing]
            )
    row = diary.record_entry(db, actor=actor, entry=entry)
    if entry.safety_check is not None:
        answer_recheck(
            db,
            actor=actor,
            entry_id=row.id,
            answers={str(q): v for q, v in entry.safety_check.items()},
        )
    return row


def started_on(db: Session, *, clinic_id: str, client_id: str, zone: tzinfo) -> date | None:
    """When the person started: their first assessment, else their first check-in."""
    return starts_of(db, clinic_id=clinic_id, zones={client_id: zone})[client_id]


def starts_of(
    db: Session, *, clinic_id: str, zones: Mapping[str, tzinfo]
) -> dict[str, date | None]:
    """:func:`started_on` for each client in ``zones`` (client id -> their zone), in one
    query."""
    firsts = firsts_of(db, clinic_id=clinic_id, client_ids=list(zones))
    return {
        client_id: start_from(firsts.get(client_id, ()), zone) for client_id, zone in zones.items()
    }


def firsts_of(
    db: Session, *, clinic_id: str, client_ids: list[str]
) -> dict[str, tuple[datetime | None, datetime | None]]:
    """When each client's first assessment and first check-in were made (None: none), in one
    query (:func:`start_from` takes them); a client without an account is left out."""
    if not client_ids:
        return {}
    # One index look-up per client and table (a min per client, not a scan of every row).
    firsts = [
        select(func.min(at)).where(model.clinic_id == clinic_id, user == User.id).scalar_subquery()
        for model, user, at in (
            (AssessmentRecord, AssessmentRecord.user_id, AssessmentRecord.created_at),
            (DiaryEntry, DiaryEntry.user_id, DiaryEntry.recorded_at),
        )
    ]
    rows = db.execute(
        select(User.id, *firsts).where(User.clinic_id == clinic_id, one_of(User.id, client_ids))
    ).all()
    return {row[0]: (row[1], row[2]) for row in rows}


def start_from(firsts: Iterable[datetime | None], zone: tzinfo) -> date | None:
    """The local day of the earliest of ``firsts`` (the first assessment's and the first
    check-in's times; None: none), or None."""
    # A first time off the calendar's usable range (stored by hand) is no start to count from.
    known = [t for t in firsts if t is not None and usable(t)]
    return local_day(min(known), zone) if known else None


def follow_up_of(
    db: Session,
    *,
    clinic_id: str,
    client_id: str,
    trend: TrendReadout | None,
    helped: WhatHelped | None,
    zone: tzinfo | None = None,
) -> FollowUp:
    """The "not settling" / "not improving" read-out from the parts the caller may see (a
    trend, what helped); callers have done the access check."""
    if zone is None:
        zone = diary.zone_of(db, clinic_id=clinic_id, user_id=client_id)
    start = (
        started_on(db, clinic_id=clinic_id, client_id=client_id, zone=zone)
        if trend is not None
        else None
    )
    return reading_of(trend, helped, zone=zone, start=start)


def reading_of(
    trend: TrendReadout | None, helped: WhatHelped | None, *, zone: tzinfo, start: date | None
) -> FollowUp:
    """:func:`follow_up_of` once the start is known (None without a trend)."""
    sessions = [(t.technique, t.sessions, t.verdict) for t in helped.techniques] if helped else []
    if trend is None:
        trend = TrendReadout(
            days=[],
            leg=_unknown("leg"),
            back=_unknown("back"),
            baseline_source="none",
        )
    return follow_up(
        trend,
        today=utcnow().astimezone(zone).date(),
        started_on=start,
        technique_sessions=sessions,
    )


def _unknown(measure: str) -> Change:
    return describe_change(measure, None, None)  # type: ignore[arg-type]


def zone_for(actor: Actor) -> tzinfo:
    """The actor's own time zone."""
    return zone_named(actor.time_zone)
