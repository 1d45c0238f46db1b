"""The doctor's report over the API: a PDF of the client's own record, or of a client who
shared their assessments with the therapist asking."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from sciatica_care.services import report as report_service
from sciatica_care.web.api.schemas import Body
from sciatica_care.web.api.therapists import ERRORS
from sciatica_care.web.auth import SignedInUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.report_document import pdf_response

router = APIRouter(tags=["report"])

PDF: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {"content": {"application/pdf": {}}, "description": "the report (a download)"},
    503: {"description": "this server cannot make PDFs (WeasyPrint or Pango missing)"},
}
ClientId = Annotated[
    str | None,
    Query(
        max_length=32,
        description="a client who shared their assessments with you (therapists); "
        "default: your own record",
    ),
]


class ReportIn(Body):
    questions: str = Field(
        default="",
        max_length=report_service.MAX_QUESTIONS,
        description="what you want to ask your doctor; printed in this PDF, stored nowhere",
    )


@router.get("/report.pdf", responses=PDF, response_class=Response)
def report_pdf(
    request: Request, actor: SignedInUser, db: UnitOfWork, client_id: ClientId = None
) -> Response:
    """The doctor's report as a PDF (A4, one or two pages), in the language the request asks
    for (``Accept-Language``: English or Korean)."""
    report = report_service.doctor_report(
        db, actor=actor, client_id=client_id, language=request_language(request)
    )
    return pdf_response(request, report)


@router.post("/report.pdf", responses=PDF, response_class=Response)
def report_pdf_with_questions(
    body: ReportIn,
    request: Request,
    actor: SignedInUser,
    db: UnitOfWork,
    client_id: ClientId = None,
) -> Response:
    """The doctor's report as a PDF, with what you want to ask printed in it."""
    report = report_service.doctor_report(
        db,
        actor=actor,
        client_id=client_id,
        questions=body.questions,
        language=request_language(request),
    )
    return pdf_response(request, report)
