"""Session notes: strict fields, free correction for 24 hours, then amendments with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.session_notes import (
    AmendmentReasonRequired,
    NotTheAuthor,
    SessionNoteError,
    can_edit_freely,
    current,
    parse_session_note,
    revise,
    stretch_ids,
    write_note,
)

WRITTEN = datetime(2025, 3, 3, 17, 30, tzinfo=UTC)
THERAPIST = "therapist-1"


def note(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subjective": "Leg pain worse after long drives.",
        "techniques": ["myofascial_release", "swedish"],
        "areas_worked": [{"region": "buttock", "side": "left"}, {"region": "lower_back"}],
        "pressure": "medium",
        "duration_minutes": 45,
        "leg_pain_before": 6,
        "back_pain_before": 4,
        "leg_pain_after": 4,
        "reactions": ["soreness_next_day"],
        "home_care": ["piriformis_stretch"],
    }
    data.update(changes)
    return data


def fields_of(error: SessionNoteError) -> set[str]:
    return {e.field for e in error.errors}


def test_a_complete_note_is_accepted_and_its_session_time_defaults_to_when_it_was_written(
    kb: KnowledgeBase,
) -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN, stretches=stretch_ids(kb))
    first = current(history)
    assert first.version == 1 and first.kind == "original" and first.reason is None
    assert first.fields.session_at == WRITTEN
    assert first.fields.techniques == ["myofascial_release", "swedish"]
    assert first.fields.back_pain_after is None


def test_home_care_stretches_are_the_knowledge_base_stretches(kb: KnowledgeBase) -> None:
    assert {"piriformis_stretch", "knee_to_chest", "nerve_glide"} <= stretch_ids(kb)
    assert "SC-HEAT" not in stretch_ids(kb)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pressure": "hard"}, "pressure"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 241}, "duration_minutes"),
        ({"leg_pain_before": 11}, "leg_pain_before"),
        ({"leg_pain_after": "4"}, "leg_pain_after"),
        ({"techniques": ["reiki"]}, "techniques.0"),
        ({"areas_worked": [{"region": "elbow"}]}, "areas_worked.0.region"),
        ({"areas_worked": [{"region": "buttock"}, {"region": "buttock"}]}, "areas_worked"),
        ({"reactions": ["none", "bruising"]}, "reactions"),
        ({"reactions": ["fainted"]}, "reactions.0"),
        ({"home_care": ["SC-HEAT"]}, "home_care.0"),
        ({"home_care": ["handstand"]}, "home_care"),
        ({"subjective": "x" * 4001}, "subjective"),
        ({"reactions_note": "x" * 1001}, "reactions_note"),
        ({"session_at": "2025-03-03T10:00:00"}, "session_at"),
        ({"mood": "grumpy"}, "mood"),
    ],
)
def test_a_wrong_field_is_refused_with_its_name(
    kb: KnowledgeBase, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(SessionNoteError) as caught:
        parse_session_note(note(**changes), stretches=stretch_ids(kb))
    assert field in fields_of(caught.value)


def test_an_unknown_field_is_named_as_not_a_field_of_the_session_note() -> None:
    with pytest.raises(SessionNoteError) as caught:
        parse_session_note(note(mood="grumpy"))
    assert [str(e) for e in caught.value.errors] == ["mood: is not a field of the session note"]


def test_missing_required_fields_are_each_named() -> None:
    with pytest.raises(SessionNoteError) as caught:
        parse_session_note({})
    assert fields_of(caught.value) == {
        "pressure",
        "duration_minutes",
        "leg_pain_before",
        "back_pain_before",
    }


def test_a_session_in_the_future_is_refused() -> None:
    later = (WRITTEN + timedelta(hours=2)).isoformat()
    with pytest.raises(SessionNoteError) as caught:
        write_note(note(session_at=later), by=THERAPIST, now=WRITTEN)
    assert fields_of(caught.value) == {"session_at"}


def test_session_times_are_kept_in_utc() -> None:
    fields = parse_session_note(note(session_at="2025-03-03T12:00:00+02:00"))
    assert fields.session_at == datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "free"),
    [
        (timedelta(minutes=1), True),
        (timedelta(hours=23, minutes=59), True),
        (timedelta(hours=24), True),
        (timedelta(hours=24, minutes=1), False),
        (timedelta(days=30), False),
    ],
)
def test_a_note_can_be_edited_freely_for_24_hours(elapsed: timedelta, free: bool) -> None:
    assert can_edit_freely(WRITTEN, WRITTEN + elapsed) is free


def test_a_naive_time_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        can_edit_freely(WRITTEN, datetime(2025, 3, 4, 9, 0))


def test_a_correction_at_23_59_needs_no_reason_and_keeps_the_first_text() -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN)
    later = WRITTEN + timedelta(hours=23, minutes=59)
    revised = revise(history, {"leg_pain_after": 3}, by=THERAPIST, now=later, reason=None)
    assert [r.kind for r in revised] == ["original", "correction"]
    assert current(revised).fields.leg_pain_after == 3
    assert current(revised).version == 2 and current(revised).changed_at == later
    assert revised[0].fields.leg_pain_after == 4


def test_a_change_at_24_01_without_a_reason_is_refused_as_an_amendment() -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN)
    later = WRITTEN + timedelta(hours=24, minutes=1)
    for reason in (None, "", "   "):
        with pytest.raises(AmendmentReasonRequired) as caught:
            revise(history, {"plan": "Weekly for 4 weeks."}, by=THERAPIST, now=later, reason=reason)
        assert fields_of(caught.value) == {"reason"}
        assert "24 hours" in str(caught.value)


def test_an_amendment_with_its_reason_keeps_the_earlier_text_visible() -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN)
    later = WRITTEN + timedelta(days=3)
    amended = revise(
        history,
        {"subjective": "Leg pain worse after long drives and after sitting at work."},
        by=THERAPIST,
        now=later,
        reason=" Client added detail at the next visit. ",
    )
    assert len(amended) == 2
    assert amended[0].fields.subjective == "Leg pain worse after long drives."
    latest = current(amended)
    assert latest.kind == "amendment"
    assert latest.reason == "Client added detail at the next visit."
    assert latest.changed_by == THERAPIST and latest.changed_at == later
    assert latest.fields.subjective.endswith("sitting at work.")
    assert latest.fields.techniques == amended[0].fields.techniques


def test_the_24_hours_count_from_the_first_writing_not_from_the_last_correction() -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN)
    corrected = revise(
        history, {"plan": "A"}, by=THERAPIST, now=WRITTEN + timedelta(hours=23), reason=None
    )
    with pytest.raises(AmendmentReasonRequired):
        revise(corrected, {"plan": "B"}, by=THERAPIST, now=WRITTEN + timedelta(hours=25), reason="")


def test_a_change_that_changes_nothing_adds_no_revision() -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN)
    later = WRITTEN + timedelta(days=2)
    assert revise(history, {"pressure": "medium"}, by=THERAPIST, now=later, reason=None) == history


def test_an_invalid_change_is_refused_with_the_field_name() -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN)
    with pytest.raises(SessionNoteError) as caught:
        revise(history, {"leg_pain_after": 12}, by=THERAPIST, now=WRITTEN, reason=None)
    assert fields_of(caught.value) == {"leg_pain_after"}


def test_only_the_author_may_change_a_note() -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN)
    with pytest.raises(NotTheAuthor):
        revise(history, {"plan": "Mine now"}, by="therapist-2", now=WRITTEN, reason=None)


def test_a_revised_note_round_trips_through_its_json_form() -> None:
    history = write_note(note(), by=THERAPIST, now=WRITTEN)
    stored = current(history).fields.model_dump(mode="json")
    assert parse_session_note(stored) == current(history).fields
