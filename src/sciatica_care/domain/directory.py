"""The therapist directory: who passes a search's filters, and the order that serves one
person's plan best, with the reasons shown beside each therapist.

Pure: the service hands in each therapist as a :class:`Listing` and the search as
:class:`Filters` and :class:`PlanWish`. Distances are great-circle (haversine) between the
coordinates on a therapist's profile and the place the person typed ("lat,lon", or a postcode
that a profile in the directory carries); nothing is looked up outside.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, ValidationInfo, field_validator

from sciatica_care.domain.spoken_languages import language_key
from sciatica_care.domain.vocabulary import LABELS, TechniqueId
from sciatica_care.i18n import N_

Training = Literal["pregnancy", "oncology", "lymphoedema"]
TRAININGS: tuple[Training, ...] = ("pregnancy", "oncology", "lymphoedema")

#: The contraindication rules whose precautions ask for a therapist with extra training.
TRAINING_FOR_RULE: dict[str, Training] = {
    "CI-PREGNANCY": "pregnancy",
    "CI-ACTIVE-CANCER": "oncology",
    "CI-LYMPHOEDEMA": "lymphoedema",
}

#: How many of the plan's techniques the directory link carries (best first).
PLAN_TECHNIQUES = 3
EARTH_RADIUS_KM = 6371.0088

#: Why a therapist is ranked where they are: the words, one small table (both faces use it).
REASONS: dict[str, str] = {
    "top_technique": N_("Offers {name}, your top technique"),
    "technique": N_("Offers {name}, suggested in your plan"),
    "training": N_("Trained for {name}, which your plan's precautions ask for"),
    "language": N_("Speaks {name}"),
    "experience": N_("{name} years treating sciatica"),
    "verified": N_("Licence verified by Sciatica Care"),
    "distance": N_("{name} km away"),
}
TRAINING_NAMES: dict[str, str] = {
    "pregnancy": N_("massage in pregnancy"),
    "oncology": N_("massage with cancer (oncology)"),
    "lymphoedema": N_("lymphoedema"),
}


class DirectoryFields(BaseModel):
    """The profile's directory part: where the therapist works (a postcode, and coordinates
    for the distance search) and their extra training."""

    postcode: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=16, pattern=r"^[A-Za-z0-9 -]*$")
    ] = ""
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180, validate_default=True)
    training: list[Training] = Field(default_factory=list, max_length=3)

    @field_validator("longitude")
    @classmethod
    def _both_coordinates(cls, value: float | None, info: ValidationInfo) -> float | None:
        if "latitude" in info.data and (value is None) != (info.data["latitude"] is None):
            raise ValueError("latitude and longitude go together: give both or neither")
        return value


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Listing:
    """One therapist as the directory sees them."""

    user_id: str
    display_name: str
    techniques: tuple[str, ...]
    languages: tuple[str, ...]
    city: str
    postcode: str
    years_treating_sciatica: int
    training: tuple[str, ...]
    verified: bool
    accepting_new_clients: bool
    point: Point | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """What a therapist must match to be listed (empty: anything goes)."""

    techniques: tuple[str, ...] = ()
    min_years_sciatica: int | None = None
    language: str = ""
    city: str = ""
    training: tuple[str, ...] = ()
    accepting_only: bool = False
    near: Point | None = None
    within_km: float | None = None


@dataclass(frozen=True, slots=True)
class PlanWish:
    """What one person's plan asks of a therapist: its top techniques (best first), the
    training its precautions need, and the language they want."""

    techniques: tuple[str, ...] = ()
    training: tuple[str, ...] = ()
    language: str = ""

    def __bool__(self) -> bool:
        return bool(self.techniques or self.training or self.language)


@dataclass(frozen=True, slots=True)
class Reason:
    kind: str
    name: str
    #: What the reason is about, to name it in another language: the technique or training
    #: id, the language as asked for ("" for the others).
    ref: str = ""

    @property
    def text(self) -> str:
        return REASONS[self.kind].format(name=self.name)


@dataclass(frozen=True, slots=True)
class Ranked:
    listing: Listing
    distance_km: float | None
    reasons: tuple[Reason, ...] = field(default=())


def haversine_km(a: Point, b: Point) -> float:
    """The great-circle distance between two points, in kilometres."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_coordinates(text: str) -> Point | None:
    """ "51.45,-2.59" as a point; None when the text is not a pair of coordinates.
    ValueError when it is a pair but off the globe."""
    found = _COORDINATES.match(text)
    if found is None:
        return None
    latitude, longitude = float(found.group(1)), float(found.group(2))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(N_("latitude must be -90 to 90 and longitude -180 to 180"))
    return Point(latitude, longitude)


def normalise_postcode(text: str) -> str:
    """A postcode as compared: upper case, letters and digits only ("bs1 4dj" -> "BS14DJ")."""
    return "".join(c for c in text.upper() if c.isalnum())[:16]


def postcode_area(postcode: str) -> str:
    """The outward part of a UK-style postcode ("BS14DJ" -> "BS1"); others as they are."""
    code = normalise_postcode(postcode)
    return code[:-3] if len(code) >= 5 and code[-3].isdigit() else code


def resolve_postcode(typed: str, listings: Iterable[Listing]) -> Point | None:
    """The place of a postcode known to the directory: the mean of the coordinates of the
    profiles with that exact postcode, else of those in its area (outward code); None when no
    profile with coordinates carries it."""
    wanted = normalise_postcode(typed)
    if not wanted:
        return None
    located = [item for item in listings if item.point is not None and item.postcode]
    for key in (normalise_postcode, postcode_area):
        points = [i.point for i in located if key(i.postcode) == key(wanted) and i.point]
        if points:
            return Point(
                sum(p.latitude for p in points) / len(points),
                sum(p.longitude for p in points) / len(points),
            )
    return None


def _speaks(listing: Listing, language: str) -> bool:
    """Whether the therapist speaks ``language`` (its name in English or Korean, or its code)."""
    return language_key(language) in {language_key(v) for v in listing.languages}


def distance_to(listing: Listing, near: Point | None) -> float | None:
    if near is None or listing.point is None:
        return None
    return haversine_km(near, listing.point)


def matches(listing: Listing, filters: Filters) -> bool:
    """Whether the therapist passes every filter of the search."""
    f = filters
    if not set(f.techniques) <= set(listing.techniques):
        return False
    if f.min_years_sciatica is not None and listing.years_treating_sciatica < f.min_years_sciatica:
        return False
    if f.language and not _speaks(listing, f.language):
        return False
    if f.city and f.city.strip().casefold() != listing.city.strip().casefold():
        return False
    if not set(f.training) <= set(listing.training):
        return False
    if f.accepting_only and not listing.accepting_new_clients:
        return False
    if f.within_km is not None and f.near is not None:
        distance = distance_to(listing, f.near)
        if distance is None or distance > f.within_km:
            return False
    return True


def _reasons(listing: Listing, wish: PlanWish, distance: float | None) -> list[Reason]:
    reasons: list[Reason] = []
    for rank, technique in enumerate(wish.techniques):
        if technique in listing.techniques:
            kind = "top_technique" if rank == 0 else "technique"
            name = LABELS["techniques"].get(technique, technique).lower()
            reasons.append(Reason(kind, name, technique))
    reasons += [
        Reason("training", TRAINING_NAMES.get(t, t), t)
        for t in wish.training
        if t in listing.training
    ]
    if wish.language and _speaks(listing, wish.language):
        reasons.append(Reason("language", wish.language.strip(), wish.language.strip()))
    if listing.years_treating_sciatica:
        reasons.append(Reason("experience", str(listing.years_treating_sciatica)))
    if listing.verified:
        reasons.append(Reason("verified", ""))
    if distance is not None:
        reasons.append(
            Reason("distance", f"{distance:.1f}" if distance < 10 else f"{distance:.0f}")
        )
    return reasons


def _key(ranked: Ranked, wish: PlanWish) -> tuple[object, ...]:
    item = ranked.listing
    offered = set(item.techniques)
    # The plan's first technique outweighs all the others together.
    technique_score = sum(
        (2 ** (len(wish.techniques) - i)) for i, t in enumerate(wish.techniques) if t in offered
    )
    training = sum(1 for t in wish.training if t in item.training)
    language = bool(wish.language) and _speaks(item, wish.language)
    far = ranked.distance_km if ranked.distance_km is not None else math.inf
    return (
        -technique_score,
        -training,
        not language,
        -item.years_treating_sciatica,
        not item.verified,
        far,
        item.display_name.casefold(),
        item.user_id,
    )


def search(listings: Sequence[Listing], filters: Filters, wish: PlanWish) -> list[Ranked]:
    """The therapists who pass ``filters``, best for ``wish`` first: the plan's top techniques,
    the training its precautions need, the language; then experience, verified first, nearer
    first. Each comes with the reasons for its place."""
    found = []
    for listing in listings:
        if not matches(listing, filters):
            continue
        distance = distance_to(listing, filters.near)
        found.append(Ranked(listing, distance, tuple(_reasons(listing, wish, distance))))
    return sorted(found, key=lambda r: _key(r, wish))


def plan_wish(
    *,
    techniques: Sequence[TechniqueId],
    rules_fired: Iterable[str],
    language: str = "",
) -> PlanWish:
    """What a plan asks of a therapist: its first techniques (in the plan's order) and the
    training that its fired precautions need."""
    fired = set(rules_fired)
    training = tuple(t for rule, t in TRAINING_FOR_RULE.items() if rule in fired)
    return PlanWish(tuple(techniques[:PLAN_TECHNIQUES]), training, language)
