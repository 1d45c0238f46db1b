"""The directory's filters and order (pure): distance, postcodes, the plan's order and its
reasons, and a property: a filter never lets through a therapist who fails it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.domain.directory import (
    TRAININGS,
    Filters,
    Listing,
    PlanWish,
    Point,
    haversine_km,
    matches,
    parse_coordinates,
    plan_wish,
    postcode_area,
    resolve_postcode,
    search,
)
from sciatica_care.domain.vocabulary import TECHNIQUES

BRISTOL = Point(51.4545, -2.5879)
CARDIFF = Point(51.4816, -3.1791)


def listing(name: str, **changes: object) -> Listing:
    base: dict[str, object] = {
        "user_id": name,
        "display_name": name,
        "techniques": ("swedish",),
        "languages": ("English",),
        "city": "Bristol",
        "postcode": "",
        "years_treating_sciatica": 5,
        "training": (),
        "verified": True,
        "accepting_new_clients": True,
        "point": None,
    }
    return Listing(**{**base, **changes})  # type: ignore[arg-type]


def test_distance_between_bristol_and_cardiff_is_about_41_km() -> None:
    assert haversine_km(BRISTOL, CARDIFF) == pytest.approx(41.3, abs=0.5)
    assert haversine_km(BRISTOL, BRISTOL) == 0


def test_coordinates_are_read_and_checked() -> None:
    assert parse_coordinates("51.45, -2.59") == Point(51.45, -2.59)
    assert parse_coordinates("BS1 4DJ") is None
    with pytest.raises(ValueError, match="latitude"):
        parse_coordinates("95, 10")


def test_a_postcode_is_placed_by_the_profiles_that_carry_it_or_its_area() -> None:
    here = [listing("a", postcode="BS1 4DJ", point=BRISTOL), listing("b", postcode="CF10 1EP")]
    assert resolve_postcode("bs14dj", here) == BRISTOL
    assert resolve_postcode("BS1 5XX", here) == BRISTOL  # same area, BS1
    assert resolve_postcode("CF10 1EP", here) is None  # known, but without coordinates
    assert resolve_postcode("ZZ9 9ZZ", here) is None
    assert postcode_area("BS14DJ") == "BS1"


def test_each_filter_keeps_out_who_fails_it() -> None:
    alex = listing("alex", techniques=("swedish", "myofascial_release"), point=BRISTOL)
    sian = listing("sian", city="Cardiff", languages=("Welsh", "English"), point=CARDIFF)
    tom = listing("tom", verified=False, accepting_new_clients=False, training=("oncology",))
    people = [alex, sian, tom]

    def names(filters: Filters) -> list[str]:
        return sorted(r.listing.user_id for r in search(people, filters, PlanWish()))

    assert names(Filters(techniques=("myofascial_release",))) == ["alex"]
    assert names(Filters(language="welsh")) == ["sian"]
    assert names(Filters(city="cardiff ")) == ["sian"]
    assert names(Filters(training=("oncology",))) == ["tom"]
    assert names(Filters(accepting_only=True)) == ["alex", "sian"]
    assert names(Filters(near=BRISTOL, within_km=10)) == ["alex"]
    assert names(Filters(near=BRISTOL, within_km=50)) == ["alex", "sian"]
    assert names(Filters(min_years_sciatica=6)) == []


def test_the_plan_orders_by_technique_then_training_then_language_then_experience() -> None:
    wish = PlanWish(("myofascial_release", "swedish"), ("pregnancy",), "Korean")
    people = [
        listing("veteran", years_treating_sciatica=30),
        listing("top", techniques=("myofascial_release",)),
        listing("top_trained", techniques=("myofascial_release",), training=("pregnancy",)),
        listing(
            "top_trained_korean",
            techniques=("myofascial_release",),
            training=("pregnancy",),
            languages=("Korean",),
            years_treating_sciatica=1,
        ),
        listing("second_only", techniques=("swedish",), years_treating_sciatica=40),
    ]
    order = [r.listing.user_id for r in search(people, Filters(), wish)]
    assert order == ["top_trained_korean", "top_trained", "top", "second_only", "veteran"]
    first = search(people, Filters(), wish)[0]
    texts = [reason.text for reason in first.reasons]
    assert texts[0] == "Offers myofascial release, your top technique"
    assert "Speaks Korean" in texts


def test_without_a_plan_experience_then_verified_first() -> None:
    people = [
        listing("new", years_treating_sciatica=2),
        listing("unverified", years_treating_sciatica=9, verified=False),
        listing("verified", years_treating_sciatica=9),
    ]
    order = [r.listing.user_id for r in search(people, Filters(), PlanWish())]
    assert order == ["verified", "unverified", "new"]


def test_the_plan_asks_for_the_training_its_precautions_need() -> None:
    wish = plan_wish(
        techniques=["swedish", "myofascial_release", "hot_stone", "trigger_point"],
        rules_fired=["CI-PREGNANCY", "CI-LYMPHOEDEMA", "ADJ-X"],
    )
    assert wish.techniques == ("swedish", "myofascial_release", "hot_stone")
    assert wish.training == ("pregnancy", "lymphoedema")


listings = st.builds(
    Listing,
    user_id=st.uuids().map(str),
    display_name=st.text(max_size=5),
    techniques=st.lists(st.sampled_from(TECHNIQUES), unique=True).map(tuple),
    languages=st.lists(st.sampled_from(["English", "Korean", "Welsh"]), unique=True).map(tuple),
    city=st.sampled_from(["Bristol", "Cardiff", "London"]),
    postcode=st.just(""),
    years_treating_sciatica=st.integers(0, 40),
    training=st.lists(st.sampled_from(TRAININGS), unique=True).map(tuple),
    verified=st.booleans(),
    accepting_new_clients=st.booleans(),
    point=st.none() | st.builds(Point, st.floats(50, 55), st.floats(-4, 1)),
)
filters = st.builds(
    Filters,
    techniques=st.lists(st.sampled_from(TECHNIQUES), max_size=2, unique=True).map(tuple),
    min_years_sciatica=st.none() | st.integers(0, 40),
    language=st.sampled_from(["", "english", "Korean"]),
    city=st.sampled_from(["", "Bristol", "cardiff"]),
    training=st.lists(st.sampled_from(TRAININGS), max_size=2, unique=True).map(tuple),
    accepting_only=st.booleans(),
    near=st.none() | st.just(BRISTOL),
    within_km=st.none() | st.floats(1, 300),
)
wishes = st.builds(
    PlanWish,
    techniques=st.lists(st.sampled_from(TECHNIQUES), max_size=3, unique=True).map(tuple),
    training=st.lists(st.sampled_from(TRAININGS), max_size=2, unique=True).map(tuple),
    language=st.sampled_from(["", "Korean"]),
)


@given(st.lists(listings, max_size=12), filters, wishes)
def test_filters_never_return_a_therapist_that_fails_them(
    people: list[Listing], wanted: Filters, wish: PlanWish
) -> None:
    found = search(people, wanted, wish)
    for ranked in found:
        item = ranked.listing
        assert set(wanted.techniques) <= set(item.techniques)
        assert set(wanted.training) <= set(item.training)
        if wanted.min_years_sciatica is not None:
            assert item.years_treating_sciatica >= wanted.min_years_sciatica
        if wanted.language:
            assert wanted.language.casefold() in {lang.casefold() for lang in item.languages}
        if wanted.city:
            assert item.city.casefold() == wanted.city.casefold()
        if wanted.accepting_only:
            assert item.accepting_new_clients
        if wanted.near is not None and wanted.within_km is not None:
            assert item.point is not None
            assert haversine_km(wanted.near, item.point) <= wanted.within_km
    # And nobody who passes is left out.
    assert len(found) == sum(1 for p in people if matches(p, wanted))
