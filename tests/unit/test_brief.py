"""The therapist brief: who, where it hurts, safety and what to avoid before what to do."""

from __future__ import annotations

from datetime import date
from typing import Any

from sciatica_care import assess
from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.brief import TherapistBrief, therapist_brief
from tests.conftest import baseline


def brief_of(data: dict[str, Any], **kwargs: Any) -> TherapistBrief:
    return therapist_brief(parse_assessment(data), assess(data), **kwargs)


def test_it_says_who_the_client_is_and_how_much_it_hurts() -> None:
    b = brief_of(baseline(sex="female", pregnant=True))
    assert (b.age, b.sex, b.pregnant, b.back_pain, b.leg_pain) == (35, "female", True, 3, 4)
    text = b.to_text()
    assert "Age 35, female" in text
    assert "Pregnant" in text
    assert "Back pain 3/10, leg pain 4/10 (left leg)" in text


def test_the_pain_map_is_grouped_by_side_and_marks_below_the_knee() -> None:
    data = baseline(
        side="both", areas=["buttock", "calf_back", "heel"], area_sides={"calf_back": "right"}
    )
    b = brief_of(data)
    assert [(g.side, [a.region for a in g.areas]) for g in b.pain_map] == [
        ("right", ["calf_back"]),
        ("both", ["buttock", "heel"]),
    ]
    assert b.nerve_root_hint
    assert "Back of the calf (below knee)" in b.to_text()
    assert "irritated nerve root" in b.to_text()


def test_no_nerve_root_hint_above_the_knee() -> None:
    assert not brief_of(baseline(areas=["buttock"])).nerve_root_hint


def test_a_calm_brief_has_no_safety_section() -> None:
    b = brief_of(baseline())
    assert b.triage_reasons == []
    assert "SAFETY" not in b.to_text()


def test_precautions_and_techniques_to_avoid_come_before_the_suggestions() -> None:
    b = brief_of(baseline(conditions=["anticoagulants"], areas=["buttock"]))
    text = b.to_text()
    assert b.precautions and b.avoid and b.suggested
    assert text.index("PRECAUTIONS") < text.index("AVOID") < text.index("SUGGESTED")
    assert "Deep tissue massage" in text[text.index("AVOID") : text.index("SUGGESTED")]


def test_a_referral_is_shown_with_its_reasons_and_the_plan_is_provisional() -> None:
    b = brief_of(baseline(seen_clinician=False))
    assert b.provisional
    text = b.to_text()
    assert text.index("SAFETY") < text.index("SUGGESTED")
    assert "provisional" in text


def test_under_a_hold_no_technique_is_suggested() -> None:
    b = brief_of(baseline(red_flags=["fever"]))
    assert b.massage_hold
    assert b.suggested == []
    text = b.to_text()
    assert "No massage until a doctor has checked the client." in text
    assert "SUGGESTED" not in text


def test_goals_prior_responses_and_preferred_pressure_are_included() -> None:
    data = baseline(
        goals=["sleep"], prior_response={"swedish": "helped"}, pressure_preference="light"
    )
    text = brief_of(data).to_markdown()
    assert "Better sleep" in text
    assert "Swedish massage: it helped" in text
    assert "Client prefers light pressure." in text


def test_it_is_stamped_with_the_knowledge_base_and_the_date() -> None:
    b = brief_of(baseline(), prepared_on=date(2026, 1, 2))
    assert b.knowledge_version == assess(baseline()).knowledge_version
    assert f"Knowledge base {b.knowledge_version}, prepared 2026-01-02" in b.to_markdown()


def test_markdown_has_one_heading_per_part() -> None:
    markdown = brief_of(baseline(areas=["buttock"])).to_markdown()
    assert markdown.startswith("# Therapist brief\n")
    for heading in ("## Client", "## Pain", "## Pain map", "## What to target", "## About"):
        assert heading in markdown


def test_the_plain_text_fits_a_page_width() -> None:
    text = brief_of(baseline(areas=["buttock", "thigh_back"], conditions=["diabetes"])).to_text()
    assert max(len(line) for line in text.splitlines()) <= 80


def test_an_emergency_with_its_own_instruction_leads_the_brief_with_it() -> None:
    b = brief_of(baseline(conditions=["active_cancer"], symptoms=["numbness"]))
    heading, lines = b.lines()[0]
    assert heading == "Safety"
    assert lines[0].startswith("EMERGENCY: Call your cancer team's 24-hour number now.")
    assert b.to_text().index("SAFETY") < b.to_text().index("CLIENT")


def test_an_urgent_brief_leads_with_what_to_do_now() -> None:
    b = brief_of(baseline(conditions=["recent_spinal_surgery"], red_flags=["fever"]))
    assert b.lines()[0][1][0].startswith("URGENT: Contact your surgical team today.")


def test_a_calm_brief_keeps_the_client_first() -> None:
    assert brief_of(baseline(seen_clinician=False)).lines()[0][0] == "Client"


def test_both_legs_from_the_body_map_is_said_as_both_legs() -> None:
    data = baseline(
        areas=["thigh_back", "calf_back"], area_sides={"thigh_back": "left", "calf_back": "right"}
    )
    b = brief_of(data)
    assert b.both_legs
    assert "leg pain 4/10 (both legs)" in b.to_text()
