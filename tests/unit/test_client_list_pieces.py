"""The pieces the therapist's client list makes once for all its rows: "both legs" from the
four answers it is made of (as from the whole assessment), the precaution lines of the
knowledge base's matrix (made once per language, again for another knowledge base), and a
macro called once for each distinct list of arguments (``once``); and what an id looks like
(every access check asks, 400 times for the list)."""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from pydantic import ValidationError
from pydantic_core import to_json

from sciatica_care.db.id_lists import array_text
from sciatica_care.db.tables import new_id, new_ids, new_ordered_id, new_ordered_ids
from sciatica_care.domain.assessment import Assessment, LegAnswers, both_legs
from sciatica_care.domain.diary import describe_change
from sciatica_care.domain.plan import evaluate
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import workspace
from sciatica_care.services.access import HEX, is_record_id
from sciatica_care.services.kept_trends import _change
from sciatica_care.services.list_glance import glance_of
from sciatica_care.services.workspace import precautions_for, precautions_of
from sciatica_care.web.pages.therapist_list import once
from tests.unit.test_properties import assessments


@settings(max_examples=300, deadline=None)
@given(assessments())
def test_both_legs_from_the_four_stored_answers_is_both_legs_of_the_whole_assessment(
    a: Assessment,
) -> None:
    stored = a.model_dump(mode="json")
    assert both_legs(LegAnswers.model_validate(stored, strict=False)) == both_legs(a)


@pytest.mark.parametrize(
    "answers",
    [
        {"side": "middle"},
        {"side": "left", "areas": ["elbow"]},
        {"side": "left", "areas": ["calf_back"], "area_sides": {"calf_back": "up"}},
        {"side": "left", "areas": [], "area_sides": {"calf_back": "right"}},
        {"side": "left", "conditions": ["unheard_of"]},
        {"areas": ["calf_back"]},
    ],
)
def test_the_four_answers_are_refused_as_the_whole_assessment_refuses_them(
    answers: dict[str, Any],
) -> None:
    whole = {"age": 40, "back_pain": 3, "leg_pain": 5, "duration_weeks": 2, **answers}
    with pytest.raises(ValidationError):
        Assessment.model_validate(whole, strict=False)
    with pytest.raises(ValidationError):
        LegAnswers.model_validate(whole, strict=False)


def _lines_by_hand(massage_hold: bool, fired: set[str], language: str) -> list[str]:
    """Every fired matrix row's line, made afresh (the lines as the list said them before)."""
    rows = [row for row in knowledge_base(language).matrix if row.id in fired]
    return precautions_for(massage_hold, [], language) + [
        precautions_for(False, [row.id], language)[0] for row in rows
    ]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_precaution_lines_follow_the_matrix_order_and_the_fired_rows(language: str) -> None:
    matrix = knowledge_base(language).matrix
    every = [row.id for row in reversed(matrix)]
    lines = precautions_for(True, every, language)
    assert len(lines) == 1 + len(matrix)
    assert lines == _lines_by_hand(True, set(every), language)
    some = {row.id for row in matrix[::3]}
    assert precautions_for(False, sorted(some), language) == _lines_by_hand(False, some, language)
    assert precautions_for(False, ["SC-WATER", "no-such-row"], language) == []


def test_the_precaution_lines_are_made_again_for_another_knowledge_base() -> None:
    a = Assessment.model_validate(
        {
            "age": 50,
            "back_pain": 3,
            "leg_pain": 6,
            "side": "left",
            "duration_weeks": 3,
            "conditions": ["anticoagulants"],
        }
    )
    before = precautions_of(evaluate(a, knowledge_base("en")))
    workspace._LINES["en"] = (object(), (("CI-ANTICOAGULANTS", "stale"),))
    assert precautions_of(evaluate(a, knowledge_base("en"))) == before
    assert before and "stale" not in before


def test_a_macro_is_made_once_for_each_distinct_list_of_arguments() -> None:
    calls: list[tuple[object, ...]] = []

    def macro(*args: object) -> Markup:
        calls.append(args)
        return Markup("<b>{}</b>").format(repr(args))

    made = once(macro)
    assert made(5.0, "down") == made(5.0, "down") == Markup("<b>(5.0, &#39;down&#39;)</b>")
    assert made(None, None) == Markup("<b>(None, None)</b>")
    made(0.0, None), made(-0.0, None), made(1, None), made(True, None)
    (
        made(
            ("diary", "notes"),
        ),
        made(
            ("diary", "notes"),
        ),
    )
    assert calls == [
        (5.0, "down"),
        (None, None),
        (0.0, None),
        (-0.0, None),
        (1, None),
        (True, None),
        (("diary", "notes"),),
    ]
    assert made(-0.0, None) == Markup("<b>(-0.0, None)</b>")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEFgx- \n\u00e9", min_size=30, max_size=34))
def test_an_id_is_32_lowercase_hex_digits(value: str) -> None:
    assert is_record_id(value) == (len(value) == 32 and all(c in HEX for c in value))
    assert is_record_id(new_id())


def _distinct_uuids_of_version(ids: list[str], version: int) -> None:
    """Every id distinct, a record id, and the hex of an RFC 4122 UUID of ``version``."""
    assert len(set(ids)) == len(ids)
    for made in ids:
        as_uuid = uuid.UUID(hex=made)
        assert is_record_id(made) and as_uuid.hex == made
        assert as_uuid.version == version and as_uuid.variant == uuid.RFC_4122


def test_ids_made_at_once_are_random_version_4_uuids_as_new_id_makes_them() -> None:
    ids = new_ids(4000)
    assert len(ids) == 4000 and new_ids(0) == []
    _distinct_uuids_of_version(ids, 4)
    assert {made[16] for made in ids} == {"8", "9", "a", "b"}  # the variant's free bits vary
    assert len({made[13] for made in ids}) == 16


def test_ordered_ids_are_version_7_uuids_that_sort_by_when_they_were_made() -> None:
    ids = new_ordered_ids(4000)
    assert len(ids) == 4000 and new_ordered_ids(0) == []
    _distinct_uuids_of_version(ids, 7)
    assert len({made[:12] for made in ids}) == 1  # one time for a batch, then random bits
    assert len({made[20:] for made in ids}) == 4000
    time.sleep(0.002)
    assert new_ordered_id() > max(ids)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.just(new_id()), st.text(alphabet='ab"\\,{} N'))))
def test_an_id_list_s_text_form_escapes_every_id_that_needs_it(ids: list[str]) -> None:
    escaped = [i.replace("\\", "\\\\").replace('"', '\\"') for i in ids]
    assert array_text(ids) == ('{"' + '","'.join(escaped) + '"}' if ids else "{}")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["leg", "back"]),
    st.one_of(st.none(), st.integers(0, 10), st.floats(0, 10).map(lambda v: round(v, 1))),
    st.one_of(st.none(), st.integers(0, 10), st.floats(-0.0, 10).map(lambda v: round(v, 1))),
)
def test_a_kept_change_said_once_is_the_change_said_afresh(
    measure: Literal["leg", "back"], baseline: float | None, current: float | None
) -> None:
    for _ in range(2):  # said, then found among those said
        kept = _change(measure, baseline, current)
        fresh = describe_change(measure, baseline, current)
        assert kept == fresh and repr(kept) == repr(fresh)


def test_changes_of_equal_values_told_apart_by_their_type_are_kept_apart() -> None:
    assert repr(_change("leg", 5, 3.0).baseline) == "5"
    assert repr(_change("leg", 5.0, 3.0).baseline) == "5.0"
    assert repr(_change("back", 0.0, -0.0).current) == "-0.0"
    assert repr(_change("back", 0.0, 0.0).current) == "0.0"


@settings(max_examples=100, deadline=None)
@given(assessments(), st.booleans())
def test_the_list_reads_stored_text_as_the_json_columns_read_it_once_a_text(
    a: Assessment, hold: bool
) -> None:
    answers = a.model_dump(mode="json")
    glance = {"massage_hold": hold, "rules_fired": ["CI-X", "SC-Y"], "excluded": ["swedish"]}
    texts = (to_json(answers).decode(), to_json(glance).decode())
    seen = glance_of(*texts)
    assert seen.answers == answers and seen.both_legs == both_legs(a)
    assert (seen.massage_hold, seen.rules_fired, seen.excluded) == (
        hold,
        ("CI-X", "SC-Y"),
        ("swedish",),
    )
    assert glance_of(*texts) is seen  # parsed once
    assert glance_of(texts[0] + " ", texts[1]) is not seen  # another text: parsed afresh
