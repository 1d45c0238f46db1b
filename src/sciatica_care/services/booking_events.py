"""What follows a change to a booking, in the same unit of work as the change.

Every use-case that changes a booking calls :func:`booking_changed` once, after the change is
flushed and before it commits. The mail work adds the emails to both people here (through the
outbox, so they go only if the change commits); the waitlist work offers a freed time to the
first person waiting. Keeping the fan-out in one place means a new follow-up is added once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking
from sciatica_care.notifications.booking_mail import queue_booking_mail

BookingEvent = Literal[
    "booked",  # a client booked a free slot directly (status confirmed)
    "requested",  # a client asked for a slot (status requested)
    "confirmed",  # the therapist confirmed a request, or the client accepted a proposal
    "declined",  # the therapist declined a request
    "proposed",  # the therapist proposed another time (proposed_starts_at)
    "rescheduled",  # either moved it (starts_at changed; previous time in ``previous``)
    "cancelled",  # either cancelled it outside the cancellation window
    "late_cancelled",  # cancelled inside the window (the therapist may record it so)
    "no_show",  # the therapist recorded that the client did not come
    "completed",  # the therapist recorded that the session took place
    "offered",  # a waitlist offer: a held slot for one client
]

#: Events after which the booking may start at a new time: its reminder is due afresh.
NEW_TIME: frozenset[BookingEvent] = frozenset({"rescheduled", "confirmed"})

#: Events after which the booking's former time is free again.
FREES_TIME: frozenset[BookingEvent] = frozenset(
    {"declined", "rescheduled", "cancelled", "late_cancelled"}
)


def booking_changed(
    db: Session,
    booking: Booking,
    *,
    event: BookingEvent,
    by: Literal["client", "therapist", "system"],
    now: datetime,
    previous: datetime | None = None,
) -> None:
    """Queue what follows ``event`` on ``booking`` (``previous``: its former start, when it
    moved). Adds rows to the unit of work; never commits."""
    if event in NEW_TIME:
        booking.reminder_sent_at = None
    queue_booking_mail(db, booking, event=event, by=by, previous=previous)
    if event in FREES_TIME:  # a freed time goes to the first person waiting for it
        from sciatica_care.services.waitlist_offers import offer_freed_time  # (imports this module)

        db.flush()
        offer_freed_time(
            db, booking, now=now, previous=previous if event == "rescheduled" else None
        )
