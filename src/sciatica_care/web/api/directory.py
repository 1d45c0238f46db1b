"""The directory over the API: search (public), one therapist's public profile with their next
free slots, the free slots themselves (rate-limited: slot maths costs CPU), and the therapist's
own availability and booking rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from sciatica_care.db.tables import DEFAULT_CLINIC_ID
from sciatica_care.domain.booking import Slot
from sciatica_care.services import availability, directory, slots
from sciatica_care.services.actors import Actor
from sciatica_care.services.availability import AvailabilityInput
from sciatica_care.services.therapists import PublicProfile
from sciatica_care.web.api.schemas import ErrorOut
from sciatica_care.web.api.therapists import PublicProfileOut
from sciatica_care.web.auth import CurrentUser, SignedInUser, UnitOfWork

router = APIRouter(tags=["directory"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    403: {"model": ErrorOut, "description": "only a therapist may do this"},
    404: {"model": ErrorOut, "description": "no such therapist"},
    422: {"model": ErrorOut, "description": "a field is wrong; errors names it"},
    429: {"model": ErrorOut, "description": "too many slot searches; try again later"},
}
NEXT_SLOTS = 6


class DirectoryProfileOut(PublicProfileOut):
    accepting_new_clients: bool
    takes_bookings: bool


class EntryOut(BaseModel):
    therapist: DirectoryProfileOut
    distance_km: float | None
    reasons: list[str] = Field(description="why this therapist is where they are in the order")


class PlanWishOut(BaseModel):
    techniques: list[str]
    training: list[str]
    language: str


class DirectoryOut(BaseModel):
    therapists: list[EntryOut]
    total: int
    page: int
    pages: int
    per_page: int
    ranked_by: str = Field(
        description="'plan': your latest plan; 'query': the plan_* parameters; '': no plan"
    )
    plan: PlanWishOut


class SlotOut(BaseModel):
    starts_at: datetime
    ends_at: datetime


class SlotsOut(BaseModel):
    time_zone: str = Field(description="the therapist's IANA zone (their hours are in it)")
    takes_bookings: bool
    length: int | None
    lengths: list[int]
    slots: list[SlotOut]


class TherapistOut(BaseModel):
    therapist: DirectoryProfileOut
    time_zone: str
    booking: str = Field(description="'book': you may book directly; 'request': ask first")
    next_slots: SlotsOut


def _profile_out(
    profile: PublicProfile, *, accepting: bool, takes_bookings: bool
) -> DirectoryProfileOut:
    base = PublicProfileOut.of(profile).model_dump()
    return DirectoryProfileOut(
        **base,
        accepting_new_clients=accepting,
        takes_bookings=takes_bookings,
    )


def _slots_out(found: slots.FreeSlots) -> SlotsOut:
    return SlotsOut(
        time_zone=found.time_zone,
        takes_bookings=found.takes_bookings,
        length=found.length,
        lengths=list(found.lengths),
        slots=[_slot_out(s) for s in found.slots],
    )


def _slot_out(slot: Slot) -> SlotOut:
    return SlotOut(starts_at=slot.starts, ends_at=slot.ends)


@router.get("/therapists", responses=ERRORS)
def search(request: Request, user: CurrentUser, db: UnitOfWork) -> DirectoryOut:
    """Therapists who pass the filters (``technique`` (repeatable, all of them), ``min_years``
    treating sciatica, ``language``, ``city``, ``near`` (a postcode or "lat,lon") with
    ``within_km``, ``training`` (repeatable), ``accepting``), ``page`` by page. Ordered by the
    plan in ``plan_technique``/``plan_training``/``plan_language``, else by your latest plan."""
    query = directory.query_from_pairs(request.query_params.multi_items())
    page = directory.search(db, clinic_id=_clinic(user), query=query, viewer=user)
    return DirectoryOut(
        therapists=[
            EntryOut(
                therapist=_profile_out(
                    e.profile, accepting=e.accepting_new_clients, takes_bookings=e.takes_bookings
                ),
                distance_km=None if e.distance_km is None else round(e.distance_km, 1),
                reasons=list(e.reasons),
            )
            for e in page.entries
        ],
        total=page.total,
        page=page.page,
        pages=page.pages,
        per_page=directory.PER_PAGE,
        ranked_by=page.ranked_by,
        plan=PlanWishOut(
            techniques=list(page.wish.techniques),
            training=list(page.wish.training),
            language=page.wish.language,
        ),
    )


def _clinic(user: Actor | None) -> str:
    """Whose directory: the signed-in person's clinic, else the default one."""
    return user.clinic_id if user is not None else DEFAULT_CLINIC_ID


@router.get("/therapists/{therapist_id}", responses=ERRORS)
def therapist(
    therapist_id: str, request: Request, user: CurrentUser, db: UnitOfWork
) -> TherapistOut:
    """A therapist's public profile, whether you book directly or ask first, and their next
    free slots (their shortest session)."""
    clinic_id = _clinic(user)
    card = directory.therapist_card(db, clinic_id=clinic_id, therapist_id=therapist_id, viewer=user)
    found = slots.free_slots_of(
        db, clinic_id=clinic_id, therapist_id=therapist_id, limit=NEXT_SLOTS
    )
    settings = card.settings
    return TherapistOut(
        therapist=_profile_out(
            card.profile,
            accepting=settings is not None and settings.accepting_new_clients,
            takes_bookings=settings is not None,
        ),
        time_zone=card.time_zone,
        booking=card.mode,
        next_slots=_slots_out(found),
    )


@router.get("/therapists/{therapist_id}/slots", responses=ERRORS)
def free_slots(
    therapist_id: str,
    request: Request,
    user: CurrentUser,
    db: UnitOfWork,
    first: Annotated[date | None, Query(alias="from", description="first day (their zone)")] = None,
    last: Annotated[date | None, Query(alias="to", description="last day (their zone)")] = None,
    length: Annotated[int | None, Query(ge=5, le=600, description="minutes")] = None,
) -> SlotsOut:
    """The therapist's free slots of ``length`` minutes (default: their shortest session)
    from ``from`` to ``to`` (days in the therapist's zone; default: up to their horizon).
    Times are UTC; show them in your own zone."""
    clinic_id = _clinic(user)
    directory.therapist_card(db, clinic_id=clinic_id, therapist_id=therapist_id, viewer=None)
    found = slots.free_slots_of(
        db,
        clinic_id=clinic_id,
        therapist_id=therapist_id,
        length=length,
        first_day=first,
        last_day=last,
    )
    return _slots_out(found)


class AvailabilityOut(AvailabilityInput):
    time_zone: str = Field(description="your account's IANA zone: every time here is in it")
    set_up: bool = Field(description="false until you first save (defaults shown)")


def _availability_out(found: availability.Availability) -> AvailabilityOut:
    return AvailabilityOut(
        **found.settings.model_dump(), time_zone=found.time_zone, set_up=found.set_up
    )


@router.get("/therapist/availability", responses=ERRORS)
def get_availability(actor: SignedInUser, db: UnitOfWork) -> AvailabilityOut:
    """Your weekly hours, exceptions from today on, and booking rules (your zone)."""
    return _availability_out(availability.get_availability(db, actor=actor))


@router.put("/therapist/availability", responses=ERRORS)
def put_availability(
    body: AvailabilityInput, actor: SignedInUser, db: UnitOfWork
) -> AvailabilityOut:
    """Replace your weekly hours, exceptions (from today on) and booking rules."""
    return _availability_out(availability.save_availability(db, actor=actor, data=body))
