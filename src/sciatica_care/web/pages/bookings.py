"""One booking, for its client and its therapist: the time in the viewer's zone, the status,
the actions allowed now (each a small form, working without JavaScript), the cancellation policy
inside the window, the offer to share (consent) for a client who has not shared, and for the
therapist the link to the client's brief once shared. Also the therapist's bookings: requests to
answer first, then sessions to record, then the diary by day.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, utcnow
from sciatica_care.domain.access import SCOPES
from sciatica_care.domain.time_zones import local_time
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import N_, translator
from sciatica_care.services import booking, booking_actions, series, sharing
from sciatica_care.services.actors import Actor
from sciatica_care.services.booking import BookingView
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput, NotFound
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.booking import (
    page_error,
    parse_day,
    parse_start,
    pick_slots,
    problems_of,
)
from sciatica_care.web.pages.refusals import RELOAD
from sciatica_care.web.pages.sharing import SCOPE_CHOICES, client_only
from sciatica_care.web.pages.therapist import grouped, render, therapist_only
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError

router = APIRouter()

#: How far back the therapist's list looks for sessions still to record.
RECORD_DAYS = 30


def _signed_in(user: Actor | None) -> Actor:
    if user is None or user.role not in {"client", "therapist"}:
        raise NotFound("page")
    return user


def _booking_page(
    request: Request,
    db: Session,
    me: Actor,
    booking_id: str,
    *,
    errors: list[PageError] | None = None,
    change: str = "",
    day_raw: str = "",
    status_code: int = 200,
) -> Response:
    view = booking.get(db, actor=me, booking_id=booking_id)
    errors = list(errors or [])
    picker = None
    if change in {"reschedule", "propose"} and change in view.actions:
        day = None
        try:
            day = parse_day(day_raw)
        except InvalidInput as exc:
            errors += problems_of(exc, request_language(request))
            status_code = 422
        picker = pick_slots(
            db, actor=me, therapist_id=view.therapist_id, length=view.length_minutes, day=day
        )
    row = db.get(Booking, (me.clinic_id, view.id))
    return render(
        request,
        "pages/booking.html",
        status_code=status_code,
        user=me,
        nav="bookings",
        b=view,
        change=change if picker else "",
        picker=picker,
        series_place=series.place_in_series(db, row) if row is not None else None,
        done=request.query_params.get("done", ""),
        page_errors=errors,
        errors=grouped(errors),
    )


@router.get("/bookings/{booking_id}", response_class=HTMLResponse)
def booking_page(request: Request, booking_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """One booking and what its viewer may do with it now."""
    if user is None:
        return to_login()
    query = request.query_params
    return _booking_page(
        request,
        db,
        _signed_in(user),
        booking_id,
        change=query.get("change", ""),
        day_raw=query.get("day", ""),
    )


def _sequence(raw: str) -> int | None:
    if not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise InvalidInput([FieldProblem("sequence", RELOAD)])
    return int(raw)


#: Each action's form as a call of its use-case: (db, actor, booking id, form, sequence).
Run = Callable[[Session, Actor, str, dict[str, str], int | None], BookingView]
ACTIONS: dict[str, Run] = {
    "confirm": lambda db, me, bid, _f, seq: booking_actions.confirm(
        db, actor=me, booking_id=bid, sequence=seq
    ),
    "decline": lambda db, me, bid, _f, seq: booking_actions.decline(
        db, actor=me, booking_id=bid, sequence=seq
    ),
    "accept": lambda db, me, bid, _f, seq: booking_actions.accept(
        db, actor=me, booking_id=bid, sequence=seq
    ),
    "propose": lambda db, me, bid, form, seq: booking_actions.propose(
        db,
        actor=me,
        booking_id=bid,
        starts_at=parse_start(form.get("starts_at", "")),
        sequence=seq,
    ),
    "reschedule": lambda db, me, bid, form, seq: booking_actions.reschedule(
        db,
        actor=me,
        booking_id=bid,
        starts_at=parse_start(form.get("starts_at", "")),
        sequence=seq,
    ),
    # Inside the window the client ticks that they read the policy.
    "cancel": lambda db, me, bid, form, seq: booking_actions.cancel(
        db, actor=me, booking_id=bid, confirm_late=form.get("confirm_late") == "yes", sequence=seq
    ),
    # The therapist records a late cancellation, a no-show or a completed session.
    "status": lambda db, me, bid, form, seq: booking_actions.record_status(
        db, actor=me, booking_id=bid, status=form.get("status", ""), sequence=seq
    ),
}


def _act(
    request: Request,
    db: Session,
    me: Actor,
    booking_id: str,
    action: str,
    form: dict[str, str],
) -> Response:
    """Run one action from its form; on a refusal, the booking page with the reason."""
    try:
        ACTIONS[action](db, me, booking_id, form, _sequence(form.get("sequence", "")))
    except InvalidInput as exc:
        db.rollback()
        change = action if action in {"reschedule", "propose"} else ""
        return _booking_page(
            request,
            db,
            me,
            booking_id,
            errors=problems_of(exc, request_language(request)),
            change=change,
            day_raw=form.get("day", ""),
            status_code=422,
        )
    except Conflict as exc:
        db.rollback()
        errors = [page_error("sequence", str(exc), request_language(request))]
        return _booking_page(request, db, me, booking_id, errors=errors, status_code=409)
    return RedirectResponse(f"/bookings/{booking_id}?done={action}", status_code=303)


def _action_route(action: str) -> Callable[..., Awaitable[Response]]:
    async def route(request: Request, booking_id: str) -> Response:
        # The form is read on the event loop; the action runs in one unit of work, off it.
        form = {k: str(v) for k, v in (await request.form()).items()}

        def work(db: Session, user: Actor) -> Response:
            return _act(request, db, _signed_in(user), booking_id, action, form)

        return await signed_in_page(request, work)

    route.__name__ = f"booking_{action}"
    route.__doc__ = f"The booking's {action} action, from its form."
    return route


for _action in ACTIONS:
    router.add_api_route(
        f"/bookings/{{booking_id}}/{_action}", _action_route(_action), methods=["POST"]
    )


def _consent_page(
    request: Request,
    db: Session,
    me: Actor,
    booking_id: str,
    *,
    chosen: list[str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    therapist = sharing.find_therapist(db, actor=me, booking_id=booking_id)
    _ = translator(request_language(request))
    errors = [PageError("scopes", "field-scopes", _("What to share"), _(error))] if error else []
    return render(
        request,
        "pages/sharing_confirm.html",
        status_code=status_code,
        user=me,
        nav="sharing",
        therapist=therapist,
        chosen=chosen or [],  # consent is given by ticking, never pre-ticked
        scope_choices=SCOPE_CHOICES,
        share_action=f"/bookings/{booking_id}/share",
        cancel_href=f"/bookings/{booking_id}",
        cancel_words=_("Not now"),
        page_errors=errors,
        errors=grouped(errors),
    )


@router.get("/bookings/{booking_id}/share", response_class=HTMLResponse)
def consent(request: Request, booking_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """The consent screen for the therapist of one of the client's bookings."""
    if user is None:
        return to_login()
    return _consent_page(request, db, client_only(user), booking_id)


@router.post("/bookings/{booking_id}/share", response_class=HTMLResponse)
async def share(request: Request, booking_id: str) -> Response:
    """Share the ticked parts of the record with the booking's therapist."""
    chosen = [str(s) for s in (await request.form()).getlist("scopes") if str(s) in SCOPES]

    def work(db: Session, user: Actor) -> Response:
        me = client_only(user)
        if not chosen:
            message = N_("tick at least one part of your record to share, or choose Not now")
            return _consent_page(request, db, me, booking_id, error=message, status_code=422)
        sharing.share(db, actor=me, scopes=chosen, booking_id=booking_id)
        return RedirectResponse(f"/bookings/{booking_id}?done=shared", status_code=303)

    return await signed_in_page(request, work)


def _by_day(views: list[BookingView], zone_name: str) -> list[tuple[date, list[BookingView]]]:
    where = zone_named(zone_name)

    def day_of(view: BookingView) -> date:
        return local_time(view.starts_at, where).date()

    return [(day, list(items)) for day, items in groupby(views, key=day_of)]


def therapist_lists(views: list[BookingView], *, now: datetime, zone_name: str) -> dict[str, Any]:
    """The therapist's bookings as the list page shows them."""
    answer = [v for v in views if v.status == "requested"]
    waiting = [v for v in views if v.status == "proposed"]
    to_record = [
        v
        for v in views
        if (v.status == "confirmed" and v.starts_at < now)
        or (v.cancelled_late and "late_cancelled" in v.actions)
    ]
    coming = [v for v in views if v.status in {"confirmed", "held"} and v.ends_at >= now]
    return {
        "answer": answer,
        "waiting": waiting,
        "to_record": to_record,
        "diary": _by_day(coming, zone_name),
    }


@router.get("/therapist/bookings", response_class=HTMLResponse)
def therapist_bookings(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Requests to answer first, then sessions to record, then the diary by day."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    now = utcnow()
    views = booking.my_bookings(db, actor=me, since=now - timedelta(days=RECORD_DAYS), now=now)
    return render(
        request,
        "pages/therapist_bookings.html",
        user=me,
        nav="bookings",
        **therapist_lists(views, now=now, zone_name=me.time_zone),
    )
