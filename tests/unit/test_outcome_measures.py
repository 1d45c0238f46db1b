"""The PSFS and the global rating of change (clinical/outcomes.md): input rules, the PSFS mean
and its 2-point change in words, the seven ratings and what counts as improved."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from sciatica_care.domain.outcomes import (
    GLOBAL_RATINGS,
    PSFS_MEANINGFUL_CHANGE,
    PSFS_SOURCE,
    GlobalRatingInput,
    PsfsInput,
    global_rating_due,
    improved,
    psfs_change,
    psfs_due,
    psfs_mean,
)


def psfs(*scores: int, **changes: Any) -> PsfsInput:
    activities = [{"activity": f"activity {n}", "score": s} for n, s in enumerate(scores)]
    return PsfsInput.model_validate({"activities": activities, **changes})


def error_locations(error: ValidationError) -> set[str]:
    return {".".join(str(part) for part in e["loc"]) for e in error.errors()}


def test_the_psfs_keeps_the_activities_in_order_with_names_stripped() -> None:
    answers = PsfsInput.model_validate(
        {
            "activities": [
                {"activity": "  sitting at work ", "score": 3},
                {"activity": "walking", "score": 7},
            ]
        }
    )
    assert answers.names() == ["sitting at work", "walking"]
    assert answers.items() == [3, 7]
    assert answers.answered_on is None


@pytest.mark.parametrize(
    ("activities", "where"),
    [
        ([], "activities"),
        ([{"activity": f"a{n}", "score": 1} for n in range(6)], "activities"),
        ([{"activity": "   ", "score": 1}], "activities.0.activity"),
        ([{"activity": "x" * 81, "score": 1}], "activities.0.activity"),
        (
            [{"activity": "walk", "score": 1}, {"activity": "sit", "score": 11}],
            "activities.1.score",
        ),
        ([{"activity": "walk", "score": -1}], "activities.0.score"),
        ([{"activity": "walk"}], "activities.0.score"),
        ([{"activity": "walk", "score": 2, "extra": 1}], "activities.0.extra"),
    ],
)
def test_a_wrong_psfs_answer_names_its_field(activities: list[dict[str, Any]], where: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PsfsInput.model_validate({"activities": activities})
    assert where in error_locations(caught.value)


def test_eighty_characters_is_allowed_and_a_future_day_is_not() -> None:
    assert psfs(5, answered_on=date(2026, 1, 5)).answered_on == date(2026, 1, 5)
    PsfsInput.model_validate({"activities": [{"activity": "x" * 80, "score": 0}]})
    with pytest.raises(ValidationError) as caught:
        psfs(5, answered_on=date.today() + timedelta(days=3))
    assert "answered_on" in error_locations(caught.value)


def test_the_psfs_score_is_the_mean_of_its_activities() -> None:
    assert psfs_mean([2, 4, 9]) == 5.0
    assert psfs_mean([10]) == 10.0
    with pytest.raises(ValueError, match="one to five"):
        psfs_mean([])
    with pytest.raises(ValueError, match="one to five"):
        psfs_mean([11])
    with pytest.raises(ValueError, match="one to five"):
        psfs_mean([1] * 6)


def test_a_psfs_change_of_two_points_is_meaningful_and_said_in_words() -> None:
    assert PSFS_MEANINGFUL_CHANGE == 2
    assert "Stratford" in PSFS_SOURCE
    up = psfs_change([3.0, 4.0, 5.0])
    assert (up.first, up.latest, up.change, up.meaningful) == (3.0, 5.0, 2.0, True)
    assert up.summary == (
        "5.0 of 10, up 2.0 since you started (3.0): "
        "improving by at least the 2-point change that matters"
    )
    small = psfs_change([3.0, 4.9])
    assert small.meaningful is False
    assert "less than the 2-point change" in small.summary
    down = psfs_change([6.0, 3.5])
    assert down.meaningful is True
    assert down.summary.startswith("3.5 of 10, down 2.5") and "worse by at least" in down.summary


def test_a_psfs_with_no_or_one_score_claims_no_change() -> None:
    assert psfs_change([]).change is None
    assert psfs_change([]).summary == "no activity score yet"
    one = psfs_change([4.2])
    assert (one.change, one.meaningful, one.summary) == (None, False, "first score: 4.2 of 10")
    same = psfs_change([4.0, 4.0])
    assert same.change == 0 and "the same" in same.summary


def test_the_global_rating_has_seven_points_in_words() -> None:
    assert list(GLOBAL_RATINGS) == [-3, -2, -1, 0, 1, 2, 3]
    assert GLOBAL_RATINGS[-3] == "much worse"
    assert GLOBAL_RATINGS[0] == "about the same"
    assert GLOBAL_RATINGS[3] == "much better"


def test_better_or_much_better_counts_as_improved() -> None:
    assert [v for v in GLOBAL_RATINGS if improved(v)] == [2, 3]


@pytest.mark.parametrize("rating", [-4, 4, "better", None])
def test_a_rating_off_the_scale_names_its_field(rating: object) -> None:
    with pytest.raises(ValidationError) as caught:
        GlobalRatingInput.model_validate({"rating": rating})
    assert "rating" in error_locations(caught.value)


def test_a_global_rating_takes_nothing_else() -> None:
    assert GlobalRatingInput.model_validate({"rating": -3}).rating == -3
    with pytest.raises(ValidationError) as caught:
        GlobalRatingInput.model_validate({"rating": 1, "note": "x"})
    assert "note" in error_locations(caught.value)


def test_the_psfs_is_asked_at_the_start_and_every_two_weeks() -> None:
    today = date(2026, 3, 15)
    assert psfs_due(None, today=today)
    assert not psfs_due(today - timedelta(days=13), today=today)
    assert psfs_due(today - timedelta(days=14), today=today)


def test_the_global_rating_waits_two_weeks_after_the_start() -> None:
    today = date(2026, 3, 15)
    assert not global_rating_due(None, None, today=today)
    assert not global_rating_due(today - timedelta(days=13), None, today=today)
    assert global_rating_due(today - timedelta(days=14), None, today=today)
    started = today - timedelta(days=40)
    assert not global_rating_due(started, today - timedelta(days=13), today=today)
    assert global_rating_due(started, today - timedelta(days=14), today=today)
