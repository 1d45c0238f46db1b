"""The therapist's workspace over the API: client list, client page, removing a client,
noting the next session."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from sciatica_care.domain.learning import WhatHelped
from sciatica_care.domain.time_bounds import BookingTime
from sciatica_care.services import sharing, workspace
from sciatica_care.services.access import require_role
from sciatica_care.services.outcomes import OutcomeSummary
from sciatica_care.web.api.assessments import AssessmentOut, assessment_out
from sciatica_care.web.api.diary import DiaryEntryOut, FollowUpOut, TrendOut
from sciatica_care.web.api.notes import NoteOut
from sciatica_care.web.api.schemas import Body
from sciatica_care.web.api.sharing import ShareOut
from sciatica_care.web.api.therapists import ERRORS
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(prefix="/therapist/clients", tags=["workspace"])


class ClientRowOut(BaseModel):
    client_id: str
    display_name: str
    share_id: str
    scopes: list[str]
    shared_at: datetime
    next_session_at: datetime | None
    leg_pain: float | None
    back_pain: float | None
    leg_arrow: str | None
    back_arrow: str | None
    trend_verdict: str
    triage_level: str | None
    massage_hold: bool
    precautions: list[str]
    avoid: list[str]
    both_legs: bool = Field(description="symptoms in both legs (side, area_sides or regions)")
    not_settling: bool = Field(description="7-day mean 2+ above baseline, or worse over 2 weeks")
    not_improving: bool = Field(description="no meaningful change after 6 weeks or 4+ sessions")
    follow_up: list[str] = Field(description="why it is not settling or not improving")


class BodyAreaOut(BaseModel):
    region: str
    label: str
    side: str


class ClientRecordOut(BaseModel):
    client_id: str
    display_name: str
    scopes: list[str]
    next_session_at: datetime | None
    latest: AssessmentOut | None
    assessments_count: int
    precautions: list[str]
    avoid: list[str]
    body_map: list[BodyAreaOut]
    trend: TrendOut | None
    recent_entries: list[DiaryEntryOut]
    notes: list[NoteOut]
    what_helped: WhatHelped | None
    follow_up: FollowUpOut | None = None
    outcomes: OutcomesOut | None = Field(
        default=None, description="the PSFS and the global rating of change (with the diary)"
    )


class PsfsPointOut(BaseModel):
    answered_on: date
    mean: float


class OutcomesOut(BaseModel):
    """The PSFS means over time with the change in words, and the latest global rating."""

    psfs: list[PsfsPointOut]
    psfs_summary: str
    psfs_meaningful: bool = Field(description="the mean moved 2 points or more")
    latest_rating: int | None = Field(description="-3 much worse … +3 much better")
    latest_rating_label: str | None
    improved: bool | None = Field(description="better or much better")

    @classmethod
    def of(cls, summary: OutcomeSummary) -> OutcomesOut:
        rating = summary.latest_rating
        return cls(
            psfs=[PsfsPointOut(answered_on=p.day, mean=round(p.mean, 2)) for p in summary.psfs],
            psfs_summary=summary.psfs_change.summary,
            psfs_meaningful=summary.psfs_change.meaningful,
            latest_rating=rating.rating if rating else None,
            latest_rating_label=rating.label if rating else None,
            improved=rating.improved if rating else None,
        )


class NextSessionIn(Body):
    next_session_at: BookingTime | None


@router.get("", responses=ERRORS)
def client_list(actor: SignedInUser, db: UnitOfWork) -> list[ClientRowOut]:
    """Every client who shared with you: pain and trend, triage, precautions, next session."""
    rows = workspace.client_list(db, actor=actor)
    return [ClientRowOut.model_validate(row, from_attributes=True) for row in rows]


@router.get("/{client_id}", responses=ERRORS)
def client_record(client_id: str, actor: SignedInUser, db: UnitOfWork) -> ClientRecordOut:
    """The client page: latest assessment and body map, precautions, plan, diary, sessions
    (each part only when the client shared it)."""
    require_role(actor, "therapist")
    view = workspace.client_record(db, actor=actor, client_id=client_id)
    return ClientRecordOut(
        client_id=view.client_id,
        display_name=view.display_name,
        scopes=list(view.scopes),
        next_session_at=view.next_session_at,
        latest=assessment_out(view.latest) if view.latest else None,
        assessments_count=view.assessments_count,
        precautions=view.precautions,
        avoid=view.avoid,
        body_map=[BodyAreaOut.model_validate(a, from_attributes=True) for a in view.body_map],
        trend=TrendOut.of(view.trend) if view.trend else None,
        recent_entries=[DiaryEntryOut.of(e) for e in view.recent_entries],
        notes=[NoteOut.of(n) for n in view.notes],
        what_helped=view.what_helped,
        follow_up=FollowUpOut(**asdict(view.follow_up)) if view.follow_up else None,
        outcomes=OutcomesOut.of(view.outcomes) if view.outcomes else None,
    )


@router.delete("/{client_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def remove_client(client_id: str, actor: SignedInUser, db: UnitOfWork) -> None:
    """Remove the client from your list (ends the share; your notes stay in their record)."""
    sharing.remove_client(db, actor=actor, client_id=client_id)


@router.put("/{client_id}/next-session", responses=ERRORS)
def next_session(
    client_id: str, body: NextSessionIn, actor: SignedInUser, db: UnitOfWork
) -> ShareOut:
    """Note the client's next session (null clears it)."""
    view = sharing.set_next_session(db, actor=actor, client_id=client_id, at=body.next_session_at)
    return ShareOut.of(view)
