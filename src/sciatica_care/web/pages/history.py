"""The history of a signed-in person's assessments: the list, each result and its brief."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sciatica_care.services.assessments import get_assessment, list_assessments
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.pages.assessment import result_page
from sciatica_care.web.pages.brief import brief_context
from sciatica_care.web.pages.tracking import to_login
from sciatica_care.web.templating import page_context, templates

router = APIRouter()


@router.get("/assessments", response_class=HTMLResponse)
def history(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Every stored assessment, newest first, and a way to reassess."""
    if user is None:
        return to_login()
    records = list_assessments(db, actor=user)
    context = page_context(request, user=user, nav="history", records=records)
    return templates.TemplateResponse(request, "pages/history.html", context)


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def stored_result(
    request: Request, assessment_id: str, user: CurrentUser, db: UnitOfWork
) -> Response:
    """A stored assessment's result (NotFound unless it is the person's own)."""
    if user is None:
        return to_login()
    outcome = get_assessment(db, actor=user, assessment_id=assessment_id)
    return result_page(
        request,
        outcome.assessment,
        outcome.result,
        user=user,
        nav="history",
        stored_id=outcome.id,
        created_at=outcome.created_at,
    )


@router.get("/assessments/{assessment_id}/brief", response_class=HTMLResponse)
def stored_brief(
    request: Request, assessment_id: str, user: CurrentUser, db: UnitOfWork
) -> Response:
    """The printable therapist brief of a stored assessment."""
    if user is None:
        return to_login()
    outcome = get_assessment(db, actor=user, assessment_id=assessment_id)
    context = page_context(
        request,
        user=user,
        nav="history",
        **brief_context(outcome.assessment, outcome.result, viewer=user),
    )
    return templates.TemplateResponse(request, "pages/brief.html", context)
