"""The REST API under /api/v1: JSON in, JSON out, described by the OpenAPI schema."""

from __future__ import annotations

from fastapi import APIRouter

from sciatica_care.web.api import (
    account,
    assessments,
    bookings,
    calendar,
    data_rights,
    diary,
    directory,
    fhir,
    notes,
    outcomes,
    report,
    series,
    sharing,
    therapists,
    workspace,
)

router = APIRouter()


@router.get("/ping", tags=["meta"], summary="A bare JSON answer (health check, benchmark)")
async def ping() -> dict[str, str]:
    """Answers without touching the database."""
    return {"status": "ok"}


router.include_router(account.router)
router.include_router(assessments.router)
router.include_router(diary.router)
router.include_router(outcomes.router)
router.include_router(therapists.router)
router.include_router(directory.router)
router.include_router(sharing.router)
router.include_router(workspace.router)
router.include_router(notes.router)
router.include_router(data_rights.router)
router.include_router(fhir.router)
router.include_router(report.router)
router.include_router(bookings.router)

router.include_router(series.router)
router.include_router(calendar.router)
