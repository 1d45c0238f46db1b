"""Waitlist offers: a freed time offered to the first person waiting (as a held booking),
and offers given back (declined, withdrawn) or lapsed, each handing the time on.

``offer_freed_time`` is called by ``booking_events.booking_changed`` for the events that free
time, inside the change's transaction; ``expire_offers`` by the worker every minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, WaitlistEntry, utcnow
from sciatica_care.domain.booking import Slot
from sciatica_care.services import schedule
from sciatica_care.services.booking_events import booking_changed
from sciatica_care.services.booking_parties import set_status


def release(
    db: Session, entry: WaitlistEntry, *, by: Literal["client", "system"], now: datetime
) -> None:
    """Give back the held time of an offer (declined, withdrawn or lapsed): the booking is
    cancelled, and booking_changed hands the time to the next person waiting."""
    held = db.get(Booking, (entry.clinic_id, entry.offered_booking_id or ""))
    if held is None or held.status != "held":
        return
    set_status(held, "cancelled", now=now, by=by)
    db.flush()
    booking_changed(db, held, event="cancelled", by=by, now=now)


def lapse(db: Session, entry: WaitlistEntry, held: Booking, *, now: datetime) -> None:
    del held
    entry.status = "expired"
    release(db, entry, by="system", now=now)


def expire_offers(db: Session, now: datetime | None = None) -> int:
    """Lapse every offer whose hold has run out and offer each time to the next person waiting
    (the worker calls this every minute). Commits; returns how many lapsed."""
    now = now or utcnow()
    lapsed = 0
    while True:
        entry = db.scalars(
            select(WaitlistEntry)
            .where(WaitlistEntry.status == "offered", WaitlistEntry.offer_expires_at <= now)
            .order_by(WaitlistEntry.offer_expires_at)
            .limit(1)
        ).first()
        if entry is None:
            return lapsed
        schedule.lock_schedule(db, clinic_id=entry.clinic_id, therapist_id=entry.therapist_id)
        db.refresh(entry)
        held = db.get(Booking, (entry.clinic_id, entry.offered_booking_id or ""))
        if entry.status == "offered" and held is not None:
            lapse(db, entry, held, now=now)
            lapsed += 1
        elif entry.status == "offered":
            entry.status = "expired"
        db.commit()


def offer_freed_time(
    db: Session, booking: Booking, *, now: datetime, previous: datetime | None = None
) -> Booking | None:
    """Offer the time ``booking`` gave up (its former start when it moved) to the first person
    waiting whose wish it meets and who may book it; None when nobody takes it. Called by
    ``booking_changed`` inside the change's transaction (the schedule lock is held)."""
    starts = previous or booking.starts_at
    if starts <= now:
        return None
    waiting = db.scalars(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.clinic_id == booking.clinic_id,
            WaitlistEntry.therapist_id == booking.therapist_id,
            WaitlistEntry.status == "waiting",
            WaitlistEntry.client_id != booking.client_id,
        )
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    ).all()
    settings = schedule.booking_settings(
        db, clinic_id=booking.clinic_id, therapist_id=booking.therapist_id
    )
    if settings is None:
        return None
    for entry in waiting:
        if entry.earlier_than is not None and starts >= entry.earlier_than:
            continue
        slot = Slot(starts, starts + timedelta(minutes=entry.length_minutes))
        reason = schedule.why_not(
            db,
            clinic_id=booking.clinic_id,
            therapist_id=booking.therapist_id,
            slot=slot,
            now=now,
        )
        if reason is not None:
            continue
        held = schedule.reserve(
            db,
            clinic_id=booking.clinic_id,
            therapist_id=booking.therapist_id,
            client_id=entry.client_id,
            starts_at=starts,
            length=entry.length_minutes,
            status="held",
            created_by="system",
            now=now,
        )
        held.hold_expires_at = now + timedelta(minutes=settings.waitlist_hold_minutes)
        entry.status, entry.offered_booking_id = "offered", held.id
        entry.offer_expires_at = held.hold_expires_at
        db.flush()
        booking_changed(db, held, event="offered", by="system", now=now)
        return held
    return None
