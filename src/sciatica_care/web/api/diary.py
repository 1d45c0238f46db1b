"""The pain diary over the API: check-ins (create, list, get, correct, delete) and the trend."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from sciatica_care.db.tables import DiaryEntry
from sciatica_care.domain.diary import DiaryChanges, DiaryInput, TrendReadout
from sciatica_care.domain.learning import WhatHelped
from sciatica_care.services import dashboard as dashboard_service
from sciatica_care.services import diary
from sciatica_care.web.api.assessments import AssessmentOut, assessment_out
from sciatica_care.web.api.schemas import ErrorOut
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(tags=["diary"])
RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such check-in of yours"},
    422: {"model": ErrorOut, "description": "a field is wrong; errors names it"},
}


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
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: DiaryEntry) -> DiaryEntryOut:
        return cls.model_validate(row, from_attributes=True)


class DayPointOut(BaseModel):
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
        return cls.model_validate(readout, from_attributes=True)


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


@router.post("/diary", status_code=status.HTTP_201_CREATED, responses=RESPONSES)
def record_entry(body: DiaryInput, actor: SignedInUser, db: UnitOfWork) -> DiaryEntryOut:
    """Record a check-in (several a day are fine)."""
    return DiaryEntryOut.of(diary.record_entry(db, actor=actor, entry=body))


@router.get("/diary", responses=RESPONSES)
def list_entries(
    actor: SignedInUser,
    db: UnitOfWork,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=diary.MAX_LIST)] = 200,
) -> list[DiaryEntryOut]:
    """Your check-ins, newest first, optionally within [since, until)."""
    rows = diary.list_entries(db, actor=actor, since=since, until=until, limit=limit)
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


@router.get("/dashboard", tags=["dashboard"], responses=RESPONSES)
def dashboard(
    actor: SignedInUser, db: UnitOfWork, days: Annotated[int, Query(ge=1, le=3660)] = 90
) -> DashboardOut:
    """Everything the dashboard shows: latest plan, trend and chart series, recent check-ins."""
    board = dashboard_service.dashboard(db, actor=actor, days=days)
    return DashboardOut(
        latest=assessment_out(board.latest) if board.latest else None,
        assessments_count=board.assessments_count,
        trend=TrendOut.of(board.trend),
        recent_entries=[DiaryEntryOut.of(row) for row in board.recent_entries],
        sbi=[SbiPointOut(week_of=row.week_of, total=row.total) for row in board.sbi],
        sbi_summary=board.sbi_change.summary,
        what_helped=board.what_helped,
    )
