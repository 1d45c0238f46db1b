"""The doctor's report: what it shows of one client, gathered after the one access check.

The client, a therapist with the client's consent (the report needs the ``assessments`` scope;
the diary, weekly scores and session notes appear only where the consent covers them) and a
clinician holding the client's read-only link may read it. Rendering (HTML, PDF) is elsewhere:
``web/pages/report.py`` and ``reports/pdf.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import AssessmentRecord, OutcomeMeasure, User, utcnow
from sciatica_care.domain.diary import TrendReadout
from sciatica_care.domain.learning import WhatHelped, learned_responses
from sciatica_care.domain.outcomes import PsfsChange, SbiChange, psfs_change, psfs_mean
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Result
from sciatica_care.domain.time_zones import local_time
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import diary, learning, outcomes, session_notes
from sciatica_care.services.access import allows, require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.assessments import AssessmentOutcome, fresh_outcome_of
from sciatica_care.services.errors import FieldProblem, InvalidInput

#: The report covers this many days of diary before the day it is made.
PERIOD_DAYS = 90
#: The session lines it lists, newest first.
MAX_SESSIONS = 8
#: "What I want to ask": a short box, not a letter.
MAX_QUESTIONS = 1000


@dataclass(frozen=True, slots=True)
class SessionLine:
    """One massage session: when, who, which techniques, pain before and after."""

    at: datetime
    therapist: str
    techniques: Sequence[str]
    leg_before: int
    leg_after: int | None
    back_before: int
    back_after: int | None


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """Everything the report shows. A part the reader may not see is None (not empty)."""

    client_name: str
    made_at: datetime
    time_zone: str
    latest: AssessmentOutcome | None
    trend: TrendReadout | None
    sbi: Sequence[OutcomeMeasure] | None
    sbi_change: SbiChange | None
    psfs: Sequence[OutcomeMeasure] | None
    psfs_change: PsfsChange | None
    global_ratings: Sequence[OutcomeMeasure] | None
    sessions: Sequence[SessionLine] | None
    what_helped: WhatHelped | None
    questions: str = ""
    period_from: date | None = None
    period_to: date | None = None
    sources: Sequence[str] = field(default_factory=tuple)
    knowledge_version: str = ""
    #: The language the report is written in ("en", "ko"): the clinical texts come from the
    #: knowledge base in that language.
    language: str = "en"
    #: The knowledge base's note on its translation (empty in English): shown with the texts.
    translation_review: str = ""

    @property
    def age(self) -> int | None:
        """The age given at the latest assessment (no date of birth is stored)."""
        return self.latest.assessment.age if self.latest else None


def check_questions(text: str | None) -> str:
    """The person's questions for the doctor, tidied; InvalidInput naming ``questions`` when
    too long. Never stored: they go into the report made now and nowhere else."""
    text = (text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if len(text) > MAX_QUESTIONS:
        problem = f"must be at most {MAX_QUESTIONS} characters (it has {len(text)})"
        raise InvalidInput([FieldProblem("questions", problem)])
    return text


def sources_of(result: Result) -> list[str]:
    """Every knowledge-base source id behind a result, in the order the report cites them."""
    ids: list[str] = []
    for finding in result.triage.findings:
        ids += finding.sources
    for rec in result.recommendations:
        ids += rec.evidence.sources
    for advice in result.self_care_plan:
        ids += advice.sources
    if result.session:
        ids += result.session.sources
    for note in result.evidence:
        ids += note.sources
    return list(dict.fromkeys(ids))


def _name(db: Session, *, clinic_id: str, client_id: str) -> tuple[str, str]:
    user = db.get(User, (clinic_id, client_id))
    if user is None:
        return "", "UTC"
    return user.display_name or user.email.split("@")[0], user.time_zone or "UTC"


def _sessions(db: Session, *, clinic_id: str, client_id: str) -> list[SessionLine]:
    lines = []
    for note in session_notes.notes_of(db, clinic_id=clinic_id, client_id=client_id)[:MAX_SESSIONS]:
        fields = note.current
        lines.append(
            SessionLine(
                at=note.session_at,
                therapist=note.therapist_name,
                techniques=list(fields.techniques),
                leg_before=fields.leg_pain_before,
                leg_after=fields.leg_pain_after,
                back_before=fields.back_pain_before,
                back_after=fields.back_pain_after,
            )
        )
    return lines


def in_language(
    outcome: AssessmentOutcome, language: str, learned: WhatHelped | None
) -> AssessmentOutcome:
    """``outcome`` with its result in ``language``: the stored result is in English, so in
    another language the answers are evaluated again with that language's knowledge base (the
    same rules, so the same decisions; only the words differ)."""
    if language == "en":
        return outcome
    result = evaluate(
        outcome.assessment,
        knowledge_base(language),
        learned=learned_responses(learned) if learned else None,
    )
    return AssessmentOutcome(outcome.assessment, result, outcome.id, outcome.created_at)


def doctor_report(
    db: Session,
    *,
    actor: Actor,
    client_id: str | None = None,
    questions: str | None = None,
    language: str = "en",
) -> DoctorReport:
    """The report on ``client_id`` (default: the actor's own), after the access check (which
    writes the audit row); NotFound when the actor may not read it. Its clinical texts are in
    ``language`` (the knowledge base's translation)."""
    client_id = client_id or actor.user_id
    asked = check_questions(questions)
    who = require_client_access(
        db, actor=actor, client_id=client_id, action="read", record_type="report"
    )
    clinic_id = actor.clinic_id
    name, zone_name = _name(db, clinic_id=clinic_id, client_id=client_id)
    zone = zone_named(zone_name)
    see_diary = allows(who, "read", "diary")
    see_outcomes = allows(who, "read", "outcomes")
    see_notes = allows(who, "read", "notes")
    helped = (
        learning.summary_of(db, clinic_id=clinic_id, client_id=client_id, zone=zone)
        if see_notes
        else None
    )
    record = db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == clinic_id, AssessmentRecord.user_id == client_id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(1)
    ).first()
    latest = (
        fresh_outcome_of(db, record, learned_responses(helped) if helped else None)
        if record
        else None
    )
    if latest is not None:
        latest = in_language(latest, language, helped)
    trend = (
        diary.trend_of(db, clinic_id=clinic_id, client_id=client_id, days=PERIOD_DAYS, zone=zone)
        if see_diary
        else None
    )
    sbi, sbi_change = (
        outcomes.sbi_of(db, clinic_id=clinic_id, client_id=client_id)
        if see_outcomes
        else (None, None)
    )
    psfs = outcomes.psfs_of(db, clinic_id=clinic_id, client_id=client_id) if see_outcomes else None
    ratings = (
        outcomes.global_ratings_of(db, clinic_id=clinic_id, client_id=client_id)
        if see_outcomes
        else None
    )
    sessions = _sessions(db, clinic_id=clinic_id, client_id=client_id) if see_notes else None
    now = utcnow()
    today = local_time(now, zone).date()
    starts = [d.day for d in (trend.days[:1] if trend else [])]
    if latest and latest.created_at:
        starts.append(local_time(latest.created_at, zone).date())
    for measured in (sbi, psfs, ratings):
        starts += [m.week_of for m in (measured or [])[:1]]
    starts += [local_time(s.at, zone).date() for s in (sessions or [])[-1:]]
    result = latest.result if latest else None
    report = DoctorReport(
        client_name=name,
        made_at=now,
        time_zone=zone_name,
        latest=latest,
        trend=trend,
        sbi=sbi,
        sbi_change=sbi_change,
        psfs=psfs,
        psfs_change=psfs_change([psfs_mean(m.items) for m in psfs]) if psfs is not None else None,
        global_ratings=ratings,
        sessions=sessions,
        what_helped=helped,
        questions=asked,
        period_from=min(starts) if starts else None,
        period_to=today,
        sources=sources_of(result) if result else (),
        knowledge_version=result.knowledge_version if result else knowledge_base().version,
        language=language,
        translation_review=knowledge_base(language).translation_review,
    )
    db.commit()
    return report
