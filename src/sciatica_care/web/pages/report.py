"""The doctor's report as pages: the client's report page (with "what I want to ask") and its
PDF, the therapist's download, the client's read-only clinician links, and the clinician's
view of the report through such a link (page and PDF, no account).

Every read goes through ``services/report.py``, whose one access check writes the audit row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sciatica_care.i18n import N_, translator
from sciatica_care.services import clinician_links
from sciatica_care.services import report as report_service
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, InvalidInput, NotFound
from sciatica_care.web.auth import CurrentUser, UnitOfWork, settings_of
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.report_document import pdf_response, report_html, when_in
from sciatica_care.web.pages.therapist import render, therapist_only
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError, errors_by_anchor
from sciatica_care.web.templating import templates

router = APIRouter()

LINK_FIELDS = {"days": N_("Days it works"), "label": N_("Who it is for")}
#: What every answer of a clinician link carries, a refusal too: kept nowhere, indexed nowhere,
#: and the address (which holds the token) never sent on as a Referer.
LINK_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def _question_problem(problem: FieldProblem, _: Callable[[str], str]) -> str:
    """The service's problem with "what you want to ask" in the page's language."""
    found = re.search(r"\(it has (\d+)\)", problem.message)
    if found:
        return _("must be at most %(max)s characters (it has %(n)s)") % {
            "max": report_service.MAX_QUESTIONS,
            "n": found.group(1),
        }
    return problem.message


def _link_problem(problem: FieldProblem, _: Callable[[str], str]) -> str:
    """The service's problem with the links form in the page's language."""
    if problem.field == "days":
        return _("must be a whole number of days from %(min)s to %(max)s") % {
            "min": clinician_links.MIN_DAYS,
            "max": clinician_links.MAX_DAYS,
        }
    if problem.field == "label":
        return _("must be at most %(max)s characters") % {"max": clinician_links.MAX_LABEL}
    return problem.message


def _client(user: Actor | None) -> Actor | None:
    return user if user is not None and user.role == "client" else None


def _report_page(
    request: Request, user: Actor, *, questions: str = "", errors: list[PageError] | None = None
) -> Response:
    return render(
        request,
        "report/page.html",
        status_code=422 if errors else 200,
        user=user,
        nav="dashboard",
        questions=questions,
        page_errors=errors or [],
        errors=errors_by_anchor(errors),
        max_questions=report_service.MAX_QUESTIONS,
    )


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, user: CurrentUser) -> Response:
    """The client's report page: what it holds, a box for questions, the download."""
    if user is None:
        return to_login()
    return _report_page(request, user)


@router.post("/report.pdf")
async def report_pdf(request: Request) -> Response:
    """The client's own report as a PDF, with the questions typed on the report page (which are
    put into this PDF and stored nowhere)."""
    form = await request.form()
    questions = str(form.get("questions", ""))
    language = request_language(request)

    def work(db: Session, user: Actor) -> Response | report_service.DoctorReport:
        try:
            return report_service.doctor_report(
                db, actor=user, questions=questions, language=language
            )
        except InvalidInput as exc:
            _ = translator(language)
            errors = [
                PageError(p.field, p.field, _("What you want to ask"), _question_problem(p, _))
                for p in exc.problems
            ]
            return _report_page(request, user, questions=questions, errors=errors)

    # The reads in one unit of work; then the drawing (a few hundred milliseconds of CPU) in a
    # thread of its own, off the event loop and outside the unit of work's turn on SQLite.
    found = await signed_in_page(request, work)
    if isinstance(found, Response):
        return found
    return await run_in_threadpool(pdf_response, request, found)


@router.get("/therapist/clients/{client_id}/report.pdf")
def therapist_report_pdf(
    request: Request, client_id: str, user: CurrentUser, db: UnitOfWork
) -> Response:
    """A client's report for a therapist the client shared their assessments with."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    report = report_service.doctor_report(
        db, actor=me, client_id=client_id, language=request_language(request)
    )
    return pdf_response(request, report)


# --- The client's read-only links for a clinician ---


def _links_page(
    request: Request,
    user: Actor,
    db: Any,
    *,
    new_link: str | None = None,
    errors: list[PageError] | None = None,
    answers: dict[str, str] | None = None,
) -> Response:
    response = render(
        request,
        "report/links.html",
        status_code=422 if errors else 200,
        user=user,
        nav="privacy",
        links=clinician_links.links_of(db, actor=user),
        new_link=new_link,
        page_errors=errors or [],
        errors=errors_by_anchor(errors),
        answers=answers or {"days": str(clinician_links.DEFAULT_DAYS), "label": ""},
        min_days=clinician_links.MIN_DAYS,
        max_days=clinician_links.MAX_DAYS,
        report_when=when_in(request_language(request), getattr(user, "time_zone", None)),
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/report/links", response_class=HTMLResponse)
def links_page(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The client's clinician links: make one, see them, end them."""
    if user is None:
        return to_login()
    client = _client(user)
    if client is None:
        return render(request, "report/links_clients_only.html", user=user, status_code=403)
    return _links_page(request, client, db)


@router.post("/report/links", response_class=HTMLResponse)
async def make_link(request: Request) -> Response:
    """Make a link; the page again with its address shown once, or with the problem named."""
    form = await request.form()
    answers = {"days": str(form.get("days", "")), "label": str(form.get("label", ""))}

    def work(db: Session, user: Actor) -> Response:
        client = _client(user)
        if client is None:
            return render(request, "report/links_clients_only.html", user=user, status_code=403)
        try:
            _link, token = clinician_links.issue(
                db, actor=client, days=answers["days"], label=answers["label"]
            )
        except InvalidInput as exc:
            _ = translator(request_language(request))
            errors = [
                PageError(
                    p.field,
                    f"link-{p.field}",
                    _(LINK_FIELDS.get(p.field, p.field)),
                    _link_problem(p, _),
                )
                for p in exc.problems
            ]
            return _links_page(request, client, db, errors=errors, answers=answers)
        address = settings_of(request).public_url(f"/clinician/{token}")
        return _links_page(request, client, db, new_link=address)

    return await signed_in_page(request, work)


@router.post("/report/links/{link_id}/revoke")
def revoke_link(request: Request, link_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """End a link now: the next request through it is refused."""
    if user is None:
        return to_login()
    client = _client(user)
    if client is None:
        return render(request, "report/links_clients_only.html", user=user, status_code=403)
    clinician_links.revoke(db, actor=client, link_id=link_id)
    return RedirectResponse("/report/links?ended=1", status_code=303)


# --- The clinician's side: the report through a link, no account ---


def _opened(
    request: Request, db: Any, token: str, route: str
) -> tuple[report_service.DoctorReport, clinician_links.OpenedLink]:
    """The report behind a link, in the language of whoever opens it (their browser's
    Accept-Language, or the site's language cookie): the reader is the clinician, and the
    client who made the link need not know which language that clinician reads."""
    opened = clinician_links.open_link(db, token=token, route=route)
    report = report_service.doctor_report(
        db,
        actor=opened.actor,
        client_id=opened.client_id,
        language=request_language(request),
    )
    return report, opened


def link_gone(request: Request) -> Response:
    """The refusal of a link that is unknown, expired or ended: a plain 404 page, no data."""
    html = templates.env.get_template("report/link_gone.html").render({"request": request})
    return HTMLResponse(html, status_code=404, headers=LINK_HEADERS)


@router.get("/clinician/{token}", response_class=HTMLResponse)
def clinician_page(request: Request, token: str, db: UnitOfWork) -> Response:
    """The client's report as a page, for whoever holds the link (refused once it has ended)."""
    try:
        report, opened = _opened(request, db, token, "GET /clinician/{token}")
    except NotFound:
        return link_gone(request)
    html = report_html(
        request,
        report,
        for_pdf=False,
        pdf_url=f"/clinician/{token}/report.pdf",
        link_expires=opened.expires_at,
    )
    return HTMLResponse(html, headers=LINK_HEADERS)


@router.get("/clinician/{token}/report.pdf")
def clinician_pdf(request: Request, token: str, db: UnitOfWork) -> Response:
    """The same report as a PDF."""
    try:
        report, _opened_link = _opened(request, db, token, "GET /clinician/{token}/report.pdf")
    except NotFound:
        return link_gone(request)
    return pdf_response(request, report, headers=LINK_HEADERS)
