"""What happens to a booking after it is made: the therapist confirms, declines or proposes
another time; the client accepts or declines a proposal; either reschedules or cancels; after
the start the therapist records completed or no-show, and may record a late cancellation.

Every change starts with the therapist's schedule lock (so it runs one at a time with every
other change to that diary), re-reads the booking under it, checks the action is allowed now
(:mod:`domain.booking_lifecycle`), and — when a ``sequence`` is given — that nobody changed the
booking since the caller read it (optimistic concurrency: Conflict, "reload"). A new time is
checked like a new booking (``why_not`` ignoring the booking itself). Then ``booking_changed``
once, an audit row (ids only), and commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, utcnow
from sciatica_care.domain import booking_lifecycle as lifecycle
from sciatica_care.domain.booking import Slot
from sciatica_care.i18n import N_
from sciatica_care.services import schedule
from sciatica_care.services.actors import Actor
from sciatica_care.services.booking import BookingView, aware, load, state_of, view_of, window_hours
from sciatica_care.services.booking_events import BookingEvent, booking_changed
from sciatica_care.services.errors import Conflict, FieldProblem, Forbidden, InvalidInput

#: Why an action is refused, in words (one small table; the pages show them).
NOT_NOW: dict[str, str] = {
    "confirm": N_("only a request can be confirmed"),
    "decline": N_("this booking cannot be declined now"),
    "propose": N_("another time can be proposed only for a request"),
    "accept": N_("there is no proposed time to accept"),
    "reschedule": N_("this booking can no longer be moved"),
    "cancel": N_("this booking can no longer be cancelled"),
    "late_cancelled": N_("a late cancellation can be recorded only inside the cancellation window"),
    "no_show": N_("a no-show can be recorded only after the session's start"),
    "completed": N_("a session can be recorded as completed only after its start"),
}
STALE = N_("this booking was changed meanwhile; reload it and try again")
POLICY = N_(
    "cancelling less than {hours} h before the session may be charged; the therapist decides. "
    "Confirm that you want to cancel"
)


def _begin(
    db: Session,
    *,
    actor: Actor,
    booking_id: str,
    action: lifecycle.BookingAction,
    sequence: int | None,
) -> tuple[Booking, lifecycle.Party, datetime]:
    """Load the booking (a party's only), take the schedule lock, re-read it, and check the
    action is allowed now and the booking unchanged since ``sequence``."""
    now = utcnow()
    booking, party = load(db, actor=actor, booking_id=booking_id, action="update")
    schedule.lock_schedule(db, clinic_id=booking.clinic_id, therapist_id=booking.therapist_id)
    db.refresh(booking)
    if sequence is not None and sequence != booking.sequence:
        raise Conflict(STALE)
    who: lifecycle.Party = "client" if party == "client" else "therapist"
    if action not in lifecycle.ACTIONS_OF[who]:
        raise Forbidden(f"only the {'client' if who == 'therapist' else 'therapist'} may do this")
    window = window_hours(db, booking)
    if not lifecycle.may(action, state_of(booking), party=who, now=now, window_hours=window):
        raise Conflict(NOT_NOW[action])
    return booking, who, now


def _finish(
    db: Session,
    booking: Booking,
    *,
    actor: Actor,
    who: lifecycle.Party,
    event: BookingEvent,
    now: datetime,
    previous: datetime | None = None,
) -> BookingView:
    booking.sequence += 1
    booking.updated_at = now
    db.flush()
    booking_changed(db, booking, event=event, by=who, now=now, previous=previous)
    db.commit()
    return view_of(db, booking, actor=actor, party=who, now=now)


def _check_time(
    db: Session, booking: Booking, *, starts_at: datetime, length: int, now: datetime, by: str
) -> None:
    """Refuse (InvalidInput naming the field) a time the booking cannot move to."""
    slot = Slot(starts_at, starts_at + timedelta(minutes=length))
    reason = schedule.why_not(
        db,
        clinic_id=booking.clinic_id,
        therapist_id=booking.therapist_id,
        slot=slot,
        now=now,
        check_notice=by == "client",
        ignore=booking.id,
    )
    if reason is not None:
        field = "length_minutes" if reason == "length_not_offered" else "starts_at"
        raise InvalidInput([FieldProblem(field, schedule.REFUSALS[reason])])


def confirm(
    db: Session, *, actor: Actor, booking_id: str, sequence: int | None = None
) -> BookingView:
    """The therapist confirms a request."""
    booking, who, now = _begin(
        db, actor=actor, booking_id=booking_id, action="confirm", sequence=sequence
    )
    booking.status = "confirmed"
    return _finish(db, booking, actor=actor, who=who, event="confirmed", now=now)


def decline(
    db: Session, *, actor: Actor, booking_id: str, sequence: int | None = None
) -> BookingView:
    """The therapist declines a request, or the client declines a proposed time."""
    booking, who, now = _begin(
        db, actor=actor, booking_id=booking_id, action="decline", sequence=sequence
    )
    booking.status, booking.proposed_starts_at = "declined", None
    booking.cancelled_at, booking.cancelled_by = now, who
    return _finish(db, booking, actor=actor, who=who, event="declined", now=now)


def propose(
    db: Session,
    *,
    actor: Actor,
    booking_id: str,
    starts_at: datetime,
    sequence: int | None = None,
) -> BookingView:
    """The therapist proposes another time for a request; the client accepts or declines it."""
    starts_at = aware(starts_at, "starts_at")
    booking, who, now = _begin(
        db, actor=actor, booking_id=booking_id, action="propose", sequence=sequence
    )
    _check_time(db, booking, starts_at=starts_at, length=booking.length_minutes, now=now, by=who)
    booking.status, booking.proposed_starts_at = "proposed", starts_at
    return _finish(db, booking, actor=actor, who=who, event="proposed", now=now)


def _move(booking: Booking, starts_at: datetime, length: int) -> datetime:
    previous = booking.starts_at
    booking.starts_at = starts_at
    booking.ends_at = starts_at + timedelta(minutes=length)
    booking.length_minutes = length
    booking.proposed_starts_at = None
    booking.reminder_sent_at = None
    return previous


def accept(
    db: Session, *, actor: Actor, booking_id: str, sequence: int | None = None
) -> BookingView:
    """The client accepts the proposed time: confirmed at the new time (if still free)."""
    booking, who, now = _begin(
        db, actor=actor, booking_id=booking_id, action="accept", sequence=sequence
    )
    proposed = booking.proposed_starts_at
    if proposed is None:
        raise Conflict(NOT_NOW["accept"])
    # The therapist offered this time: their notice period does not apply to it.
    _check_time(
        db, booking, starts_at=proposed, length=booking.length_minutes, now=now, by="therapist"
    )
    previous = _move(booking, proposed, booking.length_minutes)
    booking.status = "confirmed"
    return _finish(db, booking, actor=actor, who=who, event="confirmed", now=now, previous=previous)


def reschedule(
    db: Session,
    *,
    actor: Actor,
    booking_id: str,
    starts_at: datetime,
    length: int | None = None,
    sequence: int | None = None,
) -> BookingView:
    """Either party moves the booking to a new free time (checked like a new booking)."""
    starts_at = aware(starts_at, "starts_at")
    booking, who, now = _begin(
        db, actor=actor, booking_id=booking_id, action="reschedule", sequence=sequence
    )
    length = length or booking.length_minutes
    _check_time(db, booking, starts_at=starts_at, length=length, now=now, by=who)
    previous = _move(booking, starts_at, length)
    return _finish(
        db, booking, actor=actor, who=who, event="rescheduled", now=now, previous=previous
    )


def cancel(
    db: Session,
    *,
    actor: Actor,
    booking_id: str,
    confirm_late: bool = False,
    sequence: int | None = None,
) -> BookingView:
    """Either party cancels. Inside the cancellation window the client must first have seen
    the policy (``confirm_late``); the booking is then flagged as cancelled late, and the
    therapist decides whether to record it as a late cancellation."""
    booking, who, now = _begin(
        db, actor=actor, booking_id=booking_id, action="cancel", sequence=sequence
    )
    window = window_hours(db, booking)
    late = who == "client" and lifecycle.inside_window(
        booking.starts_at, now=now, window_hours=window
    )
    if late and not confirm_late:
        raise InvalidInput([FieldProblem("confirm_late", POLICY.format(hours=window))])
    booking.status, booking.proposed_starts_at = "cancelled", None
    booking.cancelled_at, booking.cancelled_by = now, who
    return _finish(db, booking, actor=actor, who=who, event="cancelled", now=now)


def record_status(
    db: Session,
    *,
    actor: Actor,
    booking_id: str,
    status: str,
    sequence: int | None = None,
) -> BookingView:
    """The therapist records a late cancellation, a no-show, or a completed session."""
    if status not in lifecycle.RECORDED:
        choices = ", ".join(lifecycle.RECORDED)
        raise InvalidInput([FieldProblem("status", f"one of {choices}")])
    action: lifecycle.Recorded = status
    booking, who, now = _begin(
        db, actor=actor, booking_id=booking_id, action=action, sequence=sequence
    )
    if action == "late_cancelled" and booking.cancelled_at is None:
        booking.cancelled_at, booking.cancelled_by = now, "client"
    booking.status = action
    return _finish(db, booking, actor=actor, who=who, event=action, now=now)
