"""Outcome measures over the API: the weekly Sciatica Bothersomeness Index."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, status
from pydantic import BaseModel

from sciatica_care.db.tables import OutcomeMeasure
from sciatica_care.domain.outcomes import SBI_ITEMS, SbiInput
from sciatica_care.services import outcomes
from sciatica_care.web.api.schemas import ErrorOut
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(prefix="/outcomes", tags=["outcomes"])
RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    422: {"model": ErrorOut, "description": "a field is wrong; errors names it"},
}


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


@router.post("/sbi", status_code=status.HTTP_201_CREATED, responses=RESPONSES)
def record_sbi(body: SbiInput, actor: SignedInUser, db: UnitOfWork) -> SbiOut:
    """Record this week's Sciatica Bothersomeness Index (a second one this week replaces it)."""
    return SbiOut.of(outcomes.record_sbi(db, actor=actor, answers=body))


@router.get("/sbi", responses=RESPONSES)
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
