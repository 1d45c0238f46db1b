"""Booking emails: one for each booking event (to the client and to the therapist), the client's
reminder and the therapist's daily agenda.

Each is queued in the caller's unit of work (the outbox), so it goes only if the change commits.
Times are in the RECIPIENT's zone with the zone named; people are named by first name only; the
words live in ``templates/booking_words.txt``. Nothing about the person's health is ever put in:
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

from sciatica_care.db.tables import Booking, User, WaitlistEntry
from sciatica_care.domain.time_zones import local_time, zone
from sciatica_care.notifications.outbox import PUBLIC_BASE_URL, enqueue

Role = Literal["client", "therapist"]

#: Who is named when an account has no display name.
NO_NAME: dict[Role, str] = {"client": "your client", "therapist": "your therapist"}
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


def when_text(at: datetime, zone_name: str) -> str:
    """``at`` in ``zone_name`` with the zone named: "Tue 3 Jun at 10:00 (Europe/London)"."""
    local = local_time(at, zone(zone_name))
    return f"{local:%a} {local.day} {local:%b} at {local:%H:%M} ({zone_name})"


def day_text(day: date) -> str:
    """A day as "Tue 3 Jun"."""
    return f"{day:%a} {day.day} {day:%b}"


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
    proposed = booking.proposed_starts_at
    hold = booking.hold_expires_at
    return BookingMail(
        event=event,
        role=role,
        name=first_name(me),
        other=first_name(other) or NO_NAME[other_role],
        when=when_text(booking.starts_at, tz),
        link=link(path),
        settings_link=link("/settings"),
        previous_when=when_text(previous, tz) if previous is not None else "",
        proposed_when=when_text(proposed, tz) if proposed is not None else "",
        hold_until=when_text(hold, tz) if hold is not None else "",
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
        enqueue(db, clinic_id=booking.clinic_id, to=me.email, kind="booking_event", m=mail)
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
    """Queue ``therapist``'s agenda for ``day`` (in their zone): times and first names only."""
    tz = therapist.time_zone or "UTC"
    items = [
        AgendaItem(
            time=f"{local_time(booking.starts_at, zone(tz)):%H:%M}",
            client=first_name(client) or NO_NAME["client"],
            minutes=booking.length_minutes,
        )
        for booking, client in bookings
    ]
    enqueue(
        db,
        clinic_id=therapist.clinic_id,
        to=therapist.email,
        kind="daily_agenda",
        name=first_name(therapist),
        day=day_text(day),
        zone=tz,
        items=items,
        link=link("/therapist/bookings"),
    )
