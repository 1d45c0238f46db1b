"""Triage of the answers so far: a lower bound the wizard may stop on, never above the truth."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.early_triage import early_triage
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.vocabulary import level_rank
from sciatica_care.knowledge.loader import knowledge_base
from tests.unit.test_properties import PROPERTY, assessment_data

KB = knowledge_base()


def level(partial: dict[str, Any]) -> str:
    return early_triage(partial, KB).level


def test_nothing_answered_yet_needs_no_care(kb: KnowledgeBase) -> None:
    verdict = early_triage({}, kb)
    assert verdict.level == "self_care" and not verdict.stop


@pytest.mark.parametrize(
    "flag", ["saddle_numbness", "bladder_dysfunction", "bilateral_leg_symptoms", "clot_symptoms"]
)
def test_an_emergency_answer_stops_whatever_is_still_unanswered(flag: str) -> None:
    verdict = early_triage({"red_flags": [flag]}, KB)
    assert verdict.level == "emergency" and verdict.stop
    assert verdict.result.recommendations == []


@pytest.mark.parametrize("flag", ["progressive_weakness", "foot_drop", "fever", "calf_swelling"])
def test_an_urgent_answer_stops_too(flag: str) -> None:
    verdict = early_triage({"side": "left", "back_pain": 2, "red_flags": [flag]}, KB)
    assert verdict.level == "urgent" and verdict.stop


def test_a_flag_that_is_urgent_only_with_an_unanswered_age_does_not_stop() -> None:
    # Cancer history is urgent from 50; the age is asked later, so it could still be under 50.
    assert level({"red_flags": ["cancer_history"]}) == "see_clinician"
    assert level({"red_flags": ["cancer_history"], "age": 50}) == "urgent"


def test_calmer_answers_do_not_stop_the_wizard() -> None:
    partial = {"back_pain": 9, "leg_pain": 9, "side": "left", "trend": "worsening"}
    assert not early_triage(partial, KB).stop


def test_not_seen_by_a_clinician_counts_only_once_answered() -> None:
    assert level({"side": "left"}) == "self_care"
    assert level({"side": "left", "seen_clinician": False}) == "see_clinician"


def test_both_legs_worsening_stops_even_before_the_safety_questions() -> None:
    assert level({"side": "both", "trend": "worsening"}) == "emergency"


def test_wrong_answers_count_as_unanswered_and_never_raise() -> None:
    partial = {"age": "old", "back_pain": 11, "red_flags": ["fever", "nonsense"], "x": 1}
    assert early_triage(partial, KB).level in ("self_care", "see_clinician", "urgent")
    assert early_triage({"age": "old", "red_flags": ["fever"]}, KB).level == "urgent"


def test_the_reasons_name_only_what_was_answered() -> None:
    verdict = early_triage({"red_flags": ["saddle_numbness"]}, KB)
    assert [f.id for f in verdict.result.triage.findings] == ["TRI-EM-CES-SADDLE"]


@st.composite
def answered_so_far(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A complete assessment, and part of it: some fields, and some of each list, answered."""
    full = draw(assessment_data())
    partial: dict[str, Any] = {}
    for name, value in full.items():
        if not draw(st.booleans()):
            continue
        if isinstance(value, list):
            value = [v for v in value if draw(st.booleans())]
        partial[name] = value
    if "area_sides" in partial:
        areas = partial.get("areas", [])
        partial["area_sides"] = {r: s for r, s in partial["area_sides"].items() if r in areas}
    return partial, full


@PROPERTY
@given(answered_so_far())
def test_the_early_verdict_is_never_above_the_full_evaluation(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    partial, full = case
    early = early_triage(partial, KB).level
    final = evaluate(parse_assessment(full), KB).triage.level
    assert level_rank(early) <= level_rank(final), (early, final)


@PROPERTY
@given(assessment_data())
def test_with_every_answer_given_the_early_verdict_is_the_evaluation(data: dict[str, Any]) -> None:
    assert early_triage(data, KB).level == evaluate(parse_assessment(data), KB).triage.level


def test_numb_feet_on_both_sides_do_not_stop_before_the_conditions_are_answered(
    kb: KnowledgeBase,
) -> None:
    """Both feet marked, new and unexamined: an emergency, unless peripheral neuropathy
    explains the feet (triage.md v2); until the conditions are answered, carry on."""
    so_far = {
        "back_pain": 2,
        "leg_pain": 5,
        "side": "left",
        "areas": ["foot_sole"],
        "area_sides": {"foot_sole": "both"},
        "duration_weeks": 2,
        "seen_clinician": False,
    }
    assert not early_triage(so_far, kb).stop
    neuropathy = evaluate(
        parse_assessment({**so_far, "age": 60, "conditions": ["peripheral_neuropathy"]}), kb
    )
    assert neuropathy.triage.level == "see_clinician"
    assert early_triage({**so_far, "conditions": []}, kb).stop
