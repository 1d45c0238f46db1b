"""Booking a session with a therapist, without JavaScript: choose a length and a day, then one
of the free times (shown in the viewer's zone, the zone named), and book it. A time taken a
moment ago answers with a clear message and fresh times, never an error page.

Also the slot picker the booking page reuses to move a booking, and the ``slot_when`` filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import pass_context
from sqlalchemy.orm import Session

from sciatica_care.db.tables import BookingSettings, utcnow
from sciatica_care.domain.booking import Slot
from sciatica_care.domain.time_zones import local_time
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.services import booking
from sciatica_care.services.access import consent_of
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.pages.sharing import client_only
from sciatica_care.web.pages.therapist import grouped, render
from sciatica_care.web.pages.tracking import to_login
from sciatica_care.web.pages.wizard_form import PageError
from sciatica_care.web.templating import templates, viewer_zone

router = APIRouter()

#: The name of each booking form field, as the error messages say it.
FIELD_NAMES: dict[str, str] = {
    "length_minutes": "Session length",
    "day": "Day",
    "starts_at": "Time",
    "confirm_late": "Cancellation policy",
    "sequence": "Booking",
    "status": "Outcome",
    "scopes": "What to share",
}
#: How many days ahead the "days with free times" links look.
DAYS_AHEAD = 14


def slot_when(value: datetime | None, zone_name: str, *, year_of: datetime | None = None) -> str:
    """A time as "Tue 3 Jun, 09:00 (Europe/London)" in ``zone_name`` (with the year when it is
    not the year of ``year_of``, now by default)."""
    if value is None:
        return ""
    local = local_time(value, zone_named(zone_name))
    this_year = (year_of or utcnow()).year
    year = "" if local.year == this_year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M} ({zone_name})"


@pass_context
def slot_when_filter(context: Any, value: datetime | None) -> str:
    return slot_when(value, viewer_zone(context))


@pass_context
def slot_clock_filter(context: Any, value: datetime) -> str:
    """Just the clock time ("09:30") in the viewer's zone (the day and zone are said once)."""
    return f"{local_time(value, zone_named(viewer_zone(context))):%H:%M}"


templates.env.filters["slot_when"] = slot_when_filter
templates.env.filters["slot_clock"] = slot_clock_filter


def page_error(field: str, message: str) -> PageError:
    """An error shown next to the booking form field ``field``."""
    return PageError(field, f"field-{field}", FIELD_NAMES.get(field, "Booking"), message)


def problems_of(exc: InvalidInput) -> list[PageError]:
    return [page_error(p.field, p.message) for p in exc.problems]


@dataclass(frozen=True, slots=True)
class SlotPicker:
    """Free times of one length on one of the viewer's days, and the days that have some."""

    length: int
    day: date
    slots: list[Slot]
    days: list[date]
    zone_name: str

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=1)


def _local_date(moment: datetime, where: tzinfo) -> date:
    return local_time(moment, where).date()


def pick_slots(
    db: Session,
    *,
    actor: Actor,
    therapist_id: str,
    length: int,
    day: date | None,
    now: datetime | None = None,
) -> SlotPicker:
    """The free times of ``length`` minutes on ``day`` in the viewer's zone (the first day with
    free times when None), and the next days that have free times."""
    now = now or utcnow()
    where = zone_named(actor.time_zone)
    today = _local_date(now, where)
    ahead = booking.open_slots(
        db,
        clinic_id=actor.clinic_id,
        therapist_id=therapist_id,
        length=length,
        first=today - timedelta(days=1),
        last=today + timedelta(days=DAYS_AHEAD + 1),
        now=now,
    )
    days = sorted({_local_date(s.starts, where) for s in ahead})
    chosen = day or (days[0] if days else today)
    around = booking.open_slots(
        db,
        clinic_id=actor.clinic_id,
        therapist_id=therapist_id,
        length=length,
        first=chosen - timedelta(days=1),
        last=chosen + timedelta(days=1),
        now=now,
    )
    slots = [s for s in around if _local_date(s.starts, where) == chosen]
    return SlotPicker(length, chosen, slots, days[:10], actor.time_zone)


def parse_day(raw: str) -> date | None:
    """The day of a ``day`` field; None when empty; InvalidInput naming ``day`` when wrong."""
    if not raw.strip():
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        day = None
    if day is None or not booking.EARLIEST <= day.year <= booking.LATEST:
        raise InvalidInput([FieldProblem("day", "give a date such as 2026-06-03")])
    return day


def parse_length(raw: str, offered: list[int]) -> int:
    """The chosen session length (the shortest offered when none was chosen)."""
    if not raw.strip():
        return min(offered)
    if not raw.strip().isdigit() or int(raw) not in offered:
        lengths = ", ".join(str(n) for n in offered)
        raise InvalidInput([FieldProblem("length_minutes", f"choose one of {lengths} minutes")])
    return int(raw)


def parse_start(raw: str) -> datetime:
    """The chosen time (an ISO time with its offset, as the slot buttons send it)."""
    try:
        moment = datetime.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput([FieldProblem("starts_at", "choose one of the free times")])
    return booking.aware(moment, "starts_at")


def slot_value(slot: Slot) -> str:
    """A slot's start as the form sends it back."""
    return slot.starts.astimezone(UTC).isoformat()


templates.env.filters["slot_value"] = slot_value


def _book_page(
    request: Request,
    db: Session,
    me: Actor,
    therapist_id: str,
    *,
    length_raw: str,
    day_raw: str,
    errors: list[PageError] | None = None,
    chosen: str = "",
    status_code: int = 200,
) -> Response:
    therapist = booking.bookable_therapist(db, clinic_id=me.clinic_id, therapist_id=therapist_id)
    try:
        rules = booking.settings_of(db, clinic_id=me.clinic_id, therapist_id=therapist_id)
    except Conflict as exc:
        return _no_booking(request, me, str(exc))
    offered = sorted(rules.session_lengths)
    errors = list(errors or [])
    length, day = min(offered), None
    try:
        length = parse_length(length_raw, offered)
        day = parse_day(day_raw)
    except InvalidInput as exc:
        errors += problems_of(exc)
        status_code = 422
    picker = pick_slots(db, actor=me, therapist_id=therapist_id, length=length, day=day)
    return render(
        request,
        "pages/book.html",
        status_code=status_code,
        user=me,
        nav="bookings",
        therapist_id=therapist_id,
        therapist_name=booking.name_of(therapist),
        rules=rules,
        how=_how_it_goes(db, me, therapist_id, rules),
        offered=offered,
        picker=picker,
        chosen=chosen,
        page_errors=errors,
        errors=grouped(errors),
    )


def _how_it_goes(db: Session, me: Actor, therapist_id: str, rules: BookingSettings) -> str:
    """ "book" when the client's booking is confirmed at once, else "request"."""
    share = consent_of(db, clinic_id=me.clinic_id, client_id=me.user_id, therapist_id=therapist_id)
    known = share is not None and share.revoked_at is None
    return "book" if known or rules.new_clients == "book" else "request"


def _no_booking(request: Request, me: Actor, message: str) -> Response:
    return render(
        request,
        "pages/message.html",
        status_code=409,
        user=me,
        title="Booking is not possible here",
        message=f"Sorry: {message}.",
        link=("/dashboard", "Back to your dashboard"),
    )


@router.get("/therapists/{therapist_id}/book", response_class=HTMLResponse)
def book_form(request: Request, therapist_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """Choose a length, a day and a free time."""
    if user is None:
        return to_login()
    me = client_only(user)
    query = request.query_params
    # A profile's "Book" link carries the time it showed (``starts``) and its ``length``.
    day_raw, chosen, errors = query.get("day", ""), "", []
    if query.get("starts"):
        try:
            starts = parse_start(query["starts"].replace("Z", "+00:00"))
            day_raw = _local_date(starts, zone_named(me.time_zone)).isoformat()
            chosen = starts.astimezone(UTC).isoformat()
        except InvalidInput as exc:
            errors = problems_of(exc)
    return _book_page(
        request,
        db,
        me,
        therapist_id,
        length_raw=query.get("length_minutes") or query.get("length", ""),
        day_raw=day_raw,
        errors=errors,
        chosen=chosen,
        status_code=422 if errors else 200,
    )


@router.post("/therapists/{therapist_id}/book", response_class=HTMLResponse)
async def book(request: Request, therapist_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """Book the chosen time; on a problem, the form again with the problem and fresh times."""
    if user is None:
        return to_login()
    me = client_only(user)
    form = await request.form()
    length_raw = str(form.get("length_minutes") or "")
    day_raw = str(form.get("day") or "")
    start_raw = str(form.get("starts_at") or "")
    try:
        length = int(length_raw) if length_raw.isdigit() else 0
        made = booking.book(
            db,
            actor=me,
            therapist_id=therapist_id,
            starts_at=parse_start(start_raw),
            length=length,
        )
    except InvalidInput as exc:
        db.rollback()
        return _book_page(
            request,
            db,
            me,
            therapist_id,
            length_raw=length_raw,
            day_raw=day_raw,
            errors=problems_of(exc),
            status_code=422,
        )
    except Conflict as exc:
        db.rollback()
        return _no_booking(request, me, str(exc))
    return RedirectResponse(f"/bookings/{made.id}?done=booked", status_code=303)
