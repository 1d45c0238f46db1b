"""Assessments over the API: the assessment vocabulary in, the result contract out."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.result import Result
from sciatica_care.services import assessments
from sciatica_care.services.actors import Actor
from sciatica_care.services.assessments import AssessmentOutcome
from sciatica_care.web.api.schemas import ErrorOut
from sciatica_care.web.auth import SignedInUser, UnitOfWork, in_unit_of_work

router = APIRouter(prefix="/assessments", tags=["assessments"])
NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "no such assessment of yours"},
    401: {"model": ErrorOut, "description": "not signed in"},
}


class AssessmentOut(BaseModel):
    id: str | None = Field(description="null when evaluated anonymously (not stored)")
    stored: bool
    created_at: datetime | None
    assessment: Assessment
    result: Result


class AssessmentSummary(BaseModel):
    id: str
    created_at: datetime
    triage_level: str
    leg_pain: int | None = Field(description="null if the stored answers lack it; never 0 instead")
    back_pain: int | None = Field(description="null if the stored answers lack it; never 0 instead")
    knowledge_version: str


class _StoredHead(BaseModel):
    """``AssessmentOut``'s first three fields, typed as there (the same JSON)."""

    id: str | None
    stored: bool
    created_at: datetime | None


def answer_json(outcome: AssessmentOutcome) -> str:
    """``assessment_out(outcome).model_dump_json()``; for an outcome just stored, made from the
    JSON text the row holds rather than by encoding the answers and the result again."""
    if outcome.stored_text is None:
        return assessment_out(outcome).model_dump_json()
    head = _StoredHead(id=outcome.id, stored=True, created_at=outcome.created_at)
    answers, result = outcome.stored_text
    return f'{head.model_dump_json()[:-1]},"assessment":{answers},"result":{result}}}'


def assessment_out(outcome: AssessmentOutcome) -> AssessmentOut:
    return AssessmentOut(
        id=outcome.id,
        stored=outcome.id is not None,
        created_at=outcome.created_at,
        assessment=outcome.assessment,
        result=outcome.result,
    )


@router.post(
    "",
    status_code=status.HTTP_200_OK,
    response_model=AssessmentOut,
    responses={422: {"model": ErrorOut, "description": "a field is wrong; errors names it"}},
)
async def run_assessment(body: Assessment, request: Request) -> Response:
    """Evaluate an assessment. Anonymous: evaluated, not stored. Signed in: stored, with an id."""

    def work(db: Session, actor: Actor | None) -> AssessmentOutcome:
        return assessments.run_assessment(db, actor=actor, assessment=body)

    outcome = await in_unit_of_work(request, work)
    # Serialised once, as built: FastAPI would validate the whole result again first.
    return Response(answer_json(outcome), media_type="application/json")


@router.get("", responses=NOT_FOUND)
def list_assessments(actor: SignedInUser, db: UnitOfWork) -> list[AssessmentSummary]:
    """Your assessment history, newest first."""
    return [
        AssessmentSummary(
            id=r.id,
            created_at=r.created_at,
            triage_level=r.triage_level,
            leg_pain=r.input.get("leg_pain"),
            back_pain=r.input.get("back_pain"),
            knowledge_version=r.kb_version,
        )
        for r in assessments.list_assessments(db, actor=actor)
    ]


@router.get("/{assessment_id}", responses=NOT_FOUND)
def get_assessment(assessment_id: str, actor: SignedInUser, db: UnitOfWork) -> AssessmentOut:
    """One of your stored assessments with its result."""
    return assessment_out(assessments.get_assessment(db, actor=actor, assessment_id=assessment_id))
