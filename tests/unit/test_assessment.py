"""The assessment refuses bad input with a message naming the field."""

from __future__ import annotations

import pytest

from sciatica_care.domain.assessment import AssessmentError, parse_assessment
from tests.conftest import baseline


def errors_of(data: object) -> list[str]:
    with pytest.raises(AssessmentError) as caught:
        parse_assessment(data)
    return [str(e) for e in caught.value.errors]


def test_a_calm_assessment_is_accepted_with_defaults() -> None:
    a = parse_assessment(baseline())
    assert a.trend == "stable"
    assert a.goals == ["pain_relief"]
    assert a.pressure_preference == "medium"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"age": 7}, "age", "at least 12"),
        ({"age": 111}, "age", "at most 110"),
        ({"age": "40"}, "age", "must be a whole number (got '40')"),
        ({"age": 40.5}, "age", "must be a whole number"),
        ({"leg_pain": 11}, "leg_pain", "at most 10"),
        ({"back_pain": -1}, "back_pain", "at least 0"),
        ({"side": "middle"}, "side", "must be one of"),
        ({"areas": ["elbow"]}, "areas.0", "must be one of"),
        ({"red_flags": ["saddle_numbnes"]}, "red_flags.0", "saddle_numbnes"),
        ({"conditions": "diabetes"}, "conditions", "must be a list"),
        ({"pregnant": "yes"}, "pregnant", "must be true or false"),
        ({"duration_weeks": -2}, "duration_weeks", "at least 0"),
        ({"prior_response": {"reiki": "helped"}}, "prior_response.reiki", "must be one of"),
        ({"prior_response": {"swedish": "great"}}, "prior_response.swedish", "must be one of"),
        ({"colour": "blue"}, "colour", "is not a field"),
        ({"area_sides": {"heel": "left"}}, "area_sides", "names heel"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    change: dict[str, object], field: str, words: str
) -> None:
    messages = errors_of(baseline(**change))
    assert any(m.startswith(f"{field}: ") for m in messages), messages
    assert any(words in m for m in messages), messages


def test_a_missing_required_field_is_named() -> None:
    data = baseline()
    del data["leg_pain"]
    assert errors_of(data) == ["leg_pain: is required"]


def test_not_an_object_is_refused() -> None:
    assert errors_of([1, 2]) == ["the assessment must be a JSON object"]


def test_repeated_ids_are_kept_once_not_refused() -> None:
    a = parse_assessment(baseline(areas=["buttock", "buttock", "heel"]))
    assert a.areas == ["buttock", "heel"]
