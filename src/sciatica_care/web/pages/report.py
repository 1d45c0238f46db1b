"""The doctor's report as pages: the client's report page (with "what I want to ask") and its
PDF, the therapist's download, the client's read-only clinician links, and the clinician's
view of the report through such a link (page and PDF, no account).

Every read goes through ``services/report.py``, whose one access check writes the audit row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sciatica_care.domain.outcomes import (
    GLOBAL_RATING_IMPROVED,
    PSFS_MAX,
    PSFS_MEANINGFUL_CHANGE,
    SBI_MAX,
    psfs_mean,
)
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import N_, format_when, translator
from sciatica_care.reports import words
from sciatica_care.reports.pdf import html_to_pdf
from sciatica_care.reports.pdf_charts import ScoreChart, date_label, score_chart
from sciatica_care.services import clinician_links
from sciatica_care.services import report as report_service
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, InvalidInput, NotFound
from sciatica_care.web.auth import CurrentUser, UnitOfWork, settings_of
from sciatica_care.web.language import request_language
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
LINK_FIELDS = {"days": N_("Days it works"), "label": N_("Who it is for")}
#: What every answer of a clinician link carries, a refusal too: kept nowhere, indexed nowhere,
#: and the address (which holds the token) never sent on as a Referer.
LINK_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def sbi_chart(report: report_service.DoctorReport) -> ScoreChart:
    """The weekly SBI totals against the 6.5 used as success."""
    _ = translator(report.language)
    points = [(m.week_of, float(m.total)) for m in (report.sbi or []) if m.total is not None]
    return score_chart(
        points,
        low=0,
        high=SBI_MAX,
        step=6,
        reference=SBI_SUCCESS,
        reference_label=_("6.5: used as success"),
        language=report.language,
    )


def psfs_chart(report: report_service.DoctorReport) -> ScoreChart:
    """The PSFS mean (0-10, higher is better) against the first mean plus the 2 points that
    matter."""
    _ = translator(report.language)
    points = [(m.week_of, psfs_mean(m.items)) for m in (report.psfs or [])]
    first = points[0][1] if points else None
    return score_chart(
        points,
        low=0,
        high=PSFS_MAX,
        step=2,
        reference=None if first is None else min(PSFS_MAX, first + PSFS_MEANINGFUL_CHANGE),
        reference_label=_("first + %(n)s: change that matters") % {"n": PSFS_MEANINGFUL_CHANGE},
        language=report.language,
    )


def global_rating_chart(report: report_service.DoctorReport) -> ScoreChart:
    """The global rating of change (-3 to +3) against "better", which counts as improved."""
    _ = translator(report.language)
    points = [(m.week_of, float(m.items[0])) for m in (report.global_ratings or []) if m.items]
    return score_chart(
        points,
        low=-3,
        high=3,
        step=1,
        reference=GLOBAL_RATING_IMPROVED,
        reference_label=_("better: counts as improved"),
        language=report.language,
    )


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(language: str) -> str:
    """The PDF's running header and footer in ``language``, and its type: a Korean report is
    set in NanumGothic (Debian fonts-nanum), whose Latin letters and digits match its Hangul;
    DejaVu Sans stays the fallback."""
    _ = translator(language)
    numbering = _("page %(page)s of %(pages)s")
    footer = _css_string(_("Sciatica Care · not a diagnosis"))
    made = _css_string(_("Made") + " ")
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", numbering):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    css = f"""
@page {{
  @bottom-left {{ content: {footer}; }}
  @bottom-right {{ content: {" ".join(parts)}; }}
}}
.running-made {{ string-set: made {made} content(); }}
"""
    if language == "ko":
        css += """
@page {
  @top-left { font-family: "NanumGothic", "DejaVu Sans", sans-serif; }
  @top-right { font-family: "NanumGothic", "DejaVu Sans", sans-serif; }
  @bottom-left { font-family: "NanumGothic", "DejaVu Sans", sans-serif; }
  @bottom-right { font-family: "NanumGothic", "DejaVu Sans", sans-serif; }
}
"""
    return css


def _when_in(language: str, default_zone: str | None = None) -> Callable[..., str]:
    """The report's ``when``: a date or a time (in ``zone``, else ``default_zone``; stored
    times are UTC) as a reader of ``language`` writes it."""

    def when(value: datetime | date | None, zone: str | None = None, *, day: bool = False) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            if day:
                value = value.astimezone(zone_named(zone or default_zone)).date()
        return format_when(value, language, zone_named(zone or default_zone))

    return when


def _tick_text(text: str, language: str) -> str:
    """A trend chart's day label ("3 Mar", chart.py) in ``language``."""
    try:
        day = datetime.strptime(f"{text} 2000", "%d %b %Y").date()  # 2000: 29 Feb exists
    except ValueError:
        return text
    return date_label(day, language)


def report_html(
    request: Request, report: report_service.DoctorReport, *, for_pdf: bool, **extra: Any
) -> str:
    """The report as one HTML document (for the PDF, or as the clinician's page), in the
    report's language."""
    latest = report.latest
    trend = report.trend
    language = report.language
    chart = (
        trend_chart(trend.days, baseline=trend.leg.baseline, mic_points=trend.mic_points)
        if trend is not None and trend.days
        else None
    )
    if chart is not None and language != "en":
        chart.x_ticks = [replace(t, text=_tick_text(t.text, language)) for t in chart.x_ticks]
    values: dict[str, Any] = {
        "request": request,
        "report": report,
        "for_pdf": for_pdf,
        "chart": chart,
        "sbi_chart": sbi_chart(report),
        "psfs_chart": psfs_chart(report),
        "global_rating_chart": global_rating_chart(report),
        "global_rating_words": words.GLOBAL_RATING_WORDS,
        "language": language,
        "words": words,
        "report_when": _when_in(language),
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
    """The report as a PDF download (never cached), in the report's language."""
    pdf = html_to_pdf(
        report_html(request, report, for_pdf=True),
        stylesheets=(STYLESHEET,),
        css=(page_css(report.language),),
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename_of(report)}"',
            "Cache-Control": "no-store",
            **(headers or {}),
        },
    )


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
async def report_pdf(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The client's own report as a PDF, with the questions typed on the report page (which are
    put into this PDF and stored nowhere)."""
    if user is None:
        return to_login()
    form = await request.form()
    questions = str(form.get("questions", ""))
    try:
        report = report_service.doctor_report(
            db, actor=user, questions=questions, language=request_language(request)
        )
    except InvalidInput as exc:
        _ = translator(request_language(request))
        errors = [
            PageError(p.field, p.field, _("What you want to ask"), _question_problem(p, _))
            for p in exc.problems
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
        report_when=_when_in(request_language(request), getattr(user, "time_zone", None)),
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
