"""The waitlist pages: join or leave a therapist's waitlist, and the offer page an offer's email
links to (accept or decline the held time). Clients only: anyone else gets a 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.i18n import N_, translator
from sciatica_care.services import waitlist
from sciatica_care.services.access import is_record_id
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import Conflict, InvalidInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.booking import say_in
from sciatica_care.web.pages.refusals import refusal_words
from sciatica_care.web.pages.sharing import client_only
from sciatica_care.web.pages.therapist import grouped, render
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError

router = APIRouter()

FIELDS: dict[str, tuple[str, str]] = {
    "length_minutes": ("field-length_minutes", N_("Session length")),
    "booking_id": ("field-booking_id", N_("Which times")),
}


def _join_page(
    request: Request,
    user: Actor,
    db: Session,
    therapist_id: str,
    *,
    chosen: dict[str, str] | None = None,
    errors: list[PageError] | None = None,
    status_code: int = 200,
) -> Response:
    options = waitlist.join_options(db, actor=user, therapist_id=therapist_id)
    page_errors = errors or []
    return render(
        request,
        "pages/waitlist_join.html",
        status_code=status_code,
        user=user,
        options=options,
        entry=waitlist.mine_with(db, actor=user, therapist_id=therapist_id),
        chosen=chosen or {},
        say=say_in(request_language(request)),
        joined="joined" in request.query_params,
        left="left" in request.query_params,
        page_errors=page_errors,
        errors=grouped(page_errors),
    )


@router.get("/therapists/{therapist_id}/waitlist", response_class=HTMLResponse)
def waitlist_page(
    request: Request, therapist_id: str, user: CurrentUser, db: UnitOfWork
) -> Response:
    """My place on this therapist's waitlist, or the form to join it."""
    if user is None:
        return to_login()
    return _join_page(request, client_only(user), db, therapist_id)


@router.post("/therapists/{therapist_id}/waitlist", response_class=HTMLResponse)
async def join(request: Request, therapist_id: str) -> Response:
    """Join the waitlist for any earlier time, or for a time earlier than one of my bookings."""
    form = await request.form()
    chosen = {name: str(form.get(name) or "").strip() for name in FIELDS}
    length = chosen["length_minutes"]

    def work(db: Session, user: Actor) -> Response:
        me = client_only(user)
        try:
            waitlist.join(
                db,
                actor=me,
                therapist_id=therapist_id,
                length_minutes=int(length) if length.isdigit() and len(length) < 5 else 0,
                booking_id=chosen["booking_id"] or None,
            )
        except InvalidInput as wrong:
            language = request_language(request)
            _ = translator(language)
            errors = [
                PageError(
                    p.field,
                    FIELDS[p.field][0],
                    _(FIELDS[p.field][1]),
                    refusal_words(p.message, language),
                )
                for p in wrong.problems
            ]
            return _join_page(
                request, me, db, therapist_id, chosen=chosen, errors=errors, status_code=422
            )
        except Conflict:
            pass  # already on the list: the page shows the place they hold
        return RedirectResponse(f"/therapists/{therapist_id}/waitlist?joined=1", status_code=303)

    return await signed_in_page(request, work)


@router.post("/waitlist/{waitlist_id}/leave")
def leave(waitlist_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """Leave the waitlist (an offer waiting is given back to the next person)."""
    if user is None:
        return to_login()
    me = client_only(user)
    therapist_id = waitlist.entry(db, actor=me, entry_id=waitlist_id).therapist_id
    waitlist.leave(db, actor=me, entry_id=waitlist_id)
    return RedirectResponse(f"/therapists/{therapist_id}/waitlist?left=1", status_code=303)


@router.get("/waitlist/{waitlist_id}", response_class=HTMLResponse)
def offer_page(request: Request, waitlist_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """The offer: the held time, until when it is held, accept or decline."""
    if user is None:
        return to_login()
    me = client_only(user)
    return render(
        request,
        "pages/waitlist_offer.html",
        user=me,
        entry=waitlist.entry(db, actor=me, entry_id=waitlist_id),
        say=say_in(request_language(request)),
        outcome=request.query_params.get("outcome", ""),
        booking_id=booking
        if is_record_id(booking := request.query_params.get("booking", ""))
        else "",
    )


@router.post("/waitlist/{waitlist_id}/accept")
def accept(waitlist_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """Take the offered time."""
    if user is None:
        return to_login()
    try:
        booking_id = waitlist.accept(db, actor=client_only(user), entry_id=waitlist_id)
    except Conflict:
        return RedirectResponse(f"/waitlist/{waitlist_id}?outcome=gone", status_code=303)
    return RedirectResponse(
        f"/waitlist/{waitlist_id}?outcome=accepted&booking={booking_id}", status_code=303
    )


@router.post("/waitlist/{waitlist_id}/decline")
def decline(waitlist_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """Turn the offered time down (keeping one's place for a later offer)."""
    if user is None:
        return to_login()
    try:
        waitlist.decline(db, actor=client_only(user), entry_id=waitlist_id)
    except Conflict:
        return RedirectResponse(f"/waitlist/{waitlist_id}?outcome=gone", status_code=303)
    return RedirectResponse(f"/waitlist/{waitlist_id}?outcome=declined", status_code=303)
