"""Booking a session every week (or every few weeks): the preview with its conflicts, making
the series without them, and the series page (cancel the rest; confirm all requested).

Routes are thin: read the form, call the series services, render. The client or the therapist
of the booking may use them; anyone else gets the same 404 as a booking that does not exist.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.i18n import N_, translator
from sciatica_care.services import booking_parties, series, series_changes
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput
from sciatica_care.services.series import SeriesPreview
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.booking import say_in
from sciatica_care.web.pages.refusals import WHOLE_NUMBER, refusal_words, sentence
from sciatica_care.web.pages.therapist import grouped, render, therapist_only
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError

router = APIRouter()

#: The controls of the series form: field -> (anchor, name shown with its error).
FIELDS: dict[str, tuple[str, str]] = {
    "every_weeks": ("field-every_weeks", N_("How often")),
    "count": ("field-count", N_("How many sessions")),
    "leave_out": ("field-sessions", N_("Sessions to book")),
}


def _error(field: str, message: str, language: str) -> PageError:
    anchor, name = FIELDS.get(field, FIELDS["leave_out"])
    _ = translator(language)
    return PageError(field, anchor, _(name), refusal_words(message, language))


def _numbers(every_text: str, count_text: str) -> tuple[int, int]:
    """The two whole numbers typed; InvalidInput naming each field that holds none."""
    typed = {"every_weeks": every_text.strip(), "count": count_text.strip()}
    problems = [
        FieldProblem(field, WHOLE_NUMBER)
        for field, text in typed.items()
        if not (text.isdigit() and len(text) <= 3)
    ]
    if problems:
        raise InvalidInput(problems)
    return int(typed["every_weeks"]), int(typed["count"])


def _errors(wrong: InvalidInput, language: str) -> list[PageError]:
    return [_error(p.field, p.message, language) for p in wrong.problems]


def _plan_page(
    request: Request,
    user: Actor,
    booking_id: str,
    *,
    every_weeks: str,
    count: str,
    shown: SeriesPreview | None,
    errors: list[PageError] | None = None,
    status_code: int = 200,
) -> Response:
    page_errors = errors or []
    return render(
        request,
        "pages/series_plan.html",
        status_code=status_code,
        user=user,
        booking_id=booking_id,
        every_weeks=every_weeks,
        count=count,
        plan=series.suggestion(),
        shown=shown,
        say=say_in(request_language(request)),
        page_errors=page_errors,
        errors=grouped(page_errors),
    )


def _not_possible(request: Request, user: Actor, booking_id: str, message: str) -> Response:
    language = request_language(request)
    _ = translator(language)
    return render(
        request,
        "pages/message.html",
        status_code=409,
        user=user,
        title=_("This booking cannot start a series"),
        message=sentence(message, language),
        link=(f"/bookings/{booking_id}", _("Back to the booking")),
    )


@router.get("/bookings/{booking_id}/series", response_class=HTMLResponse)
def series_page(request: Request, booking_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """The booking's series, or the plan for one with its preview (the plan's suggestion)."""
    if user is None:
        return to_login()
    found = series.series_of(db, actor=user, booking_id=booking_id)
    if found is not None:
        return _series_view(request, user, db, booking_id, found.id)
    plan = series.suggestion()
    try:
        shown = series.preview(
            db, actor=user, booking_id=booking_id, every_weeks=plan.every_weeks, count=plan.sessions
        )
    except Conflict as refused:
        return _not_possible(request, user, booking_id, str(refused))
    return _plan_page(
        request,
        user,
        booking_id,
        every_weeks=str(plan.every_weeks),
        count=str(plan.sessions),
        shown=shown,
    )


def _series_view(
    request: Request, user: Actor, db: Session, booking_id: str, series_id: str
) -> Response:
    shown = series.view(db, actor=user, series_id=series_id)
    return render(
        request,
        "pages/series_view.html",
        user=user,
        booking_id=booking_id,
        series=shown,
        say=say_in(request_language(request)),
        made="made" in request.query_params,
        cancelled="cancelled" in request.query_params,
        confirmed="confirmed" in request.query_params,
    )


@router.post("/bookings/{booking_id}/series", response_class=HTMLResponse)
async def plan_series(request: Request, booking_id: str) -> Response:
    """Preview the series (``action=preview``) or make it with the ticked sessions."""
    form = await request.form()
    every_text, count_text = str(form.get("every_weeks") or ""), str(form.get("count") or "")

    def work(db: Session, user: Actor) -> Response:
        language = request_language(request)
        page = partial(
            _plan_page, request, user, booking_id, every_weeks=every_text, count=count_text
        )
        try:
            every_weeks, count = _numbers(every_text, count_text)
            shown = series.preview(
                db, actor=user, booking_id=booking_id, every_weeks=every_weeks, count=count
            )
        except InvalidInput as wrong:
            booking_parties.party_booking(db, actor=user, booking_id=booking_id)  # 404 first
            return page(shown=None, errors=_errors(wrong, language), status_code=422)
        except Conflict as refused:
            return _not_possible(request, user, booking_id, str(refused))
        if form.get("action") != "create":
            return page(shown=shown)
        ticked = {str(n) for n in form.getlist("sessions")}
        leave_out = [o.number for o in shown.occurrences[1:] if str(o.number) not in ticked]
        try:
            series.create(
                db,
                actor=user,
                booking_id=booking_id,
                every_weeks=every_weeks,
                count=count,
                leave_out=leave_out,
            )
        except InvalidInput as wrong:
            db.rollback()
            shown = series.preview(
                db, actor=user, booking_id=booking_id, every_weeks=every_weeks, count=count
            )
            return page(shown=shown, errors=_errors(wrong, language), status_code=422)
        return RedirectResponse(f"/bookings/{booking_id}/series?made=1", status_code=303)

    return await signed_in_page(request, work)


@router.post("/bookings/{booking_id}/series/cancel")
def cancel_rest(booking_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """Cancel every session of the booking's series still to come."""
    if user is None:
        return to_login()
    found = series.series_of(db, actor=user, booking_id=booking_id)
    if found is None:
        return RedirectResponse(f"/bookings/{booking_id}/series", status_code=303)
    series_changes.cancel_rest(db, actor=user, series_id=found.id)
    return RedirectResponse(f"/bookings/{booking_id}/series?cancelled=1", status_code=303)


@router.post("/bookings/{booking_id}/series/confirm")
def confirm_all(booking_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """The therapist confirms every requested session of the booking's series."""
    if user is None:
        return to_login()
    therapist_only(user)
    found = series.series_of(db, actor=user, booking_id=booking_id)
    if found is None:
        return RedirectResponse(f"/bookings/{booking_id}/series", status_code=303)
    series_changes.confirm_requested(db, actor=user, series_id=found.id)
    return RedirectResponse(f"/bookings/{booking_id}/series?confirmed=1", status_code=303)
