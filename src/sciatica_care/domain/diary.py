"""The pain diary: what a check-in holds, and the trend read-out (pure maths, no storage).

The read-out follows ``clinical/outcomes.md``: a 7-day rolling mean, the change from the
baseline (the first assessment), and a plain verdict against the minimal important change of
the Numeric Pain Rating Scale — 2 points or 30% (Farrar 2001; Childs 2005).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sciatica_care.domain.safety_questions import RecheckQuestion
from sciatica_care.domain.time_bounds import PastTime, usable
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.vocabulary import Region, TechniqueId

MIC_POINTS = 2.0
MIC_FRACTION = 0.30
ROLLING_DAYS = 7
MIC_SOURCES = ("Farrar 2001", "Childs 2005")

PainScore = Annotated[int, Field(ge=0, le=10)]
Note = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")]
StretchId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class DiaryInput(BaseModel):
    """One check-in. Several a day are fine; ``recorded_at`` defaults to now."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recorded_at: PastTime | None = Field(
        default=None, description="when (from 1900 to a few minutes from now); default now"
    )
    leg_pain: PainScore = Field(description="leg pain now, 0-10")
    back_pain: PainScore = Field(description="lower-back pain now, 0-10")
    areas: list[Region] = Field(default_factory=list, max_length=15)
    stretches: list[StretchId] = Field(
        default_factory=list, max_length=20, description="stretch ids from the knowledge base"
    )
    heat: bool = False
    cold: bool = False
    massage: list[TechniqueId] = Field(default_factory=list, max_length=5)
    walk_minutes: int | None = Field(default=None, ge=0, le=1440)
    medicine: bool = False
    sleep_quality: int | None = Field(default=None, ge=0, le=10, description="0 bad - 10 good")
    note: Note = ""
    soreness_48h: bool = Field(
        default=False, description="still sore more than 48 hours after a massage"
    )
    safety_check: dict[RecheckQuestion, bool] | None = Field(
        default=None,
        description=(
            "answers to the safety re-check (question id -> yes/no), when it is due; "
            "GET /safety-check lists the questions"
        ),
    )


class DiaryChanges(BaseModel):
    """A correction to a check-in: only the fields given change."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recorded_at: PastTime | None = None
    leg_pain: PainScore | None = None
    back_pain: PainScore | None = None
    areas: list[Region] | None = Field(default=None, max_length=15)
    stretches: list[StretchId] | None = Field(default=None, max_length=20)
    heat: bool | None = None
    cold: bool | None = None
    massage: list[TechniqueId] | None = Field(default=None, max_length=5)
    walk_minutes: int | None = Field(default=None, ge=0, le=1440)
    medicine: bool | None = None
    sleep_quality: int | None = Field(default=None, ge=0, le=10)
    note: Note | None = None
    soreness_48h: bool | None = None


@dataclass(frozen=True, slots=True)
class PainPoint:
    """One recorded pair of pain scores."""

    at: datetime
    leg: int
    back: int


@dataclass(frozen=True, slots=True)
class DayPoint:
    """One calendar day: the mean of that day's entries and the 7-day rolling mean."""

    day: date
    leg: float
    back: float
    entries: int
    leg_7d: float
    back_7d: float


@dataclass(frozen=True, slots=True)
class Change:
    """The change of one score from baseline to the latest 7-day mean, with its verdict."""

    measure: Literal["leg", "back"]
    baseline: float | None
    current: float | None
    change: float | None
    meaningful: bool
    direction: Literal["improving", "worse", "about_the_same", "unknown"]
    verdict: str


@dataclass(frozen=True, slots=True)
class TrendReadout:
    """The whole read-out: the daily series and the changes in words."""

    days: list[DayPoint]
    leg: Change
    back: Change
    baseline_source: Literal["first_assessment", "first_week", "none"]
    mic_points: float = MIC_POINTS
    mic_fraction: float = MIC_FRACTION


def _round(value: float) -> float:
    return round(value + 0.0, 1)


#: One calendar day's totals: (leg pain sum, back pain sum, number of check-ins).
DayTotals = tuple[int, int, int]


def day_totals(points: Iterable[PainPoint], *, zone: tzinfo = UTC) -> dict[date, DayTotals]:
    """Each calendar day's pain sums and check-in count (a day is a day in ``zone``; a time
    off the usable calendar counts for nothing). The database computes the same sums
    (``services/diary_days.py``); this is the reference."""
    sums: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for point in points:
        if not usable(point.at):
            continue
        day_sum = sums[local_day(point.at, zone)]
        day_sum[0] += point.leg
        day_sum[1] += point.back
        day_sum[2] += 1
    return {day: (s[0], s[1], s[2]) for day, s in sums.items()}


def daily_series(
    points: Iterable[PainPoint], window: int = ROLLING_DAYS, *, zone: tzinfo = UTC
) -> list[DayPoint]:
    """Per-day means (several entries a day count once) and the rolling mean over ``window``
    calendar days ending on each day (days without entries are skipped, not counted as 0).
    A day is a calendar day in ``zone``, the diary keeper's time zone."""
    return series_of(day_totals(points, zone=zone), window)


def series_of(sums: Mapping[date, DayTotals], window: int = ROLLING_DAYS) -> list[DayPoint]:
    """The daily series from each day's totals: the day's means and the rolling mean over
    ``window`` calendar days (days without check-ins are missing, not 0)."""
    days = sorted(sums)
    means = [(sums[d][0] / sums[d][2], sums[d][1] / sums[d][2]) for d in days]
    out = []
    start, leg_total, back_total = 0, 0.0, 0.0
    for index, day in enumerate(days):
        leg_total += means[index][0]
        back_total += means[index][1]
        while days[start] <= day - timedelta(days=window):
            leg_total -= means[start][0]
            back_total -= means[start][1]
            start += 1
        count = index - start + 1
        out.append(
            DayPoint(
                day=day,
                leg=_round(means[index][0]),
                back=_round(means[index][1]),
                entries=sums[day][2],
                leg_7d=_round(leg_total / count),
                back_7d=_round(back_total / count),
            )
        )
    return out


def is_meaningful(baseline: float, change: float) -> bool:
    """Whether a change reaches the minimal important change: 2 points or 30% of baseline."""
    size = abs(change)
    return size >= MIC_POINTS or (baseline > 0 and size / baseline >= MIC_FRACTION)


def points_words(value: float) -> str:
    """ "1 point", "2.5 points", "3 points"."""
    size = abs(round(value, 1))
    number = f"{size:g}"
    return f"{number} point" if number == "1" else f"{number} points"


def describe_change(
    measure: Literal["leg", "back"], baseline: float | None, current: float | None
) -> Change:
    """The change from ``baseline`` to ``current`` with a plain verdict."""
    name = "leg pain" if measure == "leg" else "back pain"
    if baseline is None or current is None:
        return Change(
            measure,
            baseline,
            current,
            None,
            False,
            "unknown",
            f"not enough check-ins yet to say how your {name} is changing",
        )
    change = _round(current - baseline)
    meaningful = is_meaningful(baseline, change)
    direction: Literal["improving", "worse", "about_the_same"] = "about_the_same"
    if meaningful:
        direction = "improving" if change < 0 else "worse"
    if change == 0:
        return Change(
            measure,
            baseline,
            current,
            change,
            False,
            direction,
            f"about the same: no change in your {name} since you started",
        )
    said = f"{direction.replace('_', ' ')}: {name} {'down' if change < 0 else 'up'} "
    said += f"{points_words(change)} since you started"
    mic = "2-point change that matters"
    if not meaningful:
        verdict = f"{said}, less than the {mic}"
    elif abs(change) > MIC_POINTS:
        verdict = f"{said}, more than the {mic}"
    elif abs(change) == MIC_POINTS:
        verdict = f"{said}, the {mic}"
    else:
        verdict = f"{said}, {'a drop' if change < 0 else 'a rise'} of 30% or more, which matters"
    return Change(measure, baseline, current, change, meaningful, direction, verdict)


def trend_readout(
    points: Sequence[PainPoint],
    *,
    baseline_leg: int | None,
    baseline_back: int | None,
    zone: tzinfo = UTC,
) -> TrendReadout:
    """The trend read-out. Baseline: the first assessment's scores when given, else the mean
    of the first 7 days of the diary. Days are calendar days in ``zone``."""
    return readout_of(
        daily_series(points, zone=zone), baseline_leg=baseline_leg, baseline_back=baseline_back
    )


def readout_of(
    days: list[DayPoint], *, baseline_leg: int | None, baseline_back: int | None
) -> TrendReadout:
    """The trend read-out from the daily series (see :func:`trend_readout`)."""
    source: Literal["first_assessment", "first_week", "none"] = "first_assessment"
    base_leg: float | None = baseline_leg
    base_back: float | None = baseline_back
    if base_leg is None or base_back is None:
        if days:
            first = [d for d in days if d.day < days[0].day + timedelta(days=ROLLING_DAYS)]
            base_leg = _round(sum(d.leg for d in first) / len(first))
            base_back = _round(sum(d.back for d in first) / len(first))
            source = "first_week"
            # A baseline taken from the diary needs a later week to compare with.
            if days[-1].day < days[0].day + timedelta(days=ROLLING_DAYS):
                base_leg = base_back = None
        else:
            source = "none"
    current = days[-1] if days else None
    return TrendReadout(
        days=days,
        leg=describe_change("leg", base_leg, current.leg_7d if current else None),
        back=describe_change("back", base_back, current.back_7d if current else None),
        baseline_source=source,
    )
