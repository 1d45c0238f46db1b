"""The doctor's report as pages: the client's report page (with "what I want to ask") and its
PDF, the therapist's download, the client's read-only clinician links, and the clinician's
view of the report through such a link (page and PDF, no account).

Every read goes through ``services/report.py``, whose one access check writes the audit row.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sciatica_care.domain.outcomes import (
    GLOBAL_RATING_IMPROVED,
    GLOBAL_RATINGS,
    PSFS_MAX,
    PSFS_MEANINGFUL_CHANGE,
    SBI_MAX,
    psfs_mean,
)
from sciatica_care.reports.pdf import html_to_pdf
from sciatica_care.reports.pdf_charts import ScoreChart, score_chart
from sciatica_care.services import clinician_links
from sciatica_care.services import report as report_service
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput, NotFound
from sciatica_care.web.auth import CurrentUser, UnitOfWork, settings_of
from sciatica_care.web.pages.assessment import emergency_number
from sciatica_care.web.pages.body_map import BACK_ZONES, FRONT_ZONES
from sciatica_care.web.pages.brief import marked_zones
from sciatica_care.web.pages.chart import trend_chart
from sciatica_care.web.pages.therapist import render, therapist_only
from sciatica_care.web.pages.tracking import to_login
from sciatica_care.web.pages.wizard_form import PageError, errors_by_anchor
from sciatica_care.web.templating import templates

router = APIRouter()

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "report.css"
#: The SBI total that has been used as success at follow-up (Haugen 2011; outcomes.md).
SBI_SUCCESS = 6.5
#: The links form's fields as its labels name them (for the error summary).
LINK_FIELDS = {"days": "Days it works", "label": "Who it is for"}
#: What every answer of a clinician link carries, a refusal too: kept nowhere, indexed nowhere,
#: and the address (which holds the token) never sent on as a Referer.
LINK_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def sbi_chart(report: report_service.DoctorReport) -> ScoreChart:
    """The weekly SBI totals against the 6.5 used as success."""
    points = [(m.week_of, float(m.total)) for m in (report.sbi or []) if m.total is not None]
    return score_chart(
        points,
        low=0,
        high=SBI_MAX,
        step=6,
        reference=SBI_SUCCESS,
        reference_label="6.5: used as success",
    )


def psfs_chart(report: report_service.DoctorReport) -> ScoreChart:
    """The PSFS mean (0-10, higher is better) against the first mean plus the 2 points that
    matter."""
    points = [(m.week_of, psfs_mean(m.items)) for m in (report.psfs or [])]
    first = points[0][1] if points else None
    return score_chart(
        points,
        low=0,
        high=PSFS_MAX,
        step=2,
        reference=None if first is None else min(PSFS_MAX, first + PSFS_MEANINGFUL_CHANGE),
        reference_label=f"first + {PSFS_MEANINGFUL_CHANGE}: change that matters",
    )


def global_rating_chart(report: report_service.DoctorReport) -> ScoreChart:
    """The global rating of change (-3 to +3) against "better", which counts as improved."""
    points = [(m.week_of, float(m.items[0])) for m in (report.global_ratings or []) if m.items]
    return score_chart(
        points,
        low=-3,
        high=3,
        step=1,
        reference=GLOBAL_RATING_IMPROVED,
        reference_label="better: counts as improved",
    )


def report_html(
    request: Request, report: report_service.DoctorReport, *, for_pdf: bool, **extra: Any
) -> str:
    """The report as one HTML document (for the PDF, or as the clinician's page)."""
    latest = report.latest
    trend = report.trend
    chart = (
        trend_chart(trend.days, baseline=trend.leg.baseline, mic_points=trend.mic_points)
        if trend is not None and trend.days
        else None
    )
    values: dict[str, Any] = {
        "request": request,
        "report": report,
        "for_pdf": for_pdf,
        "chart": chart,
        "sbi_chart": sbi_chart(report),
        "psfs_chart": psfs_chart(report),
        "global_rating_chart": global_rating_chart(report),
        "global_rating_words": GLOBAL_RATINGS,
        "marked": marked_zones(latest.assessment) if latest else set(),
        "back_zones": BACK_ZONES,
        "front_zones": FRONT_ZONES,
        "emergency_number": emergency_number(request),
        "period_days": report_service.PERIOD_DAYS,
        "pdf_url": None,
        **extra,
    }
    return templates.env.get_template("report/report.html").render(values)


def filename_of(report: report_service.DoctorReport) -> str:
    """A download name that says what it is and when, without the person's name."""
    made = report.period_to or date.today()
    return f"sciatica-care-report-{made.isoformat()}.pdf"


def pdf_response(
    request: Request, report: report_service.DoctorReport, *, headers: dict[str, str] | None = None
) -> Response:
    """The report as a PDF download (never cached)."""
    pdf = html_to_pdf(report_html(request, report, for_pdf=True), stylesheets=(STYLESHEET,))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename_of(report)}"',
            "Cache-Control": "no-store",
            **(headers or {}),
        },
    )


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
async def report_pdf(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The client's own report as a PDF, with the questions typed on the report page (which are
    put into this PDF and stored nowhere)."""
    if user is None:
        return to_login()
    form = await request.form()
    questions = str(form.get("questions", ""))
    try:
        report = report_service.doctor_report(db, actor=user, questions=questions)
    except InvalidInput as exc:
        errors = [
            PageError(p.field, p.field, "What you want to ask", p.message) for p in exc.problems
        ]
        return _report_page(request, user, questions=questions, errors=errors)
    return pdf_response(request, report)


@router.get("/therapist/clients/{client_id}/report.pdf")
def therapist_report_pdf(
    request: Request, client_id: str, user: CurrentUser, db: UnitOfWork
) -> Response:
    """A client's report for a therapist the client shared their assessments with."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    return pdf_response(request, report_service.doctor_report(db, actor=me, client_id=client_id))


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
async def make_link(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Make a link; the page again with its address shown once, or with the problem named."""
    if user is None:
        return to_login()
    client = _client(user)
    if client is None:
        return render(request, "report/links_clients_only.html", user=user, status_code=403)
    form = await request.form()
    answers = {"days": str(form.get("days", "")), "label": str(form.get("label", ""))}
    try:
        _link, token = clinician_links.issue(
            db, actor=client, days=answers["days"], label=answers["label"]
        )
    except InvalidInput as exc:
        errors = [
            PageError(p.field, f"link-{p.field}", LINK_FIELDS.get(p.field, p.field), p.message)
            for p in exc.problems
        ]
        return _links_page(request, client, db, errors=errors, answers=answers)
    address = settings_of(request).public_url(f"/clinician/{token}")
    return _links_page(request, client, db, new_link=address)


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
    db: Any, token: str, route: str
) -> tuple[report_service.DoctorReport, clinician_links.OpenedLink]:
    opened = clinician_links.open_link(db, token=token, route=route)
    report = report_service.doctor_report(db, actor=opened.actor, client_id=opened.client_id)
    return report, opened


def link_gone(request: Request) -> Response:
    """The refusal of a link that is unknown, expired or ended: a plain 404 page, no data."""
    html = templates.env.get_template("report/link_gone.html").render({"request": request})
    return HTMLResponse(html, status_code=404, headers=LINK_HEADERS)


@router.get("/clinician/{token}", response_class=HTMLResponse)
def clinician_page(request: Request, token: str, db: UnitOfWork) -> Response:
    """The client's report as a page, for whoever holds the link (refused once it has ended)."""
    try:
        report, opened = _opened(db, token, "GET /clinician/{token}")
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
        report, _opened_link = _opened(db, token, "GET /clinician/{token}/report.pdf")
    except NotFound:
        return link_gone(request)
    return pdf_response(request, report, headers=LINK_HEADERS)
