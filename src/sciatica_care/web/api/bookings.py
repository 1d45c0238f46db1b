"""Bookings over the API: a client books (or requests) a slot; the client and the therapist
read their bookings and act on one (confirm, decline, propose, accept, reschedule, cancel,
record a status). Every action may carry the ``sequence`` the caller last read: a booking
changed meanwhile answers 409 instead of being overwritten."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import AwareDatetime, BaseModel, Field

from sciatica_care.domain import booking_lifecycle as lifecycle
from sciatica_care.services import booking, booking_actions
from sciatica_care.services.booking import BookingView
from sciatica_care.web.api.schemas import Body
from sciatica_care.web.api.therapists import ERRORS
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(tags=["bookings"])

BOOKING_ERRORS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    409: {"model": ERRORS[404]["model"], "description": "not possible now, or changed meanwhile"},
}
Minutes = Annotated[int, Field(ge=5, le=480, description="the session's length in minutes")]
Sequence = Annotated[
    int | None,
    Field(default=None, ge=0, description="the booking's sequence as last read (optional)"),
]


class BookingIn(Body):
    therapist_id: Annotated[str, Field(max_length=64)]
    starts_at: AwareDatetime = Field(description="the start, with its time zone offset")
    length_minutes: Minutes


class ActionIn(Body):
    sequence: Sequence = None


class TimeIn(Body):
    starts_at: AwareDatetime = Field(description="the new start, with its time zone offset")
    sequence: Sequence = None


class RescheduleIn(TimeIn):
    length_minutes: Minutes | None = None


class CancelIn(Body):
    confirm_late: bool = Field(
        default=False,
        description="inside the cancellation window: the client has seen the policy",
    )
    sequence: Sequence = None


class StatusIn(Body):
    status: lifecycle.Recorded
    sequence: Sequence = None


class BookingOut(BaseModel):
    id: str
    therapist_id: str
    therapist_name: str
    client_id: str
    client_name: str
    starts_at: datetime
    ends_at: datetime
    length_minutes: int
    time_zone: str = Field(description="the therapist's IANA zone")
    status: str
    proposed_starts_at: datetime | None
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancelled_late: bool = Field(description="the client cancelled inside the window")
    inside_window: bool = Field(description="now is inside the cancellation window")
    cancellation_window_hours: int
    sequence: int
    series_id: str | None
    viewer: str
    actions: list[str] = Field(description="what the caller may do with it now")
    shared: bool = Field(description="the client shares their record with the therapist")

    @classmethod
    def of(cls, view: BookingView) -> BookingOut:
        return cls.model_validate(view, from_attributes=True)


def _seq(body: ActionIn | CancelIn | None) -> int | None:
    return body.sequence if body is not None else None


@router.post("/bookings", status_code=status.HTTP_201_CREATED, responses=BOOKING_ERRORS)
def book(body: BookingIn, actor: SignedInUser, db: UnitOfWork) -> BookingOut:
    """Book a free slot (confirmed) or, when the therapist confirms new clients, request it."""
    return BookingOut.of(
        booking.book(
            db,
            actor=actor,
            therapist_id=body.therapist_id,
            starts_at=body.starts_at,
            length=body.length_minutes,
        )
    )


@router.get("/bookings", responses=BOOKING_ERRORS)
def my_bookings(
    actor: SignedInUser,
    db: UnitOfWork,
    status_: Annotated[list[lifecycle.Status] | None, Query(alias="status")] = None,
    from_: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    to: AwareDatetime | None = None,
) -> list[BookingOut]:
    """Your bookings (as client or therapist), soonest first; filter by status and start."""
    views = booking.my_bookings(
        db, actor=actor, statuses=tuple(status_ or ()), since=from_, until=to
    )
    return [BookingOut.of(v) for v in views]


@router.get("/bookings/{booking_id}", responses=BOOKING_ERRORS)
def one(booking_id: str, actor: SignedInUser, db: UnitOfWork) -> BookingOut:
    """One of your bookings, with the actions you may take now."""
    return BookingOut.of(booking.get(db, actor=actor, booking_id=booking_id))


@router.post("/bookings/{booking_id}/propose", responses=BOOKING_ERRORS)
def propose(booking_id: str, body: TimeIn, actor: SignedInUser, db: UnitOfWork) -> BookingOut:
    """The therapist proposes another time for a request."""
    return BookingOut.of(
        booking_actions.propose(
            db, actor=actor, booking_id=booking_id, starts_at=body.starts_at, sequence=body.sequence
        )
    )


@router.post("/bookings/{booking_id}/reschedule", responses=BOOKING_ERRORS)
def reschedule(
    booking_id: str, body: RescheduleIn, actor: SignedInUser, db: UnitOfWork
) -> BookingOut:
    """Move the booking to another free time."""
    return BookingOut.of(
        booking_actions.reschedule(
            db,
            actor=actor,
            booking_id=booking_id,
            starts_at=body.starts_at,
            length=body.length_minutes,
            sequence=body.sequence,
        )
    )


@router.post("/bookings/{booking_id}/cancel", responses=BOOKING_ERRORS)
def cancel(
    booking_id: str, actor: SignedInUser, db: UnitOfWork, body: CancelIn | None = None
) -> BookingOut:
    """Cancel. Inside the cancellation window a client must send ``confirm_late: true``
    (having shown the policy); without it the answer is 422 naming ``confirm_late``."""
    return BookingOut.of(
        booking_actions.cancel(
            db,
            actor=actor,
            booking_id=booking_id,
            confirm_late=bool(body and body.confirm_late),
            sequence=_seq(body),
        )
    )


@router.post("/bookings/{booking_id}/status", responses=BOOKING_ERRORS)
def record_status(
    booking_id: str, body: StatusIn, actor: SignedInUser, db: UnitOfWork
) -> BookingOut:
    """The therapist records a late cancellation, a no-show or a completed session."""
    return BookingOut.of(
        booking_actions.record_status(
            db, actor=actor, booking_id=booking_id, status=body.status, sequence=body.sequence
        )
    )


#: The actions that need nothing but the booking (and optionally its sequence).
SIMPLE_ACTIONS: dict[str, tuple[Callable[..., BookingView], str]] = {
    "confirm": (booking_actions.confirm, "The therapist confirms a request."),
    "decline": (
        booking_actions.decline,
        "The therapist declines a request; the client declines a proposed time.",
    ),
    "accept": (booking_actions.accept, "The client accepts the proposed time."),
}


def _simple_route(action: str) -> Callable[..., BookingOut]:
    run, doc = SIMPLE_ACTIONS[action]

    def route(
        booking_id: str, actor: SignedInUser, db: UnitOfWork, body: ActionIn | None = None
    ) -> BookingOut:
        return BookingOut.of(run(db, actor=actor, booking_id=booking_id, sequence=_seq(body)))

    route.__name__, route.__doc__ = action, doc
    return route


for _action in SIMPLE_ACTIONS:
    router.add_api_route(
        f"/bookings/{{booking_id}}/{_action}",
        _simple_route(_action),
        methods=["POST"],
        responses=BOOKING_ERRORS,
    )
