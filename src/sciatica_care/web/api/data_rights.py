"""The client's data rights over the API: export (JSON, CSV, a zip of CSVs with a README),
erase, and who looked."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field

from sciatica_care.services import audit, erase, export
from sciatica_care.web.api.schemas import Body
from sciatica_care.web.api.therapists import ERRORS
from sciatica_care.web.auth import SignedInUser, UnitOfWork, clear_session_cookie

router = APIRouter(tags=["data rights"])


class EraseIn(Body):
    password: str = Field(max_length=1024, description="your password, to confirm")
    confirm: str = Field(max_length=100, description=f"the words '{erase.ERASE_PHRASE}'")


class AuditOut(BaseModel):
    at: datetime
    actor_id: str | None
    actor_name: str
    actor_role: str
    is_me: bool
    action: str
    record_type: str
    record_id: str | None
    route: str


def _download(text: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content=text.encode() if isinstance(text, str) else text,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/export",
    responses={**ERRORS, 200: {"content": {"application/json": {}}}},
    response_class=Response,
)
def export_json(actor: SignedInUser, db: UnitOfWork) -> Response:
    """Everything about you as one JSON document (a download)."""
    text = export.export_json(db, actor=actor)
    return _download(text, "application/json", export.JSON_FILENAME)


@router.get(
    "/export/diary.csv",
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
    response_class=Response,
)
def export_diary(actor: SignedInUser, db: UnitOfWork) -> Response:
    """Your diary as CSV (a download)."""
    return _download(export.diary_csv(db, actor=actor), "text/csv", export.DIARY_FILENAME)


@router.get(
    "/export/sessions.csv",
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
    response_class=Response,
)
def export_sessions(actor: SignedInUser, db: UnitOfWork) -> Response:
    """Your massage sessions (the notes' current versions) as CSV (a download)."""
    return _download(export.sessions_csv(db, actor=actor), "text/csv", export.SESSIONS_FILENAME)


@router.get(
    "/export/outcomes.csv",
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
    response_class=Response,
)
def export_outcomes(actor: SignedInUser, db: UnitOfWork) -> Response:
    """Your questionnaire scores (SBI, PSFS, global rating of change) as CSV (a download)."""
    return _download(export.outcomes_csv(db, actor=actor), "text/csv", export.OUTCOMES_FILENAME)


@router.get(
    "/export.zip",
    responses={**ERRORS, 200: {"content": {"application/zip": {}}}},
    response_class=Response,
)
def export_zip(actor: SignedInUser, db: UnitOfWork) -> Response:
    """Your diary, sessions and questionnaire scores as CSV (local times in your time zone,
    labels in words) with a README.txt explaining every column, in one zip (a download)."""
    return _download(export.csv_zip(db, actor=actor), "application/zip", export.ZIP_FILENAME)


@router.post("/me/erase", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def erase_account(
    body: EraseIn, request: Request, response: Response, actor: SignedInUser, db: UnitOfWork
) -> None:
    """Delete your account and all your health data (including what therapists wrote about
    you). Confirm with your password and the words 'delete my account'."""
    erase.erase_account(db, actor=actor, password=body.password, confirm=body.confirm)
    clear_session_cookie(request, response)


@router.get("/audit", responses=ERRORS)
def who_looked(
    actor: SignedInUser,
    db: UnitOfWork,
    others_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=2000)] = 200,
) -> list[AuditOut]:
    """Who read or wrote your record: who, what, when, by which route (newest first)."""
    rows = audit.who_looked(db, actor=actor, limit=limit, others_only=others_only)
    return [AuditOut.model_validate(r, from_attributes=True) for r in rows]
