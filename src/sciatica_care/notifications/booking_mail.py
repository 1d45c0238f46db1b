"""Booking emails: one for each booking event (to the client and to the therapist), the client's
reminder and the therapist's daily agenda.

Each is queued in the caller's unit of work (the outbox), so it goes only if the change commits.
Each is written in the RECIPIENT's language (their account's choice, else English), times in
the recipient's zone with the zone named; people are named by first name only; the words live
in ``templates/booking_words.txt``. Nothing about the person's health is ever put in:
no condition, assessment, pain or note (tests/notifications/test_booking_mail.py checks).
Links are written with :data:`~sciatica_care.notifications.outbox.PUBLIC_BASE_URL`, replaced by
the configured public address when the email is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care import i18n
from sciatica_care.db.tables import Booking, User, WaitlistEntry
from sciatica_care.domain.time_zones import local_time, zone
from sciatica_care.i18n import N_
from sciatica_care.notifications.outbox import PUBLIC_BASE_URL, enqueue
from sciatica_care.notifications.render import language_of

Role = Literal["client", "therapist"]

#: Who is named when an account has no display name (translated for the recipient).
NO_NAME: dict[Role, str] = {"client": N_("your client"), "therapist": N_("your therapist")}
#: Zones named by a word rather than a place.
UNIVERSAL_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal"})
#: Events only the client hears of (a waitlist offer is not in the therapist's diary yet).
CLIENT_ONLY = frozenset({"offered", "reminder"})


@dataclass(frozen=True, slots=True)
class BookingMail:
    """What booking_event.txt/.html are filled in with (for one recipient)."""

    event: str
    role: Role
    name: str
    other: str
    when: str
    link: str
    settings_link: str
    previous_when: str = ""
    proposed_when: str = ""
    hold_until: str = ""
    by_you: bool = False


def first_name(user: User | None) -> str:
    """The first word of the account's display name ("" when it has none)."""
    if user is None:
        return ""
    words = user.display_name.split()
    return words[0] if words else ""


def zone_text(zone_name: str, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The zone as a reader of ``language`` knows it: its IANA name in English
    ("Europe/London"), the place in words otherwise ("영국 시간")."""
    if language == i18n.DEFAULT_LANGUAGE:
        return zone_name
    if zone_name in UNIVERSAL_ZONES:
        _ = i18n.translator(language)
        return _("Coordinated Universal Time")
    from babel.dates import get_timezone_location

    try:
        return str(get_timezone_location(zone_name, locale=i18n.locale(language)))
    except LookupError:
        return zone_name


def time_text(at: datetime, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A wall-clock time: "14:05" in English, "오후 2:05" in Korean."""
    if language == i18n.DEFAULT_LANGUAGE:
        return f"{at:%H:%M}"
    from babel.dates import format_time

    return str(format_time(at, "short", locale=i18n.locale(language)))


def day_text(day: date, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A day as "Tue 3 Jun" in English, "6월 3일 (수)" in Korean."""
    if language == i18n.DEFAULT_LANGUAGE:
        return f"{day:%a} {day.day} {day:%b}"
    from babel.dates import format_skeleton

    return str(format_skeleton("MMMEd", day, locale=i18n.locale(language)))


def when_text(at: datetime, zone_name: str, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """``at`` in ``zone_name`` with the zone named, for a reader of ``language``:
    "Tue 3 Jun at 10:00 (Europe/London)", "6월 3일 (화) 오전 10:00 (영국 시간)"."""
    local = local_time(at, zone(zone_name))
    if language == i18n.DEFAULT_LANGUAGE:
        return f"{local:%a} {local.day} {local:%b} at {local:%H:%M} ({zone_name})"
    day, time = day_text(local, language), time_text(local, language)
    return f"{day} {time} ({zone_text(zone_name, language)})"


def link(path: str) -> str:
    """An absolute link to ``path`` on the public address (filled in when sent)."""
    return f"{PUBLIC_BASE_URL}{path}"


def booking_path(db: Session, booking: Booking, *, event: str) -> str:
    """Where a booking is seen and acted on; a waitlist offer is taken on its offer page."""
    if event == "offered":
        entry_id = db.scalar(
            select(WaitlistEntry.id).where(
                WaitlistEntry.clinic_id == booking.clinic_id,
                WaitlistEntry.offered_booking_id == booking.id,
            )
        )
        if entry_id is not None:
            return f"/waitlist/{entry_id}"
    return f"/bookings/{booking.id}"


def _mail_for(
    booking: Booking,
    *,
    path: str,
    event: str,
    role: Role,
    me: User,
    other: User | None,
    by: str,
    previous: datetime | None,
) -> BookingMail:
    other_role: Role = "therapist" if role == "client" else "client"
    tz = me.time_zone or "UTC"
    language = language_of(me)
    _ = i18n.translator(language)
    proposed = booking.proposed_starts_at
    hold = booking.hold_expires_at
    return BookingMail(
        event=event,
        role=role,
        name=first_name(me),
        other=first_name(other) or _(NO_NAME[other_role]),
        when=when_text(booking.starts_at, tz, language),
        link=link(path),
        settings_link=link("/settings"),
        previous_when=when_text(previous, tz, language) if previous is not None else "",
        proposed_when=when_text(proposed, tz, language) if proposed is not None else "",
        hold_until=when_text(hold, tz, language) if hold is not None else "",
        by_you=by == role,
    )


def _people(db: Session, booking: Booking) -> tuple[User | None, User | None]:
    client = db.get(User, (booking.clinic_id, booking.client_id))
    therapist = db.get(User, (booking.clinic_id, booking.therapist_id))
    return client, therapist


def _reachable(user: User | None) -> bool:
    return user is not None and user.disabled_at is None and bool(user.email)


def queue_booking_mail(
    db: Session,
    booking: Booking,
    *,
    event: str,
    by: str,
    previous: datetime | None = None,
) -> int:
    """Queue the email about ``event`` to the client and (unless client-only) the therapist;
    returns how many were queued. Adds to the unit of work; never commits.

    A waitlist offer that ends untaken (declined, withdrawn or lapsed: a held booking
    cancelled) was never an appointment, so it sends no cancellation."""
    if event == "cancelled" and booking.hold_expires_at is not None:
        return 0
    path = booking_path(db, booking, event=event)
    client, therapist = _people(db, booking)
    recipients: list[tuple[Role, User | None, User | None]] = [("client", client, therapist)]
    if event not in CLIENT_ONLY:
        recipients.append(("therapist", therapist, client))
    queued = 0
    for role, me, other in recipients:
        if me is None or not _reachable(me):
            continue
        mail = _mail_for(
            booking,
            path=path,
            event=event,
            role=role,
            me=me,
            other=other,
            by=by,
            previous=previous,
        )
        enqueue(
            db,
            clinic_id=booking.clinic_id,
            to=me.email,
            kind="booking_event",
            language=language_of(me),
            m=mail,
        )
        queued += 1
    return queued


def queue_reminder(db: Session, booking: Booking) -> int:
    """Queue the client's reminder of ``booking``; 0 when the client cannot be reached."""
    return queue_booking_mail(db, booking, event="reminder", by="system")


@dataclass(frozen=True, slots=True)
class AgendaItem:
    time: str
    client: str
    minutes: int


def queue_agenda(
    db: Session, *, therapist: User, day: date, bookings: list[tuple[Booking, User | None]]
) -> None:
    """Queue ``therapist``'s agenda for ``day`` (in their zone and language): times and first
    names only."""
    tz = therapist.time_zone or "UTC"
    language = language_of(therapist)
    _ = i18n.translator(language)
    items = [
        AgendaItem(
            time=time_text(local_time(booking.starts_at, zone(tz)), language),
            client=first_name(client) or _(NO_NAME["client"]),
            minutes=booking.length_minutes,
        )
        for booking, client in bookings
    ]
    enqueue(
        db,
        clinic_id=therapist.clinic_id,
        to=therapist.email,
        kind="daily_agenda",
        language=language,
        name=first_name(therapist),
        day=day_text(day, language),
        zone=zone_text(tz, language),
        items=items,
        link=link("/therapist/bookings"),
    )
