"""Triage v2 properties: "both legs" means the same whichever of its three sources says it, and
symptoms in both legs never lower the level (triage.md v2, "Both legs")."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.domain.assessment import both_legs, parse_assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Triage
from sciatica_care.domain.vocabulary import FOOT_REGIONS, LEG_REGIONS, level_rank
from tests.unit.test_properties import KB, PROPERTY, assessment_data

#: Leg regions that count as "both legs" for everyone (feet are the neuropathy exception).
LEGS = sorted(LEG_REGIONS - FOOT_REGIONS)


def one_sided(data: dict[str, Any]) -> dict[str, Any]:
    """The same answers on the left leg only: no region recorded on another side."""
    return {**data, "side": "left", "area_sides": {}}


def triage_of(data: dict[str, Any]) -> Triage:
    return evaluate(parse_assessment(data), KB).triage


def with_region(data: dict[str, Any], sides: dict[str, str]) -> dict[str, Any]:
    areas = list(dict.fromkeys([*data["areas"], *sides]))
    return {**data, "areas": areas, "area_sides": {**data["area_sides"], **sides}}


@PROPERTY
@given(assessment_data(), st.sampled_from(LEGS), st.sampled_from(LEGS))
def test_both_legs_by_any_of_its_three_sources_gives_the_same_triage(
    data: dict[str, Any], region: str, other: str
) -> None:
    base = one_sided(data)
    by_side = {**base, "side": "both"}
    by_both_mark = with_region(base, {region: "both"})
    opposite = {region: "left", other: "right"} if region != other else {region: "both"}
    by_opposite_sides = with_region(base, opposite)
    triages = [triage_of(d) for d in (by_side, by_both_mark, by_opposite_sides)]
    assert all(both_legs(parse_assessment(d)) for d in (by_side, by_both_mark, by_opposite_sides))
    assert len({(t.level, t.massage_hold) for t in triages}) == 1
    assert len({tuple(f.id for f in t.findings) for t in triages}) == 1


@PROPERTY
@given(assessment_data(), st.sampled_from(LEGS))
def test_symptoms_in_both_legs_never_lower_the_level_nor_lift_a_hold(
    data: dict[str, Any], region: str
) -> None:
    base = one_sided(data)
    before = triage_of(base)
    after = triage_of(with_region(base, {region: "both"}))
    assert level_rank(after.level) >= level_rank(before.level)
    assert after.massage_hold or not before.massage_hold


@PROPERTY
@given(assessment_data())
def test_a_rule_with_its_own_instruction_says_it_before_anything_else(
    data: dict[str, Any],
) -> None:
    tri = triage_of(data)
    if tri.level in ("emergency", "urgent"):
        assert tri.advice.startswith(tri.first_action)
        own = [f for f in tri.findings if KB_RULES[f.id].first_action and f.level == tri.level]
        if own:
            assert tri.first_action != KB.levels[tri.level].first_action or len(own) < len(
                [f for f in tri.findings if f.level == tri.level]
            )
        if any(KB_RULES[f.id].first_action == "ambulance_pe" for f in tri.findings):
            assert tri.first_action.startswith("Call 999 or go to A&E now")


KB_RULES = {rule.id: rule for rule in KB.triage_rules}
