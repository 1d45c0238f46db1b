"""The wizard v2 over HTTP: it stops at the first answer that needs care now (with or without
the script), asks the both-legs question where both legs are seen, never takes an unanswered
pain level as 0, and shows the emergency number as text and as a tap-to-call link."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.domain.condition_groups import CONDITION_GROUPS
from sciatica_care.domain.vocabulary import CONDITIONS, RED_FLAGS
from sciatica_care.web.app import create_app
from sciatica_care.web.pages.assessment import local_number
from sciatica_care.web.pages.wizard_form import read_wizard
from tests.web.test_pages_support import csrf_of, pages, post_form, wizard_answers

__all__ = ["pages"]

STEPS_1_TO_4: dict[str, Any] = {
    "back_pain": "4",
    "leg_pain": "6",
    "side": "left",
    "area": ["calf_back:left"],
    "duration": "2",
    "duration_unit": "weeks",
    "first_episode": "no",
    "seen_clinician": "yes",
    **{f"rf_{flag}": "no" for flag in RED_FLAGS},
}


def step_of(html: str, step: int) -> str:
    start = html.index(f'class="wizard-step" data-step="{step}"')
    end = html.find('class="wizard-step"', start + 10)
    return html[start : end if end != -1 else len(html)]


def main_of(html: str) -> str:
    return html[html.index('<main id="main"') :]


def summary_of(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start : html.index("</ul>", start)]


def test_the_pain_levels_start_unset_and_unanswered_they_are_refused_by_name(
    pages: TestClient,
) -> None:
    html = pages.get("/assessment").text
    assert re.search(r'name="back_pain" value="0"', html), "0 is a choice"
    assert not re.search(r'name="(back|leg)_pain" value="\d+"\s+required\s+checked', html)
    assert not re.search(r'name="(back|leg)_pain" value="\d+"\s+checked', html)
    answers = wizard_answers()
    del answers["back_pain"], answers["leg_pain"]
    response = post_form(pages, "/assessment", "/assessment", answers)
    assert response.status_code == 422
    summary = summary_of(response.text)
    assert 'href="#field-back_pain"' in summary and "Back pain: choose a number" in summary
    assert 'href="#field-leg_pain"' in summary and "Leg pain: choose a number" in summary
    outcome = read_wizard({k: v if isinstance(v, list) else [v] for k, v in answers.items()})
    assert outcome.assessment is None, "never stored as 0"


@pytest.mark.parametrize(
    ("field", "name"),
    [("seen_clinician", "Seen a doctor or physiotherapist"), ("first_episode", "First time")],
)
def test_the_wizard_asks_seen_clinician_and_first_episode_rather_than_assuming(
    pages: TestClient, field: str, name: str
) -> None:
    answers = wizard_answers()
    del answers[field]
    response = post_form(pages, "/assessment", "/assessment", answers)
    assert response.status_code == 422
    assert f"{name}: please answer yes or no" in summary_of(response.text)
    assert 'data-start-step="3"' in response.text, "the step that asks it opens"


def test_without_the_script_checking_step_4_with_an_emergency_answer_shows_what_to_do_now(
    pages: TestClient,
) -> None:
    answers = {**STEPS_1_TO_4, "rf_saddle_numbness": "yes", "upto": "4"}
    response = post_form(pages, "/assessment", "/assessment", answers)
    assert response.status_code == 200
    main = main_of(response.text)
    assert re.match(r'<main[^>]*>\s*<section class="triage triage--emergency"', main)
    banner = main[: main.index("</section>")]
    assert banner.index("<h1") < banner.index('href="tel:999"'), "what to do now comes first"
    assert ">Call 999</a>" in banner and "(or your local emergency number)" in banner
    assert "cauda equina" in banner
    assert "You do not need to answer the other questions" in main
    assert 'id="wizard"' not in main, "no more questions"
    for calmer in ('id="techniques"', "Between sessions", "keep moving", "Keep active"):
        assert calmer not in main


def test_the_final_button_with_questions_left_still_stops_at_an_urgent_answer(
    pages: TestClient,
) -> None:
    answers = {**STEPS_1_TO_4, "rf_foot_drop": "yes"}  # no age, no step 5 or 6
    main = main_of(post_form(pages, "/assessment", "/assessment", answers).text)
    assert 'class="triage triage--urgent"' in main
    assert 'href="tel:' not in main, "the tap-to-call link is for emergencies"
    assert "No massage until a doctor has checked you" in main
    assert 'id="techniques"' not in main and "Between sessions" not in main


def test_a_calm_step_check_carries_on_with_the_next_step(pages: TestClient) -> None:
    answers = {k: v for k, v in STEPS_1_TO_4.items() if not k.startswith("rf_")}
    response = post_form(pages, "/assessment", "/assessment", {**answers, "upto": "3"})
    assert response.status_code == 200
    html = response.text
    assert "Nothing you have told us so far needs urgent care" in html
    assert 'href="#step-4-title"' in html and 'data-start-step="4"' in html
    assert 'id="error-summary"' not in html, "later steps are not errors yet"
    assert re.search(r'name="leg_pain" value="6"\s+required\s+checked', html)


def test_a_step_check_names_only_the_errors_up_to_that_step(pages: TestClient) -> None:
    answers = {k: v for k, v in STEPS_1_TO_4.items() if k != "seen_clinician"}
    response = post_form(pages, "/assessment", "/assessment", {**answers, "upto": "3"})
    assert response.status_code == 422
    summary = summary_of(response.text)
    assert "Seen a doctor or physiotherapist" in summary
    assert "Your age" not in summary


def test_change_my_answers_from_the_stop_page_brings_the_answers_back(pages: TestClient) -> None:
    answers = {**STEPS_1_TO_4, "rf_bladder_dysfunction": "yes", "upto": "4"}
    stop = post_form(pages, "/assessment", "/assessment", answers).text
    kept = dict(re.findall(r'<input type="hidden" name="(rf_\w+|leg_pain)" value="([^"]*)">', stop))
    assert kept["rf_bladder_dysfunction"] == "yes" and kept["leg_pain"] == "6"
    form = re.search(r'<form method="post" action="/assessment/edit">(.*?)</form>', stop, re.S)
    assert form
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)):
        fields.setdefault(name, []).append(value)
    back = pages.post("/assessment/edit", data=fields)
    assert back.status_code == 200
    assert re.search(
        r'id="field-rf-group-nerves" name="rf_bladder_dysfunction" value="yes" '
        r'class="checklist__item"\s+checked',
        back.text,
    )


def test_the_early_triage_endpoint_answers_stop_or_carry_on(pages: TestClient) -> None:
    token = csrf_of(pages.get("/assessment").text)
    urgent = pages.post("/assessment/triage", data={"rf_fever": "yes", "csrftoken": token})
    assert urgent.status_code == 200
    assert urgent.json() == {"level": "urgent", "stop": True}
    calm = pages.post("/assessment/triage", data={"back_pain": "3", "csrftoken": token})
    assert calm.json() == {"level": "self_care", "stop": False}
    both = {"side": "both", "trend": "worsening", "csrftoken": token}
    assert pages.post("/assessment/triage", data=both).json()["level"] == "emergency"
    header = pages.post(
        "/assessment/triage", data={"rf_clot_symptoms": "yes"}, headers={"x-csrftoken": token}
    )
    assert header.json()["stop"] is True, "the script sends the token as a header"
    feet = {
        "area": ["foot_sole:left", "foot_sole:right"],
        "duration": "2",
        "duration_unit": "weeks",
        "seen_clinician": "no",
        "csrftoken": token,
    }
    assert pages.post("/assessment/triage", data=feet).json()["stop"] is False, (
        "numb feet may yet be explained by peripheral neuropathy on the conditions step"
    )
    calf = {**feet, "area": ["calf_back:left", "calf_back:right"]}
    assert pages.post("/assessment/triage", data=calf).json() == {
        "level": "emergency",
        "stop": True,
    }
    assert pages.post("/assessment/triage", data={"rf_fever": "yes"}).status_code == 403


def test_the_both_legs_question_is_asked_where_both_legs_are_seen(pages: TestClient) -> None:
    asked = (
        '<legend class="field-label">'
        "Is the pain, numbness or weakness in both legs new, or getting worse?</legend>"
    )
    fresh = pages.get("/assessment").text
    step4 = step_of(fresh, 4)
    assert 'id="field-rf-bilateral-listed" name="rf_bilateral_leg_symptoms" value="yes"' in step4
    assert '<div id="both-legs-question" class="both-legs both-legs--asked" hidden>' in fresh
    assert "disabled" in fresh[fresh.index('id="both-legs-question"') :].split("</fieldset>")[0]
    by_side = post_form(pages, "/assessment", "/assessment", {"side": "both", "upto": "1"}).text
    step1 = step_of(by_side, 1)
    assert asked in step1 and 'name="rf_bilateral_leg_symptoms"' in step1
    assert by_side.count('name="rf_bilateral_leg_symptoms"') == 3, "yes and no, and the box"
    assert re.search(
        r'<div class="choice" id="both-legs-listed" hidden>\s*<input[^>]*disabled', by_side
    )
    by_map = {"side": "left", "area": ["calf_back:left", "shin:right"], "upto": "2"}
    html = post_form(pages, "/assessment", "/assessment", by_map).text
    step2 = step_of(html, 2)
    assert asked in step2
    hips = {"side": "left", "area": ["buttock:left", "buttock:right"], "upto": "2"}
    html = post_form(pages, "/assessment", "/assessment", hips).text
    assert '<div id="both-legs-question" class="both-legs both-legs--asked" hidden>' in html, (
        "buttocks on both sides are not both legs"
    )


def test_conditions_are_grouped_and_explained_in_plain_words(pages: TestClient) -> None:
    html = pages.get("/assessment").text
    step5 = step_of(html, 5)
    for group in CONDITION_GROUPS:
        assert f">{group.title}</h3>" in step5
    for condition in CONDITIONS:
        assert f'name="conditions" value="{condition}"' in step5
    assert "Aspirin or clopidogrel" in step5
    assert "Antidepressants such as sertraline" in step5
    assert "cancer being treated now or still under a cancer team&#39;s follow-up" in step5.lower()
    assert 'id="field-conditions"' in step5, "the error anchor is the first box"


def test_every_condition_is_in_exactly_one_group() -> None:
    grouped = [c for group in CONDITION_GROUPS for c in group.conditions]
    assert sorted(grouped) == sorted(CONDITIONS)


def test_the_api_schema_offers_the_v2_conditions(pages: TestClient) -> None:
    schema = pages.get("/api/v1/openapi.json").text
    for condition in ("antiplatelets", "ssri_snri", "lymphoedema", "hip_replacement"):
        assert f'"{condition}"' in schema


def test_the_emergency_number_is_a_setting_shown_as_text_and_link(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path}/pages.db",
        environment="test",
        secret_key="page-tests-secret-key-0123456789abcdefgh",  # type: ignore[arg-type]
        emergency_number="112",
    )
    with TestClient(create_app(settings)) as http:
        answers = {**STEPS_1_TO_4, "rf_clot_symptoms": "yes", "upto": "4"}
        main = main_of(post_form(http, "/assessment", "/assessment", answers).text)
    assert 'href="tel:112"' in main and ">Call 112</a>" in main
    assert "999" not in main


def test_the_knowledge_base_999_becomes_the_configured_number_in_one_place() -> None:
    assert local_number("Call 999 or go to A&E.", "112") == "Call 112 or go to A&E."
    assert local_number("Call 999.", "999") == "Call 999."
    assert local_number("ref 19990 and 9999", "112") == "ref 19990 and 9999"


def _banner(**triage: Any) -> str:
    from types import SimpleNamespace

    from sciatica_care.web.templating import templates

    base = {"level": "emergency", "reasons": [], "then": [], "tell_doctor": []}
    result = SimpleNamespace(triage=SimpleNamespace(**{**base, **triage}))
    template = templates.env.get_template("partials/triage_banner.html")
    return template.render(result=result, emergency_number="112")


def test_the_banner_leads_with_the_rules_own_first_instruction() -> None:
    first = "Call your cancer team's 24-hour number now. If you cannot, call 999."
    html = _banner(
        headline="Go to an emergency department now.",
        first_action=first,
        advice=first + " Do not wait to see if it settles.",
    )
    h1 = re.search(r'<h1 id="triage-title">(.*?)</h1>', html)
    assert h1 and "cancer team" in h1.group(1) and "call 112" in h1.group(1)
    assert html.count("24-hour number") == 1, "the first instruction is not repeated"
    assert "Do not wait to see if it settles." in html
    assert html.index("<h1") < html.index('href="tel:112"')


def test_the_banner_reads_a_triage_without_first_action_by_its_headline() -> None:
    html = _banner(headline="Go to an emergency department now.", advice="Go now.")
    assert '<h1 id="triage-title">Go to an emergency department now.</h1>' in html
    assert '<p class="triage__advice">Go now.</p>' in html


def test_an_unanswered_both_legs_question_opens_the_step_that_asks_it(pages: TestClient) -> None:
    answers = wizard_answers(area=["calf_back:left", "calf_back:right"])
    del answers["rf_bilateral_leg_symptoms"]
    response = post_form(pages, "/assessment", "/assessment", answers)
    assert response.status_code == 422
    assert 'data-start-step="2"' in response.text
    assert 'href="#field-rf-bilateral_leg_symptoms"' in summary_of(response.text)
