"""Safety properties that hold for every valid assessment, checked with hypothesis.

Assessments are generated from the public vocabulary (``domain/vocabulary.py``), with the
clinical thresholds (ages 17/18, 49/50, 64/65, 69/70; pain 6/7/8; 5.9/6/11.9/12 weeks) drawn
often. The runs are derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_care.domain.assessment import Assessment, both_legs, parse_assessment
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.recommendation import recommend
from sciatica_care.domain.result import Result
from sciatica_care.domain.rules import facts_of
from sciatica_care.domain.vocabulary import (
    AGGRAVATORS,
    CONDITIONS,
    DIAGNOSES,
    GOALS,
    PRESSURES,
    RED_FLAGS,
    REGIONS,
    RESPONSES,
    SEXES,
    SIDES,
    SYMPTOMS,
    TECHNIQUES,
    TRENDS,
    level_rank,
)
from sciatica_care.knowledge.loader import DATA_DIR, knowledge_base, load_knowledge_base
from tests.conftest import baseline

KB = knowledge_base()
PROPERTY = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
EMERGENCY_FLAGS = (
    "saddle_numbness",
    "bladder_dysfunction",
    "bowel_dysfunction",
    "sexual_dysfunction",
    "bilateral_leg_symptoms",
    "clot_symptoms",
    "significant_trauma",
)
URGENT_FLAGS = ("progressive_weakness", "foot_drop", "fever", "calf_swelling")


def _some(values: tuple[str, ...], most: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), unique=True, max_size=most)


def _few(values: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """None, one, or up to three: most people answer no to most safety questions."""
    return st.just([]) | _some(values, 1) | _some(values, 3)


def _with_sides(areas: list[str]) -> st.SearchStrategy[tuple[list[str], dict[str, str]]]:
    """The marked areas, and a side for some of them (as the web body map records)."""
    if not areas:
        return st.tuples(st.just(areas), st.just({}))
    sides = st.dictionaries(st.sampled_from(areas), st.sampled_from(SIDES))
    return st.tuples(st.just(areas), sides)


AREAS_AND_SIDES = _some(REGIONS, 5).flatmap(_with_sides)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "age": st.sampled_from([12, 17, 18, 49, 50, 64, 65, 69, 70, 110]) | st.integers(12, 110),
    "back_pain": st.sampled_from([6, 7]) | st.integers(0, 10),
    "leg_pain": st.sampled_from([6, 7, 8]) | st.integers(0, 10),
    "side": st.sampled_from(SIDES),
    "duration_weeks": st.sampled_from([0.0, 5.9, 6.0, 11.9, 12.0])
    | st.floats(0, 520, allow_nan=False, allow_infinity=False),
    "trend": st.sampled_from(TRENDS),
    "first_episode": st.booleans(),
    "seen_clinician": st.booleans(),
    "diagnosis": st.sampled_from(DIAGNOSES),
    "symptoms": _some(SYMPTOMS, 4),
    "aggravated_by": _some(AGGRAVATORS, 3),
    "red_flags": _few(RED_FLAGS),
    "conditions": _few(CONDITIONS),
    "pressure_preference": st.sampled_from(PRESSURES),
    "goals": _some(GOALS, 4),
    "prior_response": st.dictionaries(
        st.sampled_from(TECHNIQUES), st.sampled_from(RESPONSES), max_size=3
    ),
}
SEX = st.none() | st.sampled_from(SEXES)


@st.composite
def assessment_data(draw: st.DrawFn) -> dict[str, Any]:
    """A valid assessment as decoded JSON, drawn from the whole vocabulary."""
    areas, area_sides = draw(AREAS_AND_SIDES)
    data: dict[str, Any] = {name: draw(strategy) for name, strategy in FIELDS.items()}
    data["areas"], data["area_sides"] = areas, area_sides
    sex = draw(SEX)
    if sex is not None:
        data["sex"] = sex
    if sex in (None, "female"):
        data["pregnant"] = draw(st.booleans())
    return data


def assessments() -> st.SearchStrategy[Assessment]:
    return assessment_data().map(parse_assessment)


def plus(data: dict[str, Any], field: str, value: str) -> Assessment:
    """The same answers with one more id in a list field."""
    changed = dict(data)
    changed[field] = [*data[field], value] if value not in data[field] else list(data[field])
    return parse_assessment(changed)


def recommended(result: Result) -> set[str]:
    return {r.technique for r in result.recommendations}


def explains_the_feet(before: Assessment, after: Assessment) -> bool:
    """The one documented exception (triage.md v2, "Both legs"): numb feet on both sides are
    not "both legs" in a person with peripheral neuropathy (a symmetric neuropathy, not
    sciatica), so adding that condition may take "both legs" away. Everywhere else a condition
    only ever adds."""
    return both_legs(before) and not both_legs(after)


# Triage only ever escalates --------------------------------------------------------------------
@PROPERTY
@given(assessment_data())
def test_a_red_flag_or_condition_never_lowers_the_level_nor_lifts_a_hold(
    data: dict[str, Any],
) -> None:
    """Each red flag and each condition is added in turn to the same answers."""
    start = parse_assessment(data)
    before = evaluate(start, KB).triage
    additions = [("red_flags", f) for f in RED_FLAGS] + [("conditions", c) for c in CONDITIONS]
    for field, value in additions:
        changed = plus(data, field, value)
        if explains_the_feet(start, changed):
            continue
        after = evaluate(changed, KB).triage
        assert level_rank(after.level) >= level_rank(before.level), value
        assert after.massage_hold or not before.massage_hold, value


# Each technique once, ranked -------------------------------------------------------------------
@PROPERTY
@given(assessments())
def test_each_technique_is_either_recommended_or_excluded_exactly_once(a: Assessment) -> None:
    result = evaluate(a, KB)
    ranked = [r.technique for r in result.recommendations]
    dropped = [e.technique for e in result.excluded]
    assert set(ranked).isdisjoint(dropped), "an excluded technique was recommended"
    assert sorted(ranked + dropped) == sorted(TECHNIQUES)
    assert all(e.reasons for e in result.excluded), "every exclusion says why"
    assert [r.rank for r in result.recommendations] == list(range(1, len(ranked) + 1))


# Emergency and urgent: no massage, and go now --------------------------------------------------
@PROPERTY
@given(assessment_data(), st.sampled_from(EMERGENCY_FLAGS + URGENT_FLAGS))
def test_at_emergency_or_urgent_nothing_is_recommended(data: dict[str, Any], flag: str) -> None:
    result = evaluate(plus(data, "red_flags", flag), KB)
    assert result.triage.level in ("emergency", "urgent")
    assert result.triage.massage_hold
    assert result.recommendations == []
    assert {e.technique for e in result.excluded} == set(TECHNIQUES)
    assert result.session is None


@PROPERTY
@given(assessment_data(), st.sampled_from(EMERGENCY_FLAGS))
def test_an_emergency_says_go_now_and_gives_no_self_care(data: dict[str, Any], flag: str) -> None:
    result = evaluate(plus(data, "red_flags", flag), KB)
    assert result.triage.level == "emergency"
    assert result.triage.headline.startswith("Go to an emergency department")
    assert result.triage.findings[0].level == "emergency"
    assert result.self_care == []
    assert result.self_care_plan == []
    assert result.exercises_to_avoid == []


@PROPERTY
@given(assessments())
def test_levels_holds_and_provisional_agree(a: Assessment) -> None:
    result = evaluate(a, KB)
    tri = result.triage
    if tri.level in ("emergency", "urgent"):
        assert tri.massage_hold and result.recommendations == []
    if tri.level == "emergency":
        assert result.self_care == []
        assert tri.headline.startswith("Go to an emergency department")
    # (i) a see_clinician plan without a hold is shown, but as provisional
    assert result.provisional is (tri.level == "see_clinician" and not tri.massage_hold)
    if tri.massage_hold:
        assert result.recommendations == []


# Contraindications only ever take away ---------------------------------------------------------
def with_contraindication(data: dict[str, Any], kind: str, value: str) -> dict[str, Any]:
    changed = dict(data)
    if kind == "condition":
        changed["conditions"] = list(dict.fromkeys([*data["conditions"], value]))
    elif kind == "pregnant":
        changed["pregnant"] = True
    else:
        changed["prior_response"] = {**data["prior_response"], value: "worse"}
    return changed


CONTRAINDICATIONS = (
    [("condition", c) for c in CONDITIONS]
    + [("pregnant", "yes")]
    + [("worse", t) for t in TECHNIQUES]
)


@PROPERTY
@given(assessment_data())
def test_a_contraindication_never_adds_a_technique(data: dict[str, Any]) -> None:
    """Each condition, pregnancy, and each worse prior response is added in turn."""
    if data.get("sex") not in (None, "female"):
        data = {**data, "sex": "female"}
    start = parse_assessment(data)
    before = recommended(evaluate(start, KB))
    for kind, value in CONTRAINDICATIONS:
        changed = parse_assessment(with_contraindication(data, kind, value))
        if explains_the_feet(start, changed):
            continue
        after = recommended(evaluate(changed, KB))
        assert after <= before, (kind, value)
        if kind == "worse":
            assert value not in after


# Same answers, same result ---------------------------------------------------------------------
@PROPERTY
@given(assessment_data())
def test_the_result_is_deterministic_and_stamped_with_the_knowledge_version(
    data: dict[str, Any],
) -> None:
    first = evaluate(parse_assessment(data), KB)
    again = evaluate(parse_assessment(dict(data)), KB)
    assert first.model_dump_json() == again.model_dump_json()
    assert first.knowledge_version == KB.version
    assert first.knowledge_version


# =================================================================================================
# v2 — pressure caps (clinical/techniques.md "v2 — pressure caps"). The caps are written here as
# the spec states them, not read from contraindications.yaml, so a cap missing from the data
# fails. The pressure is checked as the plan shows it and at the matrix level (before triage),
# so caps behind a massage hold (cancer) are checked too.
# =================================================================================================
PRESSURE_ORDER = {"light": 0, "medium": 1, "firm": 2}
BELOW_THE_KNEE = ("calf_back", "calf_side", "shin", "foot_top", "foot_sole", "heel", "toes")
NERVE_ROOT_SYMPTOMS = ("numbness", "tingling", "burning", "shooting", "weakness")
#: Conditions, red flags and symptoms that cap every technique at light pressure.
LIGHT_FOR_EVERY_TECHNIQUE = {
    "conditions": (
        "osteoporosis",  # fragile bone
        "dvt_history",
        "recent_spinal_surgery",
        "active_cancer",
        "lymphoedema",
        "reduced_sensation",  # numb skin
        "peripheral_neuropathy",
        "anticoagulants",  # bleeding risk
        "bleeding_disorder",
        "low_platelets",
    ),
    "red_flags": ("long_term_steroids", "cancer_history"),
    "symptoms": ("numbness",),
}


def pressure_caps(a: Assessment) -> dict[str, tuple[str, list[str]]]:
    """The highest pressure the spec allows for each technique, with the reasons it is capped."""
    caps: dict[str, tuple[str, list[str]]] = {t: ("firm", []) for t in TECHNIQUES}

    def cap(techniques: tuple[str, ...], most: str, why: str) -> None:
        for t in techniques:
            current, reasons = caps[t]
            lowest = min(current, most, key=PRESSURE_ORDER.__getitem__)
            caps[t] = (lowest, [*reasons, why])

    answered = {"conditions": a.conditions, "red_flags": a.red_flags, "symptoms": a.symptoms}
    for field, ids in LIGHT_FOR_EVERY_TECHNIQUE.items():
        for answer in sorted(set(ids) & set(answered[field])):
            cap(TECHNIQUES, "light", answer)
    if "antiplatelets" in a.conditions:
        cap(("deep_tissue",), "medium", "antiplatelets")
    if set(a.symptoms) & set(NERVE_ROOT_SYMPTOMS) or set(a.areas) & set(BELOW_THE_KNEE):
        cap(TECHNIQUES, "medium", "nerve-root picture")
    if a.leg_pain >= 7 or a.back_pain >= 7 or a.trend == "worsening":
        cap(("trigger_point",), "light", "high irritability")
    if a.pregnant:
        cap(("trigger_point",), "medium", "pregnant")
    return caps


def cap_violations(a: Assessment, kb: KnowledgeBase) -> list[str]:
    """Every recommendation whose pressure exceeds a cap that applies, in words."""
    caps = pressure_caps(a)
    facts = kb.derive(facts_of(a))
    before_triage, _, _ = recommend(
        facts, kb, pressure_preference=a.pressure_preference, session_minutes="60"
    )
    shown = evaluate(a, kb).recommendations
    found = []
    for where, recommendations in (("plan", shown), ("matrix", before_triage)):
        for r in recommendations:
            most, why = caps[r.technique]
            if PRESSURE_ORDER[r.pressure] > PRESSURE_ORDER[most]:
                found.append(f"{where}: {r.technique} at {r.pressure}, cap {most} ({why})")
    return found


#: Each answer that brings a cap, added in turn to the generated answers.
CAPPING_ANSWERS = (
    [("conditions", c) for c in CONDITIONS]
    + [("red_flags", f) for f in ("long_term_steroids", "cancer_history")]
    + [("symptoms", "numbness")]
)


@PROPERTY
@given(assessment_data())
def test_no_pressure_shown_exceeds_a_cap_that_applies(data: dict[str, Any]) -> None:
    """Each capping answer is added in turn: to the answers as given and to the same answers
    without symptoms or areas (so that the nerve-root cap does not hide a lower one); each
    with the pressure asked for and with firm pressure (where a missing cap would show)."""
    calm = {**data, "symptoms": [], "areas": [], "area_sides": {}}
    for answers in (data, calm):
        for preference in dict.fromkeys([answers["pressure_preference"], "firm"]):
            asked = {**answers, "pressure_preference": preference}
            assert cap_violations(parse_assessment(asked), KB) == []
            for field, value in CAPPING_ANSWERS:
                a = plus(asked, field, value)
                assert cap_violations(a, KB) == [], (field, value)


@pytest.mark.parametrize(
    ("row", "cell", "answers"),
    [
        ("CI-FRAGILE-BONE", "swedish", {"conditions": ["osteoporosis"]}),
        ("CI-NUMBNESS", "deep_tissue", {"symptoms": ["numbness"]}),
        ("CI-ANTIPLATELETS", "deep_tissue", {"conditions": ["antiplatelets"]}),
        ("CI-NERVE-ROOT", "swedish", {"symptoms": ["tingling"]}),
        ("CI-CANCER-HISTORY", "swedish", {"red_flags": ["cancer_history"]}),
    ],
    ids=["fragile-bone", "numbness", "antiplatelets", "nerve-root", "cancer-in-the-past"],
)
def test_the_cap_check_fails_when_a_cap_is_taken_out_of_the_data(
    tmp_path: Path, row: str, cell: str, answers: dict[str, Any]
) -> None:
    """The property can fail: drop one cap from a copy of the data and it finds the breach."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "contraindications.yaml"
    rows = path.read_text().split("  - id: ")
    (at,) = [n for n, text in enumerate(rows) if text.startswith(f"{row}\n")]
    lines = rows[at].splitlines(keepends=True)
    (line,) = [n for n, text in enumerate(lines) if text.startswith(f"      {cell}: ")]
    uncapped = re.sub(r", max_pressure: \w+", "", lines[line])
    assert uncapped != lines[line], "the cell must have had a cap"
    lines[line] = uncapped
    rows[at] = "".join(lines)
    path.write_text("  - id: ".join(rows))
    a = parse_assessment(baseline(pressure_preference="firm", **answers))
    assert cap_violations(a, KB) == []
    assert cap_violations(a, load_knowledge_base(data)) != []
