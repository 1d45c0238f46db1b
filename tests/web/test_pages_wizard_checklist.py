"""The shorter wizard: safety questions as grouped checklists with "None of these", earlier
massage asked as "which have you had" then "how did it go", and the body map's targets."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from fastapi.testclient import TestClient

from sciatica_care.domain.red_flag_groups import GROUP_OF, RED_FLAG_GROUPS
from sciatica_care.domain.vocabulary import RED_FLAGS, REGIONS
from sciatica_care.web.pages.body_map import ALL_ZONES, BACK_ZONES, FRONT_ZONES, MIN_TARGET
from sciatica_care.web.pages.wizard_form import answers_from_assessment, read_wizard
from tests.web.test_pages_support import csrf_of, pages, post_form, wizard_answers

__all__ = ["pages"]

ALL_NONE = [g.id for g in RED_FLAG_GROUPS]


def checklist_answers(**changes: Any) -> dict[str, Any]:
    """A calm, complete set of answers in the checklist's own shape (no ``rf_ID=no``)."""
    form = {k: v for k, v in wizard_answers().items() if not k.startswith("rf_")}
    form.update({"rf_none": ALL_NONE, "prior_had": ""})
    form.update(changes)
    return form


def as_answers(form: dict[str, Any]) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in form.items()}


def test_every_red_flag_is_in_exactly_one_group() -> None:
    grouped = [f for g in RED_FLAG_GROUPS for f in g.flags]
    assert sorted(grouped) == sorted(RED_FLAGS)
    assert all(g.flags[0] != "bilateral_leg_symptoms" for g in RED_FLAG_GROUPS)


def test_none_of_these_records_an_explicit_no_for_every_question_of_its_group() -> None:
    outcome = read_wizard(as_answers(checklist_answers()))
    assert outcome.errors == []
    assert outcome.assessment is not None and outcome.assessment.red_flags == []


def test_a_ticked_question_is_yes_and_the_rest_of_its_answered_group_is_no() -> None:
    none = [g for g in ALL_NONE if g != "health"]
    outcome = read_wizard(as_answers(checklist_answers(rf_none=none, rf_night_pain="yes")))
    assert outcome.errors == []
    assert outcome.assessment is not None and outcome.assessment.red_flags == ["night_pain"]


def test_a_group_with_nothing_ticked_is_not_answered_and_is_named(pages: TestClient) -> None:
    form = checklist_answers(rf_none=[g for g in ALL_NONE if g != "clot"])
    response = post_form(pages, "/assessment", "/assessment", form)
    assert response.status_code == 422
    assert 'href="#field-rf-group-clot"' in response.text
    assert "Safety questions “Signs of a blood clot”: tick what applies" in response.text
    assert 'id="field-rf-group-clot" name="rf_calf_swelling"' in response.text


def test_none_of_these_and_a_question_of_the_same_group_is_an_error_not_a_guess() -> None:
    outcome = read_wizard(as_answers(checklist_answers(rf_minor_trauma="yes")))
    assert outcome.assessment is None
    assert [e.anchor for e in outcome.errors] == ["field-rf-group-start"]
    assert "untick one" in outcome.errors[0].message


def test_a_yes_in_the_checklist_still_stops_the_wizard_at_once(pages: TestClient) -> None:
    form = {"back_pain": "4", "leg_pain": "6", "rf_bowel_dysfunction": "yes", "upto": "4"}
    stop = post_form(pages, "/assessment", "/assessment", form).text
    assert '<form method="post" action="/assessment/edit">' in stop, "the stop page"
    assert "Step 5 of 6" not in stop
    token_page = pages.get("/assessment").text
    verdict = pages.post(
        "/assessment/triage",
        data={"rf_calf_swelling": "yes", "csrftoken": csrf_of(token_page)},
    ).json()
    assert verdict["stop"] is True


def test_the_checklist_is_filled_in_again_from_a_stored_assessment(pages: TestClient) -> None:
    form = checklist_answers(rf_none=[g for g in ALL_NONE if g != "health"], rf_fever="yes")
    outcome = read_wizard(as_answers(form))
    assert outcome.assessment is not None
    again = answers_from_assessment(outcome.assessment)
    assert "health" not in again["rf_none"] and set(again["rf_none"]) == set(ALL_NONE) - {"health"}
    assert read_wizard(again).assessment == outcome.assessment
    assert GROUP_OF["fever"].id == "health"


def test_how_earlier_massage_went_counts_only_for_the_kinds_ticked() -> None:
    form = checklist_answers(
        prior_had=["", "swedish"], prior_swedish="helped", prior_deep_tissue="worse"
    )
    outcome = read_wizard(as_answers(form))
    assert outcome.assessment is not None
    assert outcome.assessment.prior_response == {"swedish": "helped"}


def test_a_kind_of_massage_ticked_without_how_it_went_is_named() -> None:
    outcome = read_wizard(as_answers(checklist_answers(prior_had=["", "hot_stone"])))
    assert outcome.assessment is None
    assert [(e.anchor, e.name) for e in outcome.errors] == [
        ("field-prior-hot_stone", "How Hot stone massage went")
    ]


def test_pregnancy_is_one_box_among_the_conditions(pages: TestClient) -> None:
    html = pages.get("/assessment").text
    assert 'id="field-pregnant" name="pregnant" value="yes"' in html
    outcome = read_wizard(as_answers(checklist_answers(pregnant="yes")))
    assert outcome.assessment is not None and outcome.assessment.pregnant is True
    unticked = {k: v for k, v in checklist_answers().items() if k != "pregnant"}
    outcome = read_wizard(as_answers(unticked))
    assert outcome.assessment is not None and outcome.assessment.pregnant is False


def test_every_body_map_target_is_big_enough_and_none_overlaps() -> None:
    assert {(z.region, z.side) for z in ALL_ZONES} == {
        (r, s) for r in REGIONS for s in ("left", "right")
    }
    for view in (BACK_ZONES, FRONT_ZONES):
        for z in view:
            assert z.width >= MIN_TARGET and z.height >= MIN_TARGET, z
        for a, b in combinations(view, 2):
            apart = (
                a.x + a.width <= b.x
                or b.x + b.width <= a.x
                or a.y + a.height <= b.y
                or b.y + b.height <= a.y
            )
            assert apart, (a.value, b.value)
