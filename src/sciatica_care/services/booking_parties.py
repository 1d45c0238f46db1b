"""The two people of a booking (its client and its therapist) and changes of its status.

A booking, a series or a waitlist place is seen only by its own client and its own therapist;
anyone else gets NotFound, the same as an id that does not exist. (CORE's single-booking
lifecycle may bring its own equivalent: the lead keeps one.)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking
from sciatica_care.services.access import is_record_id
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import NotFound


def is_party(actor: Actor, *, client_id: str, therapist_id: str) -> bool:
    """Whether the actor is this client, or this therapist."""
    return (actor.role == "client" and client_id == actor.user_id) or (
        actor.role == "therapist" and therapist_id == actor.user_id
    )


def party_booking(db: Session, *, actor: Actor, booking_id: str) -> Booking:
    """The booking, when the actor is its client or its therapist; NotFound otherwise."""
    booking = db.get(Booking, (actor.clinic_id, booking_id)) if is_record_id(booking_id) else None
    if booking is None or not is_party(
        actor, client_id=booking.client_id, therapist_id=booking.therapist_id
    ):
        raise NotFound("booking")
    return booking


def set_status(booking: Booking, status: str, *, now: datetime, by: str | None = None) -> None:
    """Change the booking's status (a cancellation records when and by whom); calendars see a
    new ``sequence``. The caller calls booking_changed."""
    booking.status, booking.updated_at, booking.sequence = status, now, booking.sequence + 1
    if status == "cancelled":
        booking.cancelled_at, booking.cancelled_by = now, by
