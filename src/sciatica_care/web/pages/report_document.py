"""The doctor's report as a document: one HTML page drawn from the report (its charts, dates
and words in the report's language), and that page as a PDF download (WeasyPrint)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from sciatica_care.domain.outcomes import (
    GLOBAL_RATING_IMPROVED,
    PSFS_MAX,
    PSFS_MEANINGFUL_CHANGE,
    SBI_MAX,
    psfs_mean,
)
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import format_when, translator
from sciatica_care.reports import words
from sciatica_care.reports.pdf import html_to_pdf
from sciatica_care.reports.pdf_charts import ScoreChart, date_label, score_chart
from sciatica_care.services import report as report_service
from sciatica_care.web.pages.assessment import emergency_number
from sciatica_care.web.pages.body_map import BACK_ZONES, FRONT_ZONES
from sciatica_care.web.pages.brief import marked_zones
from sciatica_care.web.pages.chart import trend_chart
from sciatica_care.web.templating import templates

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "report.css"
#: The SBI total that has been used as success at follow-up (Haugen 2011; outcomes.md).
SBI_SUCCESS = 6.5


#: The links form's fields as its labels name them (for the error summary).
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


def when_in(language: str, default_zone: str | None = None) -> Callable[..., str]:
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
        "report_when": when_in(language),
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
