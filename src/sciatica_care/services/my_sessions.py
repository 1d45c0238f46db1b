"""The client's sessions: coming bookings, and past sessions with what the therapist wrote up.

A past session is a booking that took place (with its note, when the therapist linked one) or a
note without a booking (sessions from before booking). The notes are read through the one access
check (the client's own record) and as the client may read them: the SOAP text only when the
therapist shared it (:func:`sciatica_care.services.session_notes.as_read_by`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, utcnow
from sciatica_care.services.actors import Actor
from sciatica_care.services.booking_export import display_names
from sciatica_care.services.calendar_events import is_shown
from sciatica_care.services.errors import Forbidden
from sciatica_care.services.session_notes import NoteView, list_notes

#: Statuses of a past booking worth listing (requests never confirmed and declines are not).
PAST_STATUSES = ("confirmed", "completed", "no_show", "late_cancelled", "cancelled")
#: How many past sessions the page lists.
PAST_LIMIT = 100


@dataclass(frozen=True, slots=True)
class SessionItem:
    """One session on the client's list: its booking, its note, or both."""

    at: datetime
    therapist_id: str
    therapist_name: str
    booking: Booking | None = None
    note: NoteView | None = None
    length_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class MySessions:
    coming: list[SessionItem]
    past: list[SessionItem]


def _client(actor: Actor) -> Actor:
    if actor.role != "client":
        raise Forbidden("this is the list of a client's own sessions")
    return actor


def _bookings(db: Session, actor: Actor) -> list[Booking]:
    return list(
        db.scalars(
            select(Booking)
            .where(Booking.clinic_id == actor.clinic_id, Booking.client_id == actor.user_id)
            .order_by(Booking.starts_at)
        ).all()
    )


#: The client's soonest bookings still in the diary (a few: the first shown one is wanted). Built
#: once: the dashboard asks on every view, and building the statement cost as much as running it.
_SOONEST = (
    select(Booking)
    .where(
        Booking.clinic_id == bindparam("clinic_id"),
        Booking.client_id == bindparam("client_id"),
        Booking.starts_at >= bindparam("now"),
        Booking.status.in_(("confirmed", "requested", "proposed", "held")),
    )
    .order_by(Booking.starts_at)
    .limit(5)
)


def next_appointment(db: Session, *, actor: Actor) -> tuple[Booking, str] | None:
    """The client's next session still in the diary, with the therapist's name (or None)."""
    if actor.role != "client":
        return None
    now = utcnow()
    soonest = db.scalars(
        _SOONEST, {"clinic_id": actor.clinic_id, "client_id": actor.user_id, "now": now}
    )
    booking = next((b for b in soonest if is_shown(b, now)), None)
    if booking is None:
        return None
    name = display_names(db, actor.clinic_id, {booking.therapist_id}).get(booking.therapist_id, "")
    return booking, name


def my_sessions(db: Session, *, actor: Actor) -> MySessions:
    """The client's coming sessions (soonest first) and past ones (latest first)."""
    _client(actor)
    now = utcnow()
    notes = list_notes(db, actor=actor)  # the access check (and its audit) for the notes
    bookings = _bookings(db, actor)
    names = display_names(db, actor.clinic_id, {b.therapist_id for b in bookings})
    by_id = {n.id: n for n in notes}
    by_booking = {n.booking_id: n for n in notes if n.booking_id}
    used: set[str] = set()
    coming, past = [], []
    for b in bookings:
        note = by_booking.get(b.id) or by_id.get(b.session_note_id or "")
        if note is not None:
            used.add(note.id)
        item = SessionItem(
            b.starts_at, b.therapist_id, names.get(b.therapist_id, ""), b, note, b.length_minutes
        )
        if b.starts_at >= now and is_shown(b, now):
            coming.append(item)
        elif b.starts_at < now and (b.status in PAST_STATUSES or note is not None):
            past.append(item)
    past += [
        SessionItem(n.session_at, n.therapist_id, n.therapist_name, None, n)
        for n in notes
        if n.id not in used
    ]
    past.sort(key=lambda i: i.at, reverse=True)
    db.commit()
    return MySessions(coming=coming, past=past[:PAST_LIMIT])
