"""The therapist directory and public profiles: search with filters, ranked for the person's
plan, one page at a time; one therapist's public profile with their next free slots.

Anyone may search (the directory is public); a signed-in client with a stored assessment gets
the order of their own plan unless the query carries one. Profiles are read whole and filtered
in Python: technique, language and training lists are JSON columns, which SQLite and
PostgreSQL query differently, and a clinic's directory is small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import (
    AssessmentRecord,
    Booking,
    BookingSettings,
    Share,
    TherapistProfile,
    User,
)
from sciatica_care.domain import directory as d
from sciatica_care.domain.assessment import field_errors
from sciatica_care.domain.vocabulary import TechniqueId
from sciatica_care.i18n import N_
from sciatica_care.services.access import is_record_id, require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, InvalidInput, NotFound
from sciatica_care.services.therapists import (
    PublicProfile,
    public_profile,
    therapists_with_profiles,
)

PER_PAGE = 10
MAX_PAGE = 1000
MAX_LISTED = 5000

Text = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^\x00-\x1f]*$")]


class DirectoryQuery(BaseModel):
    """A directory search as typed (query string or form). Every field is named when wrong."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    technique: list[TechniqueId] = Field(default_factory=list, max_length=5)
    min_years: int | None = Field(default=None, ge=0, le=70)
    language: Annotated[Text, Field(max_length=40)] = ""
    city: Annotated[Text, Field(max_length=100)] = ""
    near: Annotated[Text, Field(max_length=60)] = ""
    within_km: float | None = Field(default=None, gt=0, le=1000)
    training: list[d.Training] = Field(default_factory=list, max_length=3)
    accepting: bool = False
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    plan_technique: list[TechniqueId] = Field(default_factory=list, max_length=d.PLAN_TECHNIQUES)
    plan_training: list[d.Training] = Field(default_factory=list, max_length=3)
    plan_language: Annotated[Text, Field(max_length=40)] = ""


def parse_query(data: object) -> DirectoryQuery:
    """Validate a search; InvalidInput names every wrong field."""
    try:
        query = DirectoryQuery.model_validate(data)
    except ValidationError as exc:
        problems = [FieldProblem(e.field or "near", e.message) for e in field_errors(exc)]
        raise InvalidInput(problems) from None
    if query.within_km is not None and not query.near:
        raise InvalidInput(
            [FieldProblem("near", N_("give a postcode or 'lat,lon' to search within"))]
        )
    return query


@dataclass(frozen=True, slots=True)
class Entry:
    """One therapist in the directory: the public profile, their place in the order and why."""

    profile: PublicProfile
    accepting_new_clients: bool
    takes_bookings: bool
    distance_km: float | None
    reasons: tuple[str, ...]
    #: The same reasons as parts (kind and what they name), for a page in another language.
    why: tuple[d.Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class DirectoryPage:
    entries: list[Entry]
    total: int
    page: int
    pages: int
    wish: d.PlanWish
    #: Why the order is what it is: "plan" (the person's plan), "query" (carried) or "".
    ranked_by: str


def _listed(clinic_id: str) -> Select[User, TherapistProfile]:
    """The therapists the directory lists: enabled, with a complete profile."""
    return therapists_with_profiles(clinic_id).where(
        User.disabled_at.is_(None), TherapistProfile.licence_number != ""
    )


def _rows(db: Session, clinic_id: str) -> list[tuple[User, TherapistProfile, BookingSettings]]:
    settings = BookingSettings
    query = (
        _listed(clinic_id)
        .add_columns(settings)
        .outerjoin(
            settings, (settings.clinic_id == User.clinic_id) & (settings.therapist_id == User.id)
        )
        .limit(MAX_LISTED)
    )
    return [(u, p, s) for u, p, s in db.execute(query)]


def _listing(profile: PublicProfile, settings: BookingSettings | None) -> d.Listing:
    point = (
        d.Point(profile.latitude, profile.longitude)
        if profile.latitude is not None and profile.longitude is not None
        else None
    )
    return d.Listing(
        user_id=profile.user_id,
        display_name=profile.display_name,
        techniques=profile.techniques,
        languages=profile.languages,
        city=profile.city,
        postcode=profile.postcode,
        years_treating_sciatica=profile.years_treating_sciatica,
        training=profile.training,
        verified=profile.verified,
        accepting_new_clients=settings is not None and settings.accepting_new_clients,
        point=point,
    )


def _place(typed: str, listings: list[d.Listing]) -> d.Point | None:
    if not typed:
        return None
    try:
        point = d.parse_coordinates(typed)
    except ValueError as exc:
        raise InvalidInput([FieldProblem("near", str(exc))]) from None
    point = point or d.resolve_postcode(typed, listings)
    if point is None:
        raise InvalidInput(
            [
                FieldProblem(
                    "near",
                    N_(
                        "we do not know where this postcode is (no therapist here lists it); "
                        "try a nearby postcode, or type coordinates as 'lat,lon'"
                    ),
                )
            ]
        )
    return point


def plan_wish_of(db: Session, *, actor: Actor, language: str = "") -> d.PlanWish:
    """What the actor's latest stored plan asks of a therapist (empty without one)."""
    if actor.role != "client":
        return d.PlanWish()
    record = db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == actor.clinic_id)
        .where(AssessmentRecord.user_id == actor.user_id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(1)
    ).first()
    if record is None:
        return d.PlanWish()
    require_client_access(
        db, actor=actor, client_id=actor.user_id, action="read", record_type="assessment"
    )
    result = record.result or {}
    recommendations = result.get("recommendations") or []
    return d.plan_wish(
        techniques=[r["technique"] for r in recommendations if isinstance(r, dict)],
        rules_fired=result.get("rules_fired") or [],
        language=language,
    )


def search(
    db: Session, *, clinic_id: str, query: DirectoryQuery, viewer: Actor | None
) -> DirectoryPage:
    """One page of the therapists who pass the query's filters, in the order of the plan the
    query carries, else of the signed-in client's latest plan."""
    rows = _rows(db, clinic_id)
    profiles = [(public_profile(u, p), s) for u, p, s in rows]
    listings = [_listing(p, s) for p, s in profiles]
    filters = d.Filters(
        techniques=tuple(query.technique),
        min_years_sciatica=query.min_years,
        language=query.language,
        city=query.city,
        training=tuple(query.training),
        accepting_only=query.accepting,
        near=_place(query.near, listings),
        within_km=query.within_km,
    )
    wish = d.PlanWish(tuple(query.plan_technique), tuple(query.plan_training), query.plan_language)
    ranked_by = "query" if wish else ""
    if not wish and viewer is not None:
        wish = plan_wish_of(db, actor=viewer, language=query.language)
        ranked_by = "plan" if wish.techniques else ""
    found = d.search(listings, filters, wish)
    pages = max(1, -(-len(found) // PER_PAGE))
    shown = found[(query.page - 1) * PER_PAGE : query.page * PER_PAGE]
    by_id = {p.user_id: (p, s) for p, s in profiles}
    entries = [
        Entry(
            profile=by_id[r.listing.user_id][0],
            accepting_new_clients=r.listing.accepting_new_clients,
            takes_bookings=by_id[r.listing.user_id][1] is not None,
            distance_km=r.distance_km,
            reasons=tuple(reason.text for reason in r.reasons),
            why=r.reasons,
        )
        for r in shown
    ]
    db.commit()
    return DirectoryPage(entries, len(found), query.page, pages, wish, ranked_by)


@dataclass(frozen=True, slots=True)
class TherapistCard:
    """A therapist's public profile page: the profile, how they take bookings, and whether
    this viewer books directly ("book") or asks first ("request")."""

    profile: PublicProfile
    time_zone: str
    settings: BookingSettings | None
    mode: str
    session_lengths: tuple[int, ...]


def is_existing_client(db: Session, *, clinic_id: str, therapist_id: str, client_id: str) -> bool:
    """Whether the client already sees this therapist: a share in force, or a session that
    was confirmed or took place."""
    shared = db.scalar(
        select(Share.id).where(
            Share.clinic_id == clinic_id,
            Share.client_id == client_id,
            Share.therapist_id == therapist_id,
            Share.revoked_at.is_(None),
        )
    )
    if shared is not None:
        return True
    booked = db.scalar(
        select(Booking.id).where(
            Booking.clinic_id == clinic_id,
            Booking.client_id == client_id,
            Booking.therapist_id == therapist_id,
            Booking.status.in_(("confirmed", "completed")),
        )
    )
    return booked is not None


def therapist_card(
    db: Session, *, clinic_id: str, therapist_id: str, viewer: Actor | None
) -> TherapistCard:
    """The public profile of one therapist; NotFound unless they have a complete profile."""
    found = None
    if is_record_id(therapist_id):
        found = db.execute(_listed(clinic_id).where(User.id == therapist_id)).first()
    if found is None:
        raise NotFound("therapist")
    user, row = found
    settings = db.get(BookingSettings, (clinic_id, therapist_id))
    mode = "request"
    if settings is not None and (
        settings.new_clients == "book"
        or (
            viewer is not None
            and viewer.role == "client"
            and is_existing_client(
                db, clinic_id=clinic_id, therapist_id=therapist_id, client_id=viewer.user_id
            )
        )
    ):
        mode = "book"
    lengths = tuple(sorted(settings.session_lengths)) if settings is not None else ()
    db.commit()
    return TherapistCard(public_profile(user, row), user.time_zone, settings, mode, lengths)


_LISTS = frozenset(("technique", "training", "plan_technique", "plan_training"))


def query_from_pairs(pairs: Iterable[tuple[str, str]]) -> DirectoryQuery:
    """A search from a query string or GET form: list fields gather their values, the others
    take the last; empty values count as not given."""
    data: dict[str, object] = {}
    lists: dict[str, list[str]] = {}
    for name, value in pairs:
        if not value.strip():
            continue
        if name in _LISTS:
            lists.setdefault(name, []).append(value)
        else:
            data[name] = value
    return parse_query(data | lists)
