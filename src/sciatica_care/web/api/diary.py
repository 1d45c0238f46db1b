"""The pain diary over the API: check-ins (create, list, get, correct, delete) and the trend."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from sciatica_care.db.tables import DiaryEntry
from sciatica_care.domain.diary import DiaryChanges, DiaryInput, TrendReadout
from sciatica_care.domain.learning import WhatHelped
from sciatica_care.domain.result import Triage
from sciatica_care.domain.safety_questions import RecheckQuestion
from sciatica_care.domain.time_bounds import FilterTime
from sciatica_care.services import dashboard as dashboard_service
from sciatica_care.services import diary, follow_up, held
from sciatica_care.services.actors import Actor
from sciatica_care.web.api.assessments import AssessmentOut, assessment_out
from sciatica_care.web.api.schemas import ErrorOut
from sciatica_care.web.auth import (
    SignedInUser,
    SignInSent,
    UnitOfWork,
    in_unit_of_work,
    require_user,
)

router = APIRouter(tags=["diary"])
RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such check-in of yours"},
    422: {"model": ErrorOut, "description": "a field is wrong; errors names it"},
}


class QuestionOut(BaseModel):
    id: str
    text: str


class SafetyCheckOut(BaseModel):
    """A check-in's safety re-check. ``pending``: asked, not answered yet (answer it with
    POST /diary/{id}/safety-check). On a yes, ``triage`` comes first: what to do now."""

    triage: Triage | None = Field(
        default=None, description="on any yes: the triage of the latest assessment plus it"
    )
    entry_id: str
    reason: str | None = Field(description="weekly or leg_pain_up; null when not asked")
    pending: bool
    questions: list[QuestionOut]
    answers: dict[str, bool] | None
    checked_at: datetime | None
    yes: list[str]
    assessment_id: str | None = Field(description="the assessment a yes stored, if any")

    @classmethod
    def of(cls, view: follow_up.Recheck) -> SafetyCheckOut:
        return cls(
            triage=view.result.triage if view.result is not None else None,
            entry_id=view.entry_id,
            reason=view.reason,
            pending=view.pending,
            questions=[QuestionOut(id=q, text=t) for q, t in view.questions],
            answers=view.answers,
            checked_at=view.checked_at,
            yes=view.yes,
            assessment_id=view.assessment_id,
        )


class SafetyAnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[RecheckQuestion, bool] = Field(
        description="every question asked, answered yes (true) or no (false)"
    )


class SafetyStatusOut(BaseModel):
    due: str | None = Field(
        description="weekly when the next check-in will ask; a rise in leg pain can make any ask"
    )
    questions: list[QuestionOut]
    pending_entry_id: str | None


class FollowUpOut(BaseModel):
    not_settling: bool
    not_improving: bool
    reasons: list[str]
    advice: str


class DiaryEntryOut(BaseModel):
    id: str
    recorded_at: datetime
    leg_pain: int
    back_pain: int
    areas: list[str]
    stretches: list[str]
    heat: bool
    cold: bool
    massage: list[str]
    walk_minutes: int | None
    medicine: bool
    sleep_quality: int | None
    note: str
    soreness_48h: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: DiaryEntry) -> DiaryEntryOut:
        return cls.model_validate(row, from_attributes=True)


class CheckInOut(DiaryEntryOut):
    safety_check: SafetyCheckOut | None = Field(
        default=None, description="present when this check-in asks the safety questions"
    )


# A day of the trend: a typed dict, not a model (a year is 365 of them, and a model instance
# each made the trend the dashboard's dearest part to validate). No docstring: it would become
# the schema's description.
class DayPointOut(TypedDict):
    day: date
    leg: float
    back: float
    entries: int
    leg_7d: float
    back_7d: float


class ChangeOut(BaseModel):
    measure: str
    baseline: float | None
    current: float | None
    change: float | None
    meaningful: bool
    direction: str
    verdict: str


class TrendOut(BaseModel):
    days: list[DayPointOut]
    leg: ChangeOut
    back: ChangeOut
    baseline_source: str
    mic_points: float
    mic_fraction: float

    @classmethod
    def of(cls, readout: TrendReadout) -> TrendOut:
        """The read-out as answered; the same answer again for the same read-out (a kept one is
        the same object on every view until its row changes: ``services/kept_trends.py``), as
        validating a year of days cost a quarter of the dashboard's API view. Nothing changes
        an answer once made (it is only serialised)."""
        kept = _ANSWERED.get(id(readout))
        if kept is not None and kept[0] is readout:
            return kept[1]
        out = cls._of(readout)
        # The read-out is held with its answer: its id is no other's while it is here.
        _ANSWERED.put(id(readout), (readout, out))
        return out

    @classmethod
    def _of(cls, readout: TrendReadout) -> TrendOut:
        days = [
            {
                "day": p.day,
                "leg": p.leg,
                "back": p.back,
                "entries": p.entries,
                "leg_7d": p.leg_7d,
                "back_7d": p.back_7d,
            }
            for p in readout.days
        ]
        return cls.model_validate(
            {
                "days": days,
                "leg": readout.leg,
                "back": readout.back,
                "baseline_source": readout.baseline_source,
                "mic_points": readout.mic_points,
                "mic_fraction": readout.mic_fraction,
            },
            from_attributes=True,
        )


#: The latest answers of :meth:`TrendOut.of`, by the id of their read-out (held with it).
_ANSWERED: held.Kept[int, tuple[TrendReadout, TrendOut]] = held.Kept("trend answers", 32)


class SbiPointOut(BaseModel):
    week_of: date
    total: int


class DashboardOut(BaseModel):
    latest: AssessmentOut | None
    assessments_count: int
    trend: TrendOut
    recent_entries: list[DiaryEntryOut]
    sbi: list[SbiPointOut]
    sbi_summary: str
    what_helped: WhatHelped | None = None
    follow_up: FollowUpOut | None = None
    safety_check: SafetyStatusOut | None = None


@router.post(
    "/diary", status_code=status.HTTP_201_CREATED, responses=RESPONSES, dependencies=[SignInSent]
)
async def record_entry(body: DiaryInput, request: Request) -> CheckInOut:
    """Record a check-in (several a day are fine). Leg and back pain are required. When the
    safety re-check is due (weekly, or leg pain up 2 points or more from the 7-day mean),
    ``safety_check`` lists the questions; answer them here in ``safety_check`` or afterwards
    with POST /diary/{id}/safety-check. A yes answers with ``safety_check.triage`` first."""

    def work(db: Session, signed_in: Actor | None) -> CheckInOut:
        actor = require_user(signed_in)
        row = follow_up.record_check_in(db, actor=actor, entry=body)
        out = CheckInOut.model_validate(row, from_attributes=True)
        if row.safety_reason is not None or row.safety_answers is not None:
            view = follow_up.get_recheck(db, actor=actor, entry_id=row.id)
            out = out.model_copy(update={"safety_check": SafetyCheckOut.of(view)})
        return out

    # The sign-in, the check-in and its commit in one thread (in turns on SQLite).
    return await in_unit_of_work(request, work)


@router.get("/safety-check", responses=RESPONSES)
def safety_check_status(actor: SignedInUser, db: UnitOfWork) -> SafetyStatusOut:
    """Whether the next check-in asks the safety questions, which ones, and a re-check still
    waiting for its answers."""
    status_ = follow_up.recheck_status(db, actor=actor)
    return SafetyStatusOut(
        due=status_.due,
        questions=[QuestionOut(id=q, text=t) for q, t in status_.questions],
        pending_entry_id=status_.pending_entry_id,
    )


@router.get("/diary/{entry_id}/safety-check", responses=RESPONSES)
def get_safety_check(entry_id: str, actor: SignedInUser, db: UnitOfWork) -> SafetyCheckOut:
    """A check-in's safety re-check: its questions, or its answers and triage."""
    return SafetyCheckOut.of(follow_up.get_recheck(db, actor=actor, entry_id=entry_id))


@router.post(
    "/diary/{entry_id}/safety-check",
    responses={**RESPONSES, 409: {"model": ErrorOut, "description": "answered already"}},
)
def answer_safety_check(
    entry_id: str, body: SafetyAnswersIn, actor: SignedInUser, db: UnitOfWork
) -> SafetyCheckOut:
    """Answer a check-in's safety questions (each yes or no). A yes runs triage at once on
    your latest assessment plus the answers, stores it as a new assessment, and answers with
    ``triage`` first."""
    answers = {str(q): v for q, v in body.answers.items()}
    view = follow_up.answer_recheck(db, actor=actor, entry_id=entry_id, answers=answers)
    return SafetyCheckOut.of(view)


@router.get("/diary", responses=RESPONSES)
def list_entries(
    actor: SignedInUser,
    db: UnitOfWork,
    since: FilterTime | None = None,
    until: FilterTime | None = None,
    limit: Annotated[int, Query(ge=1, le=diary.MAX_LIST)] = 200,
    offset: Annotated[
        int, Query(ge=0, le=1_000_000, description="skip this many of the newest (a later page)")
    ] = 0,
) -> list[DiaryEntryOut]:
    """Your check-ins, newest first (the same time: by id), optionally within [since, until);
    ``limit`` and ``offset`` page through them as /diary does (30 a page there)."""
    rows = diary.list_entries(db, actor=actor, since=since, until=until, limit=limit, offset=offset)
    return [DiaryEntryOut.of(row) for row in rows]


@router.get("/diary/{entry_id}", responses=RESPONSES)
def get_entry(entry_id: str, actor: SignedInUser, db: UnitOfWork) -> DiaryEntryOut:
    """One of your check-ins."""
    return DiaryEntryOut.of(diary.get_entry(db, actor=actor, entry_id=entry_id))


@router.patch("/diary/{entry_id}", responses=RESPONSES)
def update_entry(
    entry_id: str, body: DiaryChanges, actor: SignedInUser, db: UnitOfWork
) -> DiaryEntryOut:
    """Correct a check-in: only the fields you send change."""
    return DiaryEntryOut.of(diary.update_entry(db, actor=actor, entry_id=entry_id, changes=body))


@router.delete("/diary/{entry_id}", status_code=status.HTTP_204_NO_CONTENT, responses=RESPONSES)
def delete_entry(entry_id: str, actor: SignedInUser, db: UnitOfWork) -> None:
    """Delete a check-in."""
    diary.delete_entry(db, actor=actor, entry_id=entry_id)


@router.get("/trend", responses=RESPONSES)
def trend(
    actor: SignedInUser, db: UnitOfWork, days: Annotated[int, Query(ge=1, le=3660)] = 90
) -> TrendOut:
    """Daily and 7-day mean pain, the change since the first assessment, and the verdict
    against the 2-point / 30% change that matters."""
    return TrendOut.of(diary.trend(db, actor=actor, days=days))


@router.get("/dashboard", tags=["dashboard"], responses=RESPONSES, dependencies=[SignInSent])
async def dashboard(
    request: Request, days: Annotated[int, Query(ge=1, le=3660)] = 90
) -> DashboardOut:
    """Everything the dashboard shows: latest plan, trend and chart series, recent check-ins."""

    def work(db: Session, signed_in: Actor | None) -> DashboardOut:
        return _dashboard_out(
            dashboard_service.dashboard(db, actor=require_user(signed_in), days=days)
        )

    # The sign-in, the reads and their audit row in one thread (in turns on SQLite).
    return await in_unit_of_work(request, work)


def _dashboard_out(board: dashboard_service.Dashboard) -> DashboardOut:
    check = board.safety
    return DashboardOut(
        latest=assessment_out(board.latest) if board.latest else None,
        assessments_count=board.assessments_count,
        trend=TrendOut.of(board.trend),
        recent_entries=[DiaryEntryOut.of(row) for row in board.recent_entries],
        sbi=[SbiPointOut(week_of=row.week_of, total=row.total) for row in board.sbi],
        sbi_summary=board.sbi_change.summary,
        what_helped=board.what_helped,
        follow_up=FollowUpOut(**asdict(board.follow_up)),
        safety_check=SafetyStatusOut(
            due=check.due,
            questions=[QuestionOut(id=q, text=t) for q, t in check.questions],
            pending_entry_id=check.pending_entry_id,
        ),
    )
