"""Bookings as calendar events: which bookings a calendar shows, in whose words, and how a
series maps onto one recurring event.

Calendar entries carry no health data: the summary names the session and the other person
only ("Massage appointment with Alex" for the client, "Massage: Sam K." for the therapist), the
location is the therapist's city. No URL: the app's address may name the condition. They are
worded in the calendar owner's language (their account's choice, else English).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care import i18n
from sciatica_care.db.tables import Booking, BookingSeries, TherapistProfile, User
from sciatica_care.domain.booking import series_starts
from sciatica_care.domain.time_zones import zone
from sciatica_care.i18n import N_
from sciatica_care.reports import ics

#: Booking statuses a calendar shows, and as what. Cancelled, late-cancelled and declined
#: bookings are left out (see reports/ics.py); a lapsed hold is left out too.
SHOWN: dict[str, ics.Status] = {
    "confirmed": "CONFIRMED",
    "completed": "CONFIRMED",
    "no_show": "CONFIRMED",
    "requested": "TENTATIVE",
    "proposed": "TENTATIVE",
    "held": "TENTATIVE",
}
#: How far back a feed goes (past sessions stay in the calendar for a while).
FEED_PAST = timedelta(days=90)

#: The words of calendar entries, translated into the owner's language where used.
WORDS = {
    "client_summary": N_("Massage appointment with %(name)s"),
    "client_summary_unnamed": N_("Massage appointment"),
    "therapist_summary": N_("Massage: %(name)s"),
    "therapist_summary_unnamed": N_("Massage: a client"),
    "client_calendar": N_("Massage appointments"),
    "therapist_calendar": N_("Massage sessions"),
}


def calendar_language(user: User | None) -> str:
    """The language of ``user``'s calendar entries: the account's choice, else English."""
    language = user.language if user is not None else None
    return language if language and i18n.is_language(language) else i18n.DEFAULT_LANGUAGE


def first_name(display_name: str) -> str:
    """The first word of a name ("Alex" of "Alex Morgan"); empty when there is none."""
    parts = display_name.split()
    return parts[0] if parts else ""


def short_name(display_name: str) -> str:
    """First name and initial ("Sam K." of "Sam Kerr"), or the first name alone."""
    parts = display_name.split()
    if len(parts) > 1:
        return f"{parts[0]} {parts[-1][0].upper()}."
    return parts[0] if parts else ""


def summary_for(
    viewer_role: str,
    *,
    therapist_name: str,
    client_name: str,
    language: str = i18n.DEFAULT_LANGUAGE,
) -> str:
    """The summary of an entry in the calendar of a client or of a therapist, in
    ``language``."""
    _ = i18n.translator(language)
    if viewer_role == "therapist":
        name = short_name(client_name)
        if name:
            return _(WORDS["therapist_summary"]) % {"name": name}
        return _(WORDS["therapist_summary_unnamed"])
    name = first_name(therapist_name)
    if name:
        return _(WORDS["client_summary"]) % {"name": name}
    return _(WORDS["client_summary_unnamed"])


def calendar_name(viewer_role: str, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    _ = i18n.translator(language)
    return _(WORDS["therapist_calendar" if viewer_role == "therapist" else "client_calendar"])


def is_shown(booking: Booking, now: datetime) -> bool:
    """Whether a calendar shows this booking now."""
    if booking.status not in SHOWN:
        return False
    return not (
        booking.status == "held"
        and booking.hold_expires_at is not None
        and booking.hold_expires_at <= now
    )


class Wording:
    """Names and cities of the people of some bookings (one query each), to word entries in
    ``language``."""

    def __init__(
        self, db: Session, bookings: Sequence[Booking], language: str = i18n.DEFAULT_LANGUAGE
    ) -> None:
        self.language = language
        ids = {b.therapist_id for b in bookings} | {b.client_id for b in bookings}
        clinic = bookings[0].clinic_id if bookings else ""
        names = db.execute(
            select(User.id, User.display_name).where(User.clinic_id == clinic, User.id.in_(ids))
        )
        self.names: dict[str, str] = {user_id: name for user_id, name in names}
        cities = db.execute(
            select(TherapistProfile.user_id, TherapistProfile.city).where(
                TherapistProfile.clinic_id == clinic, TherapistProfile.user_id.in_(ids)
            )
        )
        self.cities: dict[str, str] = {user_id: city for user_id, city in cities}

    def occurrence(
        self, booking: Booking, viewer_role: str, *, status: ics.Status | None = None
    ) -> ics.Occurrence:
        return ics.Occurrence(
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            status=status or SHOWN.get(booking.status, "CANCELLED"),
            sequence=booking.sequence,
            stamp=booking.updated_at,
            summary=summary_for(
                viewer_role,
                therapist_name=self.names.get(booking.therapist_id, ""),
                client_name=self.names.get(booking.client_id, ""),
                language=self.language,
            ),
            location=self.cities.get(booking.therapist_id, ""),
        )


def _occurrences(series: BookingSeries) -> list[datetime]:
    return series_starts(
        series.first_starts_at,
        zone=zone(series.time_zone),
        every_weeks=series.every_weeks,
        count=series.count,
    )


def match_occurrences(
    expected: Sequence[datetime], bookings: Iterable[Booking]
) -> dict[datetime, Booking]:
    """Which booking is which occurrence of a series: a booking at an occurrence's time is that
    occurrence; the others (moved) take the remaining occurrences in time order."""
    remaining = sorted(bookings, key=lambda b: (b.starts_at, b.id))
    matched: dict[datetime, Booking] = {}
    for at in expected:
        exact = next((b for b in remaining if b.starts_at == at), None)
        if exact is not None:
            matched[at] = exact
            remaining.remove(exact)
    for at, booking in zip([a for a in expected if a not in matched], remaining, strict=False):
        matched[at] = booking
    return matched


def series_event(
    series: BookingSeries,
    bookings: Sequence[Booking],
    wording: Wording,
    viewer_role: str,
    *,
    now: datetime,
) -> ics.SeriesEvent | None:
    """The series as one recurring event, or None when none of it is shown any more."""
    expected = _occurrences(series)
    matched = match_occurrences(expected, bookings)
    shown = {at: b for at, b in matched.items() if is_shown(b, now)}
    if not shown:
        return None
    length = timedelta(minutes=series.length_minutes)
    sample = next(iter(shown.values()))
    base = wording.occurrence(sample, viewer_role, status="CONFIRMED")
    first = ics.Occurrence(
        starts_at=expected[0],
        ends_at=expected[0] + length,
        status="CONFIRMED",
        sequence=max(b.sequence for b in bookings),
        stamp=max(b.updated_at for b in bookings),
        summary=base.summary,
        location=base.location,
    )
    changed = [
        replace(wording.occurrence(b, viewer_role), recurrence_id=at)
        for at, b in shown.items()
        if b.starts_at != at or SHOWN[b.status] != "CONFIRMED" or b.sequence != 0
    ]
    return ics.SeriesEvent(
        uid=ics.uid("series", series.id),
        time_zone=series.time_zone,
        first=first,
        every_weeks=series.every_weeks,
        count=series.count,
        excluded=[at for at in expected if at not in shown],
        changed=sorted(changed, key=lambda o: o.starts_at),
    )


#: Bumped when what a feed says for the same bookings changes (a new field, new words).
FEED_FORMAT = 2


def feed_version(db: Session, *, user: User, now: datetime) -> tuple[str, datetime | None]:
    """A cheap version of ``user``'s feed (one aggregate query), and when it last changed: it
    changes with any booking added, changed or deleted, and each day (the feed's window
    moves), and with the owner's language. Names and cities are read when the body is built: a
    changed name shows by the next day at the latest."""
    side = Booking.therapist_id if user.role == "therapist" else Booking.client_id
    count, changed = db.execute(
        select(func.count(), func.max(Booking.updated_at)).where(
            Booking.clinic_id == user.clinic_id, side == user.id
        )
    ).one()
    stamp = changed.isoformat() if changed is not None else "-"
    language = calendar_language(user)
    key = f"{FEED_FORMAT}|{user.clinic_id}|{user.id}|{language}|{count}|{stamp}|{now.date()}"
    version = hashlib.sha256(key.encode()).hexdigest()[:32]
    return version, changed


def feed_document(db: Session, *, user: User, now: datetime) -> ics.CalendarDocument:
    """The feed of ``user``: a client's or a therapist's bookings, in their language."""
    language = calendar_language(user)
    side = Booking.therapist_id if user.role == "therapist" else Booking.client_id
    recent = db.scalars(
        select(Booking).where(
            Booking.clinic_id == user.clinic_id,
            side == user.id,
            Booking.starts_at >= now - FEED_PAST,
        )
    ).all()
    series_ids = {b.series_id for b in recent if b.series_id}
    in_series: dict[str, list[Booking]] = defaultdict(list)
    if series_ids:
        for booking in db.scalars(
            select(Booking).where(
                Booking.clinic_id == user.clinic_id, Booking.series_id.in_(series_ids)
            )
        ):
            in_series[booking.series_id or ""].append(booking)
    everything = [b for b in recent if not b.series_id] + [
        b for group in in_series.values() for b in group
    ]
    wording = Wording(db, everything, language)
    events: list[ics.SingleEvent | ics.SeriesEvent] = [
        ics.SingleEvent(ics.uid("booking", b.id), b.time_zone, wording.occurrence(b, user.role))
        for b in sorted(recent, key=lambda b: b.starts_at)
        if not b.series_id and is_shown(b, now)
    ]
    for series in db.scalars(
        select(BookingSeries).where(
            BookingSeries.clinic_id == user.clinic_id, BookingSeries.id.in_(series_ids)
        )
    ):
        event = series_event(series, in_series[series.id], wording, user.role, now=now)
        if event is not None:
            events.append(event)
    return ics.CalendarDocument(calendar_name(user.role, language), events)


def booking_document(
    db: Session, *, booking: Booking, viewer_role: str, language: str = i18n.DEFAULT_LANGUAGE
) -> ics.CalendarDocument:
    """One booking as a calendar of its own (cancelled ones say so), in ``language``."""
    wording = Wording(db, [booking], language)
    event = ics.SingleEvent(
        ics.uid("booking", booking.id), booking.time_zone, wording.occurrence(booking, viewer_role)
    )
    return ics.CalendarDocument(calendar_name(viewer_role, language), [event])
