"""The therapist's page of one client (safety first, then the pain map, the plan, the trend,
sessions and what helped) and its form for the client's next session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.domain.brief import therapist_brief
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import N_, translator
from sciatica_care.services import sharing, workspace
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.body_map import BACK_ZONES, FRONT_ZONES
from sciatica_care.web.pages.brief import marked_zones
from sciatica_care.web.pages.chart import trend_chart
from sciatica_care.web.pages.therapist import grouped, render, therapist_only
from sciatica_care.web.pages.therapist_reading import heading_in, review_note
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError

router = APIRouter()

SAFETY_HEADINGS = ("Safety", "Precautions", "Avoid")
NOT_OTHER = (*SAFETY_HEADINGS, "About")
NEXT_SESSION = N_("Next session")
#: What the form says of a value that is not a date and a time (a browser's date-and-time
#: control sends one, or nothing).
NOT_A_TIME = N_("enter a date and a time")


def _client_page(
    request: Request,
    me: Actor,
    db: Session,
    client_id: str,
    *,
    errors: list[PageError] | None = None,
    typed: str | None = None,
    status_code: int = 200,
) -> Response:
    """The client's page; with ``errors`` (the next session's), the value typed is kept."""
    language = request_language(request)
    record = workspace.client_record(db, actor=me, client_id=client_id, language=language)
    values: dict[str, Any] = {"brief": None, "safety": [], "other": [], "chart": None}
    if record.latest is not None:
        brief = therapist_brief(record.latest.assessment, record.latest.result)
        lines = [(heading_in(h, language), h, body) for h, body in brief.lines(language)]
        values.update(
            brief=brief,
            safety=[(h, body) for shown, h, body in lines if h in SAFETY_HEADINGS],
            other=[(shown, body) for shown, h, body in lines if h not in NOT_OTHER],
            review_note=review_note(language),
            # The brief's precautions that the short "mind first" lines do not already say.
            more_precautions=[
                p for p in brief.precautions if not any(p in line for line in record.precautions)
            ],
            marked=marked_zones(record.latest.assessment),
            back_zones=BACK_ZONES,
            front_zones=FRONT_ZONES,
        )
    if record.trend is not None and record.trend.days:
        trend = record.trend
        values["chart"] = trend_chart(
            trend.days, baseline=trend.leg.baseline, mic_points=trend.mic_points
        )
    return render(
        request,
        "pages/therapist_client.html",
        status_code=status_code,
        user=me,
        nav="clients",
        record=record,
        trend=record.trend,
        helped=record.what_helped,
        audience="therapist",
        noted="noted" in request.query_params,
        page_errors=errors or [],
        errors=grouped(errors or []),
        typed_next_session=typed,
        **values,
    )


@router.get("/therapist/clients/{client_id}", response_class=HTMLResponse)
def client_page(request: Request, client_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """One client: safety first, then the pain map, the plan, the trend, sessions, what helped."""
    if user is None:
        return to_login()
    return _client_page(request, therapist_only(user), db, client_id)


@router.post("/therapist/clients/{client_id}/next-session")
async def set_next_session(request: Request, client_id: str) -> Response:
    """Set (or clear) the date and time of the next session (entered in the therapist's zone);
    a wrong one gives the client's page again, the problem by the field and the value kept."""
    value = str((await request.form()).get("next_session_at") or "").strip()

    def work(db: Session, user: Actor) -> Response:
        me = therapist_only(user)
        _ = translator(request_language(request))
        try:
            # Left in the therapist's zone: the service checks the range, then converts.
            at = datetime.fromisoformat(value).replace(tzinfo=zone_named(me.time_zone))
        except ValueError:
            at = None
            problems = [NOT_A_TIME] if value else []
        else:
            problems = []
        if not problems:
            try:
                sharing.set_next_session(db, actor=me, client_id=client_id, at=at)
            except InvalidInput as wrong:
                db.rollback()
                problems = [p.message for p in wrong.problems]
            else:
                return RedirectResponse(f"/therapist/clients/{client_id}", status_code=303)
        errors = [
            PageError("next_session_at", "field-next_session_at", _(NEXT_SESSION), message)
            for message in problems
        ]
        return _client_page(request, me, db, client_id, errors=errors, typed=value, status_code=422)

    return await signed_in_page(request, work)
