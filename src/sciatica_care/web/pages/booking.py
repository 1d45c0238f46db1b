"""Booking a session with a therapist, without JavaScript: choose a length and a day, then one
of the free times (shown in the viewer's zone, the zone named), and book it. A time taken a
moment ago answers with a clear message and fresh times, never an error page.

Also the slot picker the booking page reuses to move a booking, and the ``slot_when`` filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy.orm import Session

from sciatica_care import i18n
from sciatica_care.db.tables import BookingSettings, utcnow
from sciatica_care.domain.booking import Slot
from sciatica_care.domain.time_zones import local_time
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import N_, translator
from sciatica_care.services import booking
from sciatica_care.services.access import consent_of
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import page_language, request_language
from sciatica_care.web.pages.refusals import (
    CHOOSE_A_TIME,
    CHOOSE_LENGTH,
    GIVE_A_DAY,
    refusal_words,
)
from sciatica_care.web.pages.sharing import client_only
from sciatica_care.web.pages.slot_words import day_words, when_words
from sciatica_care.web.pages.therapist import grouped, render
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError
from sciatica_care.web.templating import templates, viewer_zone

router = APIRouter()

#: The name of each booking form field, as the error messages say it.
FIELD_NAMES: dict[str, str] = {
    "length_minutes": N_("Session length"),
    "day": N_("Day"),
    "starts_at": N_("Time"),
    "confirm_late": N_("Cancellation policy"),
    "sequence": N_("Booking"),
    "status": N_("Outcome"),
    "scopes": N_("What to share"),
}
#: How many days ahead the "days with free times" links look.
DAYS_AHEAD = 14


def kept(text: object, language: str = "") -> Markup:
    """Text that is not translated (a name, a place, what a person wrote), marked so on a page
    in another language than English (an English page shows it as it always has)."""
    if language == i18n.DEFAULT_LANGUAGE:
        return Markup("{}").format(text)
    return Markup('<span translate="no">{}</span>').format(text)


def zone_words(zone_name: str, language: str = "") -> Markup:
    """A time zone's IANA name, marked as not to be translated ("Europe/London")."""
    return kept(zone_name, language)


@pass_context
def kept_in_page(context: Any, text: object) -> Markup:
    """``kept(text)`` for a template: marked as not to be translated on a Korean page."""
    return kept(text, page_language(context))


def slot_when(
    value: datetime | None,
    zone_name: str,
    *,
    year_of: datetime | None = None,
    language: str = i18n.DEFAULT_LANGUAGE,
    always_year: bool = False,
) -> Markup:
    """A time as "Tue 3 Jun, 09:00 (Europe/London)" in ``zone_name`` (with the year when it is
    not the year of ``year_of``, now by default, or ``always_year``), in ``language``; the
    zone's name is marked as not to be translated."""
    if value is None:
        return Markup("")
    local = local_time(value, zone_named(zone_name))
    year = always_year or local.year != (year_of or utcnow()).year
    zone_said = zone_words(f"({zone_name})", language)
    return Markup("{} {}").format(when_words(local, language, year=year), zone_said)


def say_in(language: str) -> Callable[..., Markup]:
    """A time with its year in a named zone, in ``language`` (the ``say`` of the series and
    waitlist pages): "Tue 3 Jun 2026, 09:00 (Europe/London)"; without the zone's name when
    not ``named`` (in a list box, where a name cannot be marked as not to be translated)."""

    def say(at: datetime, zone_name: str, named: bool = True) -> Markup:
        if not named:
            local = local_time(at, zone_named(zone_name))
            return Markup("{}").format(when_words(local, language, year=True))
        return slot_when(at, zone_name, language=language, always_year=True)

    return say


@pass_context
def slot_when_filter(context: Any, value: datetime | None) -> Markup:
    return slot_when(value, viewer_zone(context), language=page_language(context))


@pass_context
def session_when_filter(context: Any, value: datetime, zone_name: str = "") -> Markup:
    """A session's time with its year, in ``zone_name`` (the viewer's zone unless told), the
    zone named: "Tue 3 Jun 2026, 09:00 (Europe/London)"."""
    zone_name = zone_name or viewer_zone(context)
    return slot_when(value, zone_name, language=page_language(context), always_year=True)


@pass_context
def slot_day_filter(context: Any, value: date, long: bool = False) -> str:
    """A day of the slot picker in the page's language ("Tue 3 Jun"; "Tuesday 3 June")."""
    return day_words(value, page_language(context), long=long)


@pass_context
def local_when_filter(context: Any, value: datetime) -> str:
    """A moment in the viewer's zone, as the page's language writes it."""
    return i18n.format_when(value, page_language(context), zone_named(viewer_zone(context)))


@pass_context
def slot_clock_filter(context: Any, value: datetime) -> str:
    """Just the clock time ("09:30") in the viewer's zone (the day and zone are said once)."""
    return f"{local_time(value, zone_named(viewer_zone(context))):%H:%M}"


templates.env.filters["slot_when"] = slot_when_filter
templates.env.filters["session_when"] = session_when_filter
templates.env.filters["slot_day"] = slot_day_filter
templates.env.filters["local_when"] = local_when_filter
templates.env.filters["slot_clock"] = slot_clock_filter
templates.env.globals["zone_words"] = kept_in_page
templates.env.globals["kept"] = kept_in_page


def page_error(field: str, message: str, language: str = i18n.DEFAULT_LANGUAGE) -> PageError:
    """An error shown next to the booking form field ``field``, in ``language``."""
    _ = translator(language)
    name = _(FIELD_NAMES.get(field, N_("Booking")))
    return PageError(field, f"field-{field}", name, refusal_words(message, language))


def problems_of(exc: InvalidInput, language: str = i18n.DEFAULT_LANGUAGE) -> list[PageError]:
    return [page_error(p.field, p.message, language) for p in exc.problems]


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
        raise InvalidInput([FieldProblem("day", GIVE_A_DAY)])
    return day


def parse_length(raw: str, offered: list[int]) -> int:
    """The chosen session length (the shortest offered when none was chosen)."""
    if not raw.strip():
        return min(offered)
    if not raw.strip().isdigit() or int(raw) not in offered:
        lengths = ", ".join(str(n) for n in offered)
        raise InvalidInput([FieldProblem("length_minutes", CHOOSE_LENGTH.format(lengths=lengths))])
    return int(raw)


def parse_start(raw: str) -> datetime:
    """The chosen time (an ISO time with its offset, as the slot buttons send it)."""
    try:
        moment = datetime.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput([FieldProblem("starts_at", CHOOSE_A_TIME)])
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
        errors += problems_of(exc, request_language(request))
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
    language = request_language(request)
    _ = translator(language)
    return render(
        request,
        "pages/message.html",
        status_code=409,
        user=me,
        title=_("Booking is not possible here"),
        message=_("Sorry: %(reason)s.") % {"reason": refusal_words(message, language)},
        link=("/dashboard", _("Back to your dashboard")),
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
            errors = problems_of(exc, request_language(request))
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
async def book(request: Request, therapist_id: str) -> Response:
    """Book the chosen time; on a problem, the form again with the problem and fresh times."""
    form = await request.form()
    length_raw = str(form.get("length_minutes") or "")
    day_raw = str(form.get("day") or "")
    start_raw = str(form.get("starts_at") or "")

    def work(db: Session, user: Actor) -> Response:
        me = client_only(user)
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
                errors=problems_of(exc, request_language(request)),
                status_code=422,
            )
        except Conflict as exc:
            db.rollback()
            return _no_booking(request, me, str(exc))
        return RedirectResponse(f"/bookings/{made.id}?done=booked", status_code=303)

    return await signed_in_page(request, work)
