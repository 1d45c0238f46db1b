"""Calendars: the page to make, rotate or stop one's private feed address, the feed itself
(fetched by calendar apps without cookies: the token is the credential), and one booking as an
.ics file (signed in, its client or therapist only).

Feed answers are private (``Cache-Control: private``: no shared cache keeps them) and carry an
ETag and Last-Modified, so a polling calendar app gets a 304 when nothing changed.
"""

from __future__ import annotations

from email.utils import format_datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sciatica_care.services import calendar_feeds
from sciatica_care.services.actors import Actor
from sciatica_care.services.calendar_feeds import NewFeed
from sciatica_care.web.auth import CurrentUser, UnitOfWork, settings_of
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.therapist import render
from sciatica_care.web.pages.tracking import to_login

router = APIRouter()

CALENDAR_TYPE = "text/calendar; charset=utf-8"
FEED_CACHE = "private, max-age=0, must-revalidate"


def _calendar_page(
    request: Request, user: Actor, db: UnitOfWork, *, new: NewFeed | None = None, stopped: int = 0
) -> Response:
    feeds = calendar_feeds.active_feeds(db, actor=user)
    db.commit()
    return render(
        request,
        "pages/calendar.html",
        user=user,
        nav="sessions" if user.role == "client" else "clients",
        feeds=feeds,
        new=new,
        stopped=stopped,
    )


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Your private calendar address: whether you have one, and buttons to make or stop it."""
    if user is None:
        return to_login()
    return _calendar_page(request, user, db)


@router.post("/calendar", response_class=HTMLResponse)
def make_feed(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """A new address (the old one stops); the page shows it this once."""
    if user is None:
        return to_login()
    new = calendar_feeds.make_feed(db, actor=user, settings=settings_of(request))
    return _calendar_page(request, user, db, new=new)


@router.post("/calendar/revoke", response_class=HTMLResponse)
def revoke_feeds(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Stop the address: calendar apps subscribed to it get nothing more."""
    if user is None:
        return to_login()
    stopped = calendar_feeds.revoke_feeds(db, actor=user)
    return _calendar_page(request, user, db, stopped=max(stopped, 1))


@router.get("/calendar/{token}.ics")
def feed(request: Request, token: str, db: UnitOfWork) -> Response:
    """The private feed behind ``token`` (404 when it is unknown or was revoked)."""
    found = calendar_feeds.feed_for_token(
        db, token=token, if_none_match=request.headers.get("if-none-match")
    )
    headers = {"Cache-Control": FEED_CACHE, "ETag": found.etag}
    if found.last_modified is not None:
        headers["Last-Modified"] = format_datetime(found.last_modified, usegmt=True)
    if found.body is None:
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = 'inline; filename="sessions.ics"'
    return Response(found.body, media_type=CALENDAR_TYPE, headers=headers)


@router.get("/bookings/{booking_id}.ics")
def booking_file(request: Request, booking_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """One booking as an .ics file to add to a calendar."""
    if user is None:
        return to_login()
    body = calendar_feeds.booking_ics(
        db, actor=user, booking_id=booking_id, language=request_language(request)
    )
    return Response(
        body,
        media_type=CALENDAR_TYPE,
        headers={
            "Content-Disposition": 'attachment; filename="massage-appointment.ics"',
            "Cache-Control": "private, no-store",
        },
    )
