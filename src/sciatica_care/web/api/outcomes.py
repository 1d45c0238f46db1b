"""Outcome measures over the API: the weekly Sciatica Bothersomeness Index (``/outcomes/sbi``),
the Patient-Specific Functional Scale (``/psfs``) and the global rating of change
(``/global-rating``). A therapist reads a client's PSFS and global ratings with ``client_id``
when the client shares their diary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from sciatica_care.db.tables import OutcomeMeasure
from sciatica_care.domain.outcomes import (
    PSFS_MEANINGFUL_CHANGE,
    SBI_ITEMS,
    GlobalRatingInput,
    PsfsInput,
    SbiInput,
    psfs_change,
)
from sciatica_care.services import outcomes
from sciatica_care.web.api.schemas import ErrorOut
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(tags=["outcomes"])
RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    422: {"model": ErrorOut, "description": "a field is wrong; errors names it"},
}
READ_RESPONSES: dict[int | str, dict[str, object]] = {
    **RESPONSES,
    403: {"model": ErrorOut, "description": "admins keep no health data"},
    404: {"model": ErrorOut, "description": "no such client, or not shared with you"},
}
ClientId = Annotated[
    str | None,
    Query(
        max_length=32,
        description="a therapist: the client whose scores to read (they share their diary)",
    ),
]


class SbiOut(BaseModel):
    id: str
    week_of: date
    items: dict[str, int]
    total: int
    created_at: datetime

    @classmethod
    def of(cls, row: OutcomeMeasure) -> SbiOut:
        return cls(
            id=row.id,
            week_of=row.week_of,
            items=dict(zip(SBI_ITEMS, row.items, strict=True)),
            total=row.total,
            created_at=row.created_at,
        )


class SbiHistoryOut(BaseModel):
    scores: list[SbiOut]
    first: int | None
    latest: int | None
    change: int | None
    summary: str


@router.post("/outcomes/sbi", status_code=status.HTTP_201_CREATED, responses=RESPONSES)
def record_sbi(body: SbiInput, actor: SignedInUser, db: UnitOfWork) -> SbiOut:
    """Record this week's Sciatica Bothersomeness Index (a second one this week replaces it)."""
    return SbiOut.of(outcomes.record_sbi(db, actor=actor, answers=body))


@router.get("/outcomes/sbi", responses=RESPONSES)
def list_sbi(actor: SignedInUser, db: UnitOfWork) -> SbiHistoryOut:
    """Your weekly SBI scores, oldest first, and the change since the first (no threshold:
    the SBI has no established minimal important change)."""
    rows, change = outcomes.list_sbi(db, actor=actor)
    return SbiHistoryOut(
        scores=[SbiOut.of(row) for row in rows],
        first=change.first,
        latest=change.latest,
        change=change.change,
        summary=change.summary,
    )


class PsfsActivityOut(BaseModel):
    activity: str
    score: int = Field(description="0 unable to do it - 10 as before the problem")


class PsfsOut(BaseModel):
    id: str
    answered_on: date
    activities: list[PsfsActivityOut]
    mean: float = Field(description="the PSFS score: the mean of the activity scores")
    created_at: datetime

    @classmethod
    def of(cls, row: OutcomeMeasure) -> PsfsOut:
        point = outcomes.psfs_point(row)
        return cls(
            id=row.id,
            answered_on=row.week_of,
            activities=[PsfsActivityOut(activity=a, score=s) for a, s in point.activities],
            mean=round(point.mean, 2),
            created_at=row.created_at,
        )


class PsfsHistoryOut(BaseModel):
    answers: list[PsfsOut]
    first: float | None
    latest: float | None
    change: float | None
    meaningful: bool = Field(description=f"the mean moved {PSFS_MEANINGFUL_CHANGE} points or more")
    meaningful_change: int = PSFS_MEANINGFUL_CHANGE
    summary: str


class GlobalRatingOut(BaseModel):
    id: str
    answered_on: date
    rating: int = Field(description="-3 much worse, 0 about the same, +3 much better")
    label: str
    improved: bool = Field(description="better or much better")
    created_at: datetime

    @classmethod
    def of(cls, row: OutcomeMeasure) -> GlobalRatingOut:
        point = outcomes.rating_point(row)
        return cls(
            id=row.id,
            answered_on=point.day,
            rating=point.rating,
            label=point.label,
            improved=point.improved,
            created_at=row.created_at,
        )


class GlobalRatingHistoryOut(BaseModel):
    ratings: list[GlobalRatingOut]
    latest: GlobalRatingOut | None


def psfs_history(rows: list[OutcomeMeasure]) -> PsfsHistoryOut:
    """PSFS rows (oldest first) with the change of the mean in words."""
    answers = [PsfsOut.of(r) for r in rows]
    change = psfs_change([outcomes.psfs_point(r).mean for r in rows])
    return PsfsHistoryOut(
        answers=answers,
        first=change.first,
        latest=change.latest,
        change=change.change,
        meaningful=change.meaningful,
        summary=change.summary,
    )


def rating_history(rows: list[OutcomeMeasure]) -> GlobalRatingHistoryOut:
    """Global-rating rows (oldest first) and the latest."""
    ratings = [GlobalRatingOut.of(r) for r in rows]
    return GlobalRatingHistoryOut(ratings=ratings, latest=ratings[-1] if ratings else None)


@router.post("/psfs", status_code=status.HTTP_201_CREATED, responses=RESPONSES)
def record_psfs(body: PsfsInput, actor: SignedInUser, db: UnitOfWork) -> PsfsOut:
    """Record the Patient-Specific Functional Scale: one to five activities you find hard, each
    0 (unable) to 10 (as before the problem). A second one the same day replaces the first."""
    return PsfsOut.of(outcomes.record_psfs(db, actor=actor, answers=body))


@router.get("/psfs", responses=READ_RESPONSES)
def list_psfs(actor: SignedInUser, db: UnitOfWork, client_id: ClientId = None) -> PsfsHistoryOut:
    """The PSFS answers, oldest first, and the change of the mean since the first (about 2
    points matters: Stratford 1995)."""
    return psfs_history(list(outcomes.list_psfs(db, actor=actor, client_id=client_id)))


@router.post("/global-rating", status_code=status.HTTP_201_CREATED, responses=RESPONSES)
def record_global_rating(
    body: GlobalRatingInput, actor: SignedInUser, db: UnitOfWork
) -> GlobalRatingOut:
    """Record the global rating of change: compared with when you started, your sciatica is
    -3 much worse … +3 much better. A second one the same day replaces the first."""
    return GlobalRatingOut.of(outcomes.record_global_rating(db, actor=actor, answers=body))


@router.get("/global-rating", responses=READ_RESPONSES)
def list_global_ratings(
    actor: SignedInUser, db: UnitOfWork, client_id: ClientId = None
) -> GlobalRatingHistoryOut:
    """The global ratings of change, oldest first, and the latest ("better" or "much better"
    counts as improved)."""
    return rating_history(list(outcomes.list_global_ratings(db, actor=actor, client_id=client_id)))
