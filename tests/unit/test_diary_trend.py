"""The diary trend read-out: 7-day rolling mean, change from baseline, 2-point / 30% verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sciatica_care.domain.diary import (
    PainPoint,
    daily_series,
    describe_change,
    is_meaningful,
    trend_readout,
)
from sciatica_care.domain.outcomes import sbi_change, sbi_total, week_start

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def day(n: int, leg: int, back: int = 3, hour: int = 9) -> PainPoint:
    return PainPoint(START + timedelta(days=n, hours=hour - 9), leg, back)


def test_several_entries_a_day_count_once_in_the_daily_mean() -> None:
    series = daily_series([day(0, 8), day(0, 4, hour=20), day(1, 6)])
    assert [(d.leg, d.entries) for d in series] == [(6.0, 2), (6.0, 1)]


def test_the_rolling_mean_covers_the_last_7_calendar_days() -> None:
    series = daily_series([day(n, leg) for n, leg in enumerate([10, 8, 8, 8, 8, 8, 8, 1])])
    assert series[6].leg_7d == pytest.approx((10 + 8 * 6) / 7, abs=0.05)
    assert series[7].leg_7d == pytest.approx((8 * 6 + 1) / 7, abs=0.05)


def test_days_without_entries_are_skipped_not_counted_as_zero() -> None:
    series = daily_series([day(0, 6), day(3, 6)])
    assert series[-1].leg_7d == 6.0


@pytest.mark.parametrize(
    ("baseline", "change", "meaningful"),
    [
        (7, -2, True),
        (7, -1.9, False),
        (4, -1.2, True),
        (4, -1.1, False),
        (3, 2, True),
        (0, 1, False),
    ],
)
def test_a_change_matters_at_2_points_or_30_percent(
    baseline: float, change: float, meaningful: bool
) -> None:
    assert is_meaningful(baseline, change) is meaningful


def test_the_verdict_says_it_in_words() -> None:
    assert describe_change("leg", 7, 4).verdict == (
        "improving: leg pain down 3 points since you started, "
        "more than the 2-point change that matters"
    )
    assert describe_change("back", 5, 4).verdict == (
        "about the same: back pain down 1 point since you started, "
        "less than the 2-point change that matters"
    )
    assert describe_change("leg", 3, 5.5).direction == "worse"
    assert describe_change("leg", None, 5).direction == "unknown"


def test_the_baseline_is_the_first_assessment_when_there_is_one() -> None:
    readout = trend_readout([day(n, 4) for n in range(7)], baseline_leg=7, baseline_back=3)
    assert readout.baseline_source == "first_assessment"
    assert readout.leg.change == -3.0 and readout.leg.meaningful


def test_without_an_assessment_the_first_diary_week_is_the_baseline() -> None:
    points = [day(n, 8) for n in range(7)] + [day(n, 5) for n in range(7, 14)]
    readout = trend_readout(points, baseline_leg=None, baseline_back=None)
    assert readout.baseline_source == "first_week"
    assert readout.leg.baseline == 8.0 and readout.leg.current == 5.0


def test_one_week_of_diary_alone_gives_no_verdict_yet() -> None:
    readout = trend_readout([day(n, 8) for n in range(3)], baseline_leg=None, baseline_back=None)
    assert readout.leg.direction == "unknown"


def test_the_sbi_total_is_the_sum_of_four_items_0_to_6() -> None:
    assert sbi_total([6, 6, 6, 6]) == 24
    with pytest.raises(ValueError):
        sbi_total([7, 0, 0, 0])
    with pytest.raises(ValueError):
        sbi_total([1, 1, 1])


def test_the_sbi_change_is_reported_without_a_threshold() -> None:
    change = sbi_change([16, 12, 7])
    assert change.change == -9
    assert change.summary == "7 of 24, down 9 since your first week (16)"
    assert "matters" not in change.summary
    assert sbi_change([]).change is None


def test_an_sbi_week_starts_on_monday() -> None:
    assert week_start(datetime(2026, 3, 5).date()).isoformat() == "2026-03-02"
