"""The result in words: safety first, nothing offered under a hold, a provisional plan says so."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_care import assess
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.reports.text import PROVISIONAL, sections, to_markdown, to_text, wrap
from tests.conftest import baseline

EMERGENCY = baseline(red_flags=["saddle_numbness"])
URGENT = baseline(red_flags=["fever"])
NOT_ASSESSED = baseline(seen_clinician=False)


def keys(data: dict[str, Any]) -> list[str]:
    return [s.key for s in sections(assess(data))]


@pytest.mark.parametrize("data", [baseline(), EMERGENCY, URGENT, NOT_ASSESSED])
def test_the_triage_message_always_comes_first(data: dict[str, Any]) -> None:
    assert keys(data)[0] == "triage"


def test_an_emergency_says_go_now_then_why_then_what_to_do_then_what_to_say() -> None:
    text = to_text(assess(EMERGENCY))
    assert text.startswith("!" * 78 + "\n!! EMERGENCY: Go to an emergency department (A&E) now.")
    order = ["Why:", "saddle area", "Do not drive yourself", "What to say:"]
    positions = [text.index(x) for x in order]
    assert positions == sorted(positions)


OWN_FIRST_ACTIONS = [
    (baseline(red_flags=["clot_symptoms"]), "Call 999 or go to A&E now."),
    (baseline(red_flags=["significant_trauma"], symptoms=["numbness"]), "Call an ambulance (999)."),
    (baseline(conditions=["active_cancer"], symptoms=["tingling"]), "Call your cancer team's"),
    (
        baseline(conditions=["recent_spinal_surgery"], red_flags=["foot_drop"]),
        "Contact your surgical",
    ),
    (baseline(conditions=["active_cancer"]), "Call your cancer team's 24-hour number today."),
]


@pytest.mark.parametrize(("data", "first"), OWN_FIRST_ACTIONS)
def test_a_rule_with_its_own_instruction_puts_it_first_in_text_and_markdown(
    data: dict[str, Any], first: str
) -> None:
    result = assess(data)
    assert result.triage.first_action.startswith(first)
    text = to_text(result)
    top = text.splitlines()[1]
    assert top.startswith(f"!! {result.triage.level.upper()}: {first}")
    markdown = to_markdown(result)
    assert markdown.splitlines()[0].endswith(f"{result.triage.level.upper()}: {first}"[:60]) or (
        first in markdown.splitlines()[0]
    )


@pytest.mark.parametrize("data", [EMERGENCY, URGENT, *(d for d, _ in OWN_FIRST_ACTIONS)])
def test_nothing_from_a_calmer_level_appears_on_an_emergency_or_urgent_screen(
    data: dict[str, Any],
) -> None:
    text = " ".join(to_text(assess(data)).split()).lower()
    for calmer in (
        "settles by itself",
        "gets better by itself",
        "keep active",
        "keep moving",
        "massage may help",
        "provisional",
    ):
        assert calmer not in text, calmer


def test_an_emergency_shows_no_plan_self_care_or_techniques(kb: KnowledgeBase) -> None:
    assert keys(EMERGENCY) == ["triage", "about"]
    text = to_text(assess(EMERGENCY))
    for technique in kb.techniques.values():
        assert technique.name not in text


def test_a_held_plan_shows_no_techniques_only_the_hold(kb: KnowledgeBase) -> None:
    result = assess(URGENT)
    assert result.triage.massage_hold
    text = to_text(result)
    assert "No massage for now" in text
    assert "Your massage plan" not in text
    for technique in kb.techniques.values():
        assert technique.name not in text


def test_urgent_gives_the_holding_advice_meanwhile() -> None:
    assert keys(URGENT)[:3] == ["triage", "hold", "self_care"]
    assert "Meanwhile" in to_text(assess(URGENT))


def test_a_see_clinician_plan_is_marked_provisional() -> None:
    result = assess(NOT_ASSESSED)
    assert result.provisional
    text = to_text(result)
    assert "Your massage plan (provisional)" in text
    assert "check with your clinician first" in " ".join(text.split())
    assert PROVISIONAL in to_markdown(result)


def test_a_self_care_plan_is_not_called_provisional() -> None:
    text = to_text(assess(baseline()))
    assert "provisional" not in text


def test_the_plan_ranks_techniques_with_reasons_pressure_and_evidence() -> None:
    result = assess(baseline(areas=["buttock"], symptoms=["muscle_tightness"]))
    text = to_text(result)
    first = result.recommendations[0]
    assert first.fit == "good_fit"
    line = f"1. {first.name} (good fit): {first.pressure} pressure, {first.session_minutes} minutes"
    assert line in text
    assert "Why:" in text
    assert "Evidence (" in text
    assert "How often:" in text


def test_excluded_techniques_are_listed_with_their_reasons() -> None:
    result = assess(baseline(conditions=["anticoagulants"]))
    text = " ".join(to_text(result).split())
    assert "Techniques to avoid" in text
    for excluded in result.excluded:
        assert excluded.name in text
        assert excluded.reasons[0] in text


def test_sources_are_listed_in_full_when_citations_are_given(kb: KnowledgeBase) -> None:
    citations = {s.id: s.citation for s in kb.sources.values()}
    text = to_markdown(assess(baseline()), citations=citations)
    assert "## Sources" in text
    assert kb.sources["cherkin2011"].citation in text


def test_markdown_puts_a_loud_message_in_a_quoted_block() -> None:
    markdown = to_markdown(assess(EMERGENCY))
    assert markdown.startswith("## ⚠ EMERGENCY: Go to an emergency department (A&E) now.\n\n> ")


def test_every_line_of_plain_text_fits_the_width() -> None:
    text = to_text(assess(baseline(areas=["buttock", "calf_back"])), width=60)
    assert max(len(line) for line in text.splitlines()) <= 60


def test_the_knowledge_base_version_is_stamped() -> None:
    result = assess(baseline())
    assert f"Knowledge base version {result.knowledge_version}" in " ".join(to_text(result).split())


def test_a_result_stored_before_v2_still_loads_with_its_headline_first() -> None:
    stored = assess(EMERGENCY).model_dump(mode="json")
    del stored["triage"]["first_action"]
    again = type(assess(EMERGENCY)).model_validate(stored)
    assert again.triage.first_action == again.triage.headline
    assert to_text(again).splitlines()[1].startswith("!! EMERGENCY: Go to an emergency department")


# Words that break (or not) at hyphens, dashes, tabs, line breaks and runs of spaces.
_WORDS = st.sampled_from(
    ["self-care", "pain", "a", "--", "well--being", "x" * 90, "-", "long-standing-leg", "é"]
)
_GAPS = st.sampled_from([" ", "  ", "\t", "\n", " \n "])


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(_WORDS, max_size=30),
    gaps=st.lists(_GAPS, min_size=31, max_size=31),
    edges=st.tuples(st.sampled_from(["", " ", "  "]), st.sampled_from(["", " ", "\t"])),
    width=st.integers(min_value=12, max_value=100),
    indents=st.sampled_from([("", ""), ("  - ", "    "), ("  12. ", "      "), ("!! ", "!! ")]),
)
def test_wrapping_gives_the_lines_textwrap_gives(
    words: list[str],
    gaps: list[str],
    edges: tuple[str, str],
    width: int,
    indents: tuple[str, str],
) -> None:
    text = edges[0] + "".join(w + g for w, g in zip(words, gaps, strict=False)).rstrip() + edges[1]
    first, rest = indents
    expected = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest)
    assert wrap(text, width, first, rest) == (expected or [first])
