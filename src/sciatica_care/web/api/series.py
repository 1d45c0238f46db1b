"""Recurring series and the waitlist over the API.

- ``POST /bookings/{id}/series?preview=1``: every occurrence and its conflicts, nothing made;
  without ``preview`` the series is made (all chosen occurrences or none).
- ``GET /series/{id}``, ``POST /series/{id}/cancel`` (the rest), ``POST /series/{id}/confirm``
  (the therapist: every requested session).
- ``GET/POST /waitlist``, ``GET/DELETE /waitlist/{id}``, ``POST /waitlist/{id}/accept|decline``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from sciatica_care.services import series, series_changes, waitlist
from sciatica_care.services.series import Occurrence, SeriesPreview, SeriesView
from sciatica_care.services.waitlist import EntryView
from sciatica_care.web.api.schemas import Body, ErrorOut
from sciatica_care.web.api.therapists import ERRORS as BASE_ERRORS
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(tags=["series and waitlist"])

ERRORS: dict[int | str, dict[str, object]] = {
    **BASE_ERRORS,
    409: {"model": ErrorOut, "description": "not possible in the booking's present state"},
}
Id = Annotated[str, Field(min_length=32, max_length=32, pattern=r"^[0-9a-f]{32}$")]


class SeriesIn(Body):
    every_weeks: int | None = Field(
        default=None, ge=1, le=52, description="weeks between sessions (default: the plan's)"
    )
    count: int | None = Field(
        default=None, ge=1, le=100, description="sessions, the first included (default: the plan's)"
    )
    leave_out: list[int] = Field(
        default_factory=list, max_length=100, description="session numbers (2..count) not to book"
    )


class OccurrenceOut(BaseModel):
    number: int
    starts_at: datetime
    ends_at: datetime
    booking_id: str | None
    status: str | None
    free: bool
    problem: str | None = Field(description="why this session cannot be booked, in words")

    @classmethod
    def of(cls, o: Occurrence) -> OccurrenceOut:
        return cls.model_validate(o, from_attributes=True)


class SeriesPreviewOut(BaseModel):
    booking_id: str
    every_weeks: int
    count: int
    length_minutes: int
    time_zone: str = Field(description="the therapist's zone: the sessions keep its wall clock")
    occurrences: list[OccurrenceOut]
    conflicts: list[int] = Field(description="numbers of the sessions that cannot be booked")

    @classmethod
    def of(cls, p: SeriesPreview) -> SeriesPreviewOut:
        return cls(
            booking_id=p.booking_id,
            every_weeks=p.every_weeks,
            count=p.count,
            length_minutes=p.length_minutes,
            time_zone=p.time_zone,
            occurrences=[OccurrenceOut.of(o) for o in p.occurrences],
            conflicts=[o.number for o in p.conflicts],
        )


class SeriesOut(BaseModel):
    id: str
    therapist_id: str
    client_id: str
    every_weeks: int
    count: int
    length_minutes: int
    time_zone: str
    cancelled_at: datetime | None
    sessions: list[OccurrenceOut]

    @classmethod
    def of(cls, v: SeriesView) -> SeriesOut:
        return cls.model_validate(v, from_attributes=True)


class WaitlistIn(Body):
    therapist_id: Id
    length_minutes: int = Field(ge=1, le=1440)
    booking_id: Id | None = Field(
        default=None, description="a coming booking of yours: only earlier times, replacing it"
    )


class EntryOut(BaseModel):
    id: str
    therapist_id: str
    therapist_name: str
    client_id: str
    client_name: str
    length_minutes: int
    earlier_than: datetime | None
    booking_id: str | None
    status: str
    created_at: datetime
    offered_booking_id: str | None
    offered_starts_at: datetime | None
    offer_expires_at: datetime | None

    @classmethod
    def of(cls, v: EntryView) -> EntryOut:
        return cls.model_validate(v, from_attributes=True)


class AcceptedOut(BaseModel):
    booking_id: str


@router.post("/bookings/{booking_id}/series", responses=ERRORS)
def make_series(
    booking_id: str,
    body: SeriesIn,
    actor: SignedInUser,
    db: UnitOfWork,
    response: Response,
    preview: Annotated[bool, Query(description="only show the sessions and conflicts")] = False,
) -> SeriesPreviewOut | SeriesOut:
    """Preview (``?preview=1``) or make a series starting from this booking."""
    plan = series.suggestion()
    every_weeks = body.every_weeks or plan.every_weeks
    count = body.count or plan.sessions
    if preview:
        shown = series.preview(
            db, actor=actor, booking_id=booking_id, every_weeks=every_weeks, count=count
        )
        return SeriesPreviewOut.of(shown)
    made = series.create(
        db,
        actor=actor,
        booking_id=booking_id,
        every_weeks=every_weeks,
        count=count,
        leave_out=body.leave_out,
    )
    response.status_code = status.HTTP_201_CREATED
    return SeriesOut.of(made)


@router.get("/series/{series_id}", responses=ERRORS)
def one_series(series_id: str, actor: SignedInUser, db: UnitOfWork) -> SeriesOut:
    """A series and its sessions (numbered; cancelled ones left out)."""
    return SeriesOut.of(series.view(db, actor=actor, series_id=series_id))


@router.post("/series/{series_id}/cancel", responses=ERRORS)
def cancel_rest(series_id: str, actor: SignedInUser, db: UnitOfWork) -> SeriesOut:
    """Cancel every session of the series still to come."""
    return SeriesOut.of(series_changes.cancel_rest(db, actor=actor, series_id=series_id))


@router.post("/series/{series_id}/confirm", responses=ERRORS)
def confirm_all(series_id: str, actor: SignedInUser, db: UnitOfWork) -> SeriesOut:
    """The therapist confirms every requested session of the series."""
    return SeriesOut.of(series_changes.confirm_requested(db, actor=actor, series_id=series_id))


@router.get("/waitlist", responses=ERRORS)
def my_waitlist(actor: SignedInUser, db: UnitOfWork) -> list[EntryOut]:
    """A client's places on waitlists; a therapist's waitlist, first come first."""
    return [EntryOut.of(e) for e in waitlist.entries(db, actor=actor)]


@router.post("/waitlist", status_code=status.HTTP_201_CREATED, responses=ERRORS)
def join_waitlist(body: WaitlistIn, actor: SignedInUser, db: UnitOfWork) -> EntryOut:
    """Ask to be offered an earlier time with a therapist."""
    entry = waitlist.join(
        db,
        actor=actor,
        therapist_id=body.therapist_id,
        length_minutes=body.length_minutes,
        booking_id=body.booking_id,
    )
    return EntryOut.of(entry)


@router.get("/waitlist/{waitlist_id}", responses=ERRORS)
def one_entry(waitlist_id: str, actor: SignedInUser, db: UnitOfWork) -> EntryOut:
    """One place on a waitlist, with the offer waiting for its client (if any)."""
    return EntryOut.of(waitlist.entry(db, actor=actor, entry_id=waitlist_id))


@router.delete("/waitlist/{waitlist_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def leave_waitlist(waitlist_id: str, actor: SignedInUser, db: UnitOfWork) -> None:
    """Leave the waitlist (an offer waiting is given back)."""
    waitlist.leave(db, actor=actor, entry_id=waitlist_id)


@router.post("/waitlist/{waitlist_id}/accept", responses=ERRORS)
def accept_offer(waitlist_id: str, actor: SignedInUser, db: UnitOfWork) -> AcceptedOut:
    """Take the offered time (the later booking it replaces is cancelled)."""
    return AcceptedOut(booking_id=waitlist.accept(db, actor=actor, entry_id=waitlist_id))


@router.post(
    "/waitlist/{waitlist_id}/decline", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS
)
def decline_offer(waitlist_id: str, actor: SignedInUser, db: UnitOfWork) -> None:
    """Turn the offered time down; keep one's place for a later one."""
    waitlist.decline(db, actor=actor, entry_id=waitlist_id)
