"""Changing a series as a whole: cancel the sessions still to come (the client or the
therapist), confirm every requested session at once (the therapist). Single sessions are moved
or cancelled as ordinary bookings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, BookingSeries, utcnow
from sciatica_care.services.actors import Actor
from sciatica_care.services.booking_events import BookingEvent, booking_changed
from sciatica_care.services.booking_parties import set_status
from sciatica_care.services.errors import Conflict, NotFound
from sciatica_care.services.schedule import lock_schedule
from sciatica_care.services.series import (
    STILL_ON,
    WORDS,
    SeriesView,
    audited,
    by_whom,
    owned_series,
    series_bookings,
)


def cancel_rest(
    db: Session, *, actor: Actor, series_id: str, now: datetime | None = None
) -> SeriesView:
    """Cancel every session of the series still to come (the client or the therapist)."""
    now = now or utcnow()
    series = owned_series(db, actor=actor, series_id=series_id)
    lock_schedule(db, clinic_id=series.clinic_id, therapist_id=series.therapist_id)
    rest = [b for b in series_bookings(db, series) if b.status in STILL_ON and b.starts_at > now]
    if not rest:
        raise Conflict(WORDS["no_rest"])
    by = by_whom(actor)
    for booking in rest:
        set_status(booking, "cancelled", now=now, by=by)
    series.cancelled_at = now
    return _changed(db, actor, series, rest, event="cancelled", now=now)


def confirm_requested(
    db: Session, *, actor: Actor, series_id: str, now: datetime | None = None
) -> SeriesView:
    """The therapist confirms every requested session of the series at once."""
    now = now or utcnow()
    if actor.role != "therapist":
        raise NotFound("series")
    series = owned_series(db, actor=actor, series_id=series_id)
    lock_schedule(db, clinic_id=series.clinic_id, therapist_id=series.therapist_id)
    requested = [b for b in series_bookings(db, series) if b.status == "requested"]
    for booking in requested:
        set_status(booking, "confirmed", now=now)
    return _changed(db, actor, series, requested, event="confirmed", now=now)


def _changed(
    db: Session,
    actor: Actor,
    series: BookingSeries,
    bookings: list[Booking],
    *,
    event: BookingEvent,
    now: datetime,
) -> SeriesView:
    """What follows a change to some of the series' bookings, the audit row, the commit."""
    db.flush()
    for booking in bookings:
        booking_changed(db, booking, event=event, by=by_whom(actor), now=now)
    return audited(db, actor, series, action="update")
