"""The anonymous journey over HTTP: the wizard, its errors, the result and the brief."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from sciatica_care.domain.red_flag_groups import CHECKLIST_LABELS, RED_FLAG_GROUPS
from sciatica_care.domain.vocabulary import LABELS, RED_FLAGS, REGIONS
from sciatica_care.web.pages.wizard_form import answers_of, read_wizard
from tests.web.test_pages_support import XSS, csrf_of, pages, post_form, wizard_answers

__all__ = ["pages"]


def test_the_front_page_and_the_wizard_render_with_no_external_resources(
    pages: TestClient,
) -> None:
    for path in ("/", "/assessment"):
        response = pages.get(path)
        assert response.status_code == 200
        assert '<main id="main"' in response.text
        assert 'href="#main"' in response.text, "a skip link"
        assert not re.search(r'(src|href)="(https?:)?//', response.text), "nothing from the net"
        assert "<script>" not in response.text and "style=" not in response.text


def test_the_wizard_asks_every_safety_question_and_offers_every_region_on_both_sides(
    pages: TestClient,
) -> None:
    html = pages.get("/assessment").text
    for flag in RED_FLAGS:
        assert f'name="rf_{flag}" value="yes"' in html, "a box of the safety checklist"
        words = CHECKLIST_LABELS.get(flag) or LABELS["red_flags"][flag]
        assert words.replace('"', "&#34;") in html or words in html
    for region in REGIONS:
        for side in ("left", "right"):
            assert f'name="area" value="{region}:{side}"' in html, "a checkbox on the figure"
    assert 'aria-label="Left back of the calf" name="area"' in html
    assert html.count("<foreignObject") == 2 * len(REGIONS)


def test_static_files_are_served_and_htmx_is_vendored(pages: TestClient) -> None:
    for path in ("/static/css/site.css", "/static/js/wizard.js", "/static/vendor/htmx.min.js"):
        assert pages.get(path).status_code == 200, path


def test_complete_answers_give_the_result_with_the_triage_banner_first(
    pages: TestClient,
) -> None:
    response = post_form(pages, "/assessment", "/assessment", wizard_answers())
    assert response.status_code == 200
    html = response.text
    main = html[html.index('<main id="main"') :]
    assert main.index('class="triage triage--self_care') < main.index('id="techniques"')
    assert "What fits you best" in html and "Massage for you" in html
    assert "Left back of the calf" in html, "the target names the side"
    assert '<span class="print-only">Knowledge base version' in html, "on paper, not on screen"
    assert "Cherkin DC" in html or "Cherkin" in html, "sources resolve to citations"


def test_a_red_flag_gives_only_the_emergency_banner_and_a_way_to_print(
    pages: TestClient,
) -> None:
    answers = wizard_answers(rf_saddle_numbness="yes")
    html = post_form(pages, "/assessment", "/assessment", answers).text
    main = html[html.index('<main id="main"') :]
    assert re.match(r'<main[^>]*>\s*<section class="triage triage--emergency"', main)
    assert "What to say at the desk" in main
    assert "cauda equina" in main
    assert 'id="techniques"' not in main and "Between sessions" not in main
    assert "js-print" in main


def test_an_urgent_result_holds_massage_and_says_why(pages: TestClient) -> None:
    html = post_form(pages, "/assessment", "/assessment", wizard_answers(rf_fever="yes")).text
    assert 'class="triage triage--urgent"' in html
    assert "No massage until a doctor has checked you" in html
    assert 'id="techniques"' not in html


def test_wrong_answers_come_back_with_every_field_named_and_the_answers_kept(
    pages: TestClient,
) -> None:
    answers = wizard_answers(age="5", leg_pain="7", area=["heel:right"], symptoms=["burning"])
    del answers["side"]
    response = post_form(pages, "/assessment", "/assessment", answers)
    assert response.status_code == 422
    html = response.text
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    assert 'href="#field-age"' in summary and "Your age: must be at least 12" in summary
    assert 'href="#field-side"' in summary and "Which leg: please answer this" in summary
    assert 'id="field-age-error"' in html and 'aria-invalid="true"' in html
    assert 'name="age" min="12"' in html and 'value="5"' in html
    assert re.search(r'name="leg_pain" value="7"\s+required\s+checked', html), (
        "pain kept as answered"
    )
    assert re.search(r'value="heel:right"\s+checked', html)
    assert re.search(r'value="burning"\s+checked', html)
    assert 'data-restore="false"' in html, "the script must not overwrite the kept answers"


def test_a_word_where_a_number_belongs_is_named_not_a_traceback(pages: TestClient) -> None:
    html = post_form(pages, "/assessment", "/assessment", wizard_answers(duration="soon")).text
    assert "How long it has lasted: enter a number (you entered &#39;soon&#39;)" in html


def test_an_unanswered_safety_question_leaves_its_group_unanswered_and_named(
    pages: TestClient,
) -> None:
    answers = wizard_answers()
    del answers["rf_night_pain"]
    html = post_form(pages, "/assessment", "/assessment", answers).text
    assert 'href="#field-rf-group-health"' in html
    assert "Safety questions “Your general health”: tick what applies, or “None of these”" in html


def test_every_unanswered_group_of_safety_questions_has_its_line_in_the_summary(
    pages: TestClient,
) -> None:
    answers = {k: v for k, v in wizard_answers().items() if not k.startswith("rf_")}
    html = post_form(pages, "/assessment", "/assessment", answers).text
    summary = html[
        html.index('id="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    for group in RED_FLAG_GROUPS:
        assert f'href="#field-rf-group-{group.id}">Safety questions “{group.title}”' in summary


def test_the_form_builds_the_assessment_with_sides_numbers_and_yes_no_answers() -> None:
    form = wizard_answers(area=["calf_back:left", "calf_back:right", "heel:left"], rf_fever="yes")
    outcome = read_wizard(answers_of((k, v) for k, vs in _items(form) for v in vs))
    assert outcome.assessment is not None
    a = outcome.assessment
    assert (a.back_pain, a.leg_pain, a.age, a.duration_weeks) == (3, 5, 35, 8.0)
    assert a.areas == ["calf_back", "heel"]
    assert a.area_sides == {"calf_back": "both", "heel": "left"}
    assert a.red_flags == ["fever"] and a.seen_clinician is True and a.first_episode is False


def test_months_and_days_become_weeks() -> None:
    months = read_wizard(_answers(wizard_answers(duration="3", duration_unit="months")))
    days = read_wizard(_answers(wizard_answers(duration="3", duration_unit="days")))
    assert months.assessment and months.assessment.duration_weeks == 13.0
    assert days.assessment and days.assessment.duration_weeks == 0.43


def test_the_brief_prints_from_the_carried_assessment(pages: TestClient) -> None:
    result = post_form(pages, "/assessment", "/assessment", wizard_answers()).text
    carried = re.search(r'name="assessment" value="([^"]*)"', result)
    assert carried
    token = csrf_of(result)
    brief = pages.post(
        "/assessment/brief",
        data={"assessment": _unescape(carried.group(1)), "csrftoken": token},
    )
    assert brief.status_code == 200
    assert "Therapist brief" in brief.text and "Back pain 3/10, leg pain 5/10" in brief.text
    assert "zone-static--marked" in brief.text


def test_a_tampered_assessment_is_refused_not_trusted(pages: TestClient) -> None:
    token = csrf_of(pages.get("/assessment").text)
    bad = json.dumps({"age": 300, "back_pain": 3})
    response = pages.post("/assessment/brief", data={"assessment": bad, "csrftoken": token})
    assert response.status_code == 422
    assert "could not make the brief" in response.text


def test_change_my_answers_fills_the_wizard_again(pages: TestClient) -> None:
    result = post_form(pages, "/assessment", "/assessment", wizard_answers(age="61")).text
    carried = re.search(r'name="assessment" value="([^"]*)"', result)
    assert carried
    html = pages.post(
        "/assessment/edit",
        data={"assessment": _unescape(carried.group(1)), "csrftoken": csrf_of(result)},
    ).text
    assert re.search(r'name="age"[^>]*value="61"', html)
    assert re.search(r'value="calf_back:left"\s+checked', html)


def test_free_text_in_the_answers_is_escaped_on_the_way_back(pages: TestClient) -> None:
    html = post_form(pages, "/assessment", "/assessment", wizard_answers(age=XSS)).text
    assert XSS not in html
    assert "&lt;script&gt;" in html


def test_a_post_without_the_csrf_token_is_refused(pages: TestClient) -> None:
    pages.get("/assessment")  # sets the CSRF cookie
    response = pages.post("/assessment", data=wizard_answers())
    assert response.status_code == 403


def _summary(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start : html.index("</ul>", start)]


def _items(form: dict[str, object]) -> list[tuple[str, list[str]]]:
    return [(k, v if isinstance(v, list) else [str(v)]) for k, v in form.items()]


def _answers(form: dict[str, object]) -> dict[str, list[str]]:
    return answers_of((k, v) for k, vs in _items(form) for v in vs)


def _unescape(value: str) -> str:
    return value.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")
