"""The trend chart as server-rendered SVG geometry: no script, no chart library.

Daily leg and back pain, the 7-day mean of leg pain, the baseline and the band of +/- the
minimal important change around it (inside the band, a change is smaller than one that matters).

The drawing is laid out for a phone: its own units are about CSS pixels on a 390 px screen, so
the labels (13 units) stay at 12 px or more there. Each day is a point that takes the focus and
names its values; the table under the chart stays the full text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sciatica_care.domain.diary import DayPoint
from sciatica_care.services import held

WIDTH, HEIGHT = 360, 250
LEFT, RIGHT, TOP, BOTTOM = 26, 10, 32, 30
#: The strip above the plot where a focused point's values show (no line crosses it).
TIP_Y = 18
#: A chart with more days than this draws lines only (no focusable points): the table has them.
MAX_POINTS = 120
#: The ranges a person can choose (days back from today; "all" reaches as far as the API does).
RANGES: dict[str, int] = {"7": 7, "30": 30, "90": 90, "all": 3660}
DEFAULT_RANGE = "90"
#: How far a point's label keeps from the edges of the chart (half its width, roughly: the
#: Korean label is the wider).
TIP_HALF = 100
#: The least distance between two date labels on the axis (a label is up to about 55 units
#: wide, in Korean too), so that they never overlap.
MIN_TICK_GAP = 80


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    #: The day a date label names (the template says it in the page's language: short_day).
    day: date | None = None


@dataclass(frozen=True, slots=True)
class Point:
    """One day: where its dots go, and where its label shows when the point has the focus."""

    day: DayPoint
    label: str
    x: float
    leg_y: float
    back_y: float
    tip_x: float
    tip_y: float = TIP_Y


@dataclass(slots=True)
class TrendChart:
    """Everything the template draws; coordinates are in the SVG's own units."""

    width: int = WIDTH
    height: int = HEIGHT
    leg_path: str = ""
    back_path: str = ""
    mean_path: str = ""
    days: list[DayPoint] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    baseline_y: float | None = None
    band: tuple[float, float] | None = None  # top y, height
    plot: tuple[int, int, int, int] = (LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM)
    #: What the chart says in each language, once made (``tracking_words.chart_words``): a
    #: chart drawn again (``kept_chart``) is not said again.
    said: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _y(score: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / 10), 1)


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(points))


def _label(day: date) -> str:
    return f"{day.day} {day:%b}"


def in_range(days: Sequence[DayPoint], *, last: int, today: date) -> list[DayPoint]:
    """The days of the last ``last`` calendar days up to ``today`` (oldest first)."""
    first = today - timedelta(days=last - 1)
    return [d for d in days if d.day >= first]


def _tip_x(x: float) -> float:
    """Where a point's label is centred: over the point, kept inside the chart."""
    return round(min(max(x, TIP_HALF), WIDTH - TIP_HALF), 1)


def trend_chart(
    days: Sequence[DayPoint], *, baseline: float | None, mic_points: float
) -> TrendChart:
    """Lay out the chart for ``days`` (oldest first); empty when there is nothing to draw."""
    chart = TrendChart()
    chart.y_ticks = [Tick(LEFT - 5, _y(v), str(v)) for v in range(0, 11, 2)]
    if baseline is not None:
        chart.baseline_y = _y(baseline)
        top, bottom = _y(min(10.0, baseline + mic_points)), _y(max(0.0, baseline - mic_points))
        chart.band = (top, round(bottom - top, 1))
    chart.days = list(days)
    if not days:
        return chart
    first, last = days[0].day, days[-1].day
    span = max(1, (last - first).days)
    inner = WIDTH - LEFT - RIGHT

    def x(day: date) -> float:
        if first == last:
            return LEFT + inner / 2
        return round(LEFT + inner * (day - first).days / span, 1)

    leg = [(x(d.day), _y(d.leg)) for d in days]
    back = [(x(d.day), _y(d.back)) for d in days]
    chart.leg_path, chart.back_path = _path(leg), _path(back)
    chart.mean_path = _path([(x(d.day), _y(d.leg_7d)) for d in days])
    if len(days) <= MAX_POINTS:
        chart.points = [
            Point(d, _label(d.day), lx, ly, by, _tip_x(lx))
            for d, (lx, ly), (_, by) in zip(days, leg, back, strict=True)
        ]
    # Four dates at most: each label is about 45 units wide at 13 units a letter-height.
    ticks = 4 if span >= 4 else span + 1
    seen: set[date] = set()
    for i in range(ticks):
        day = days[0].day if ticks == 1 else first + (last - first) * i / (ticks - 1)
        if day not in seen:
            seen.add(day)
            # The end labels align inwards so that they are not cut off at the edges.
            anchor = "middle" if ticks == 1 else {0: "start", ticks - 1: "end"}.get(i, "middle")
            chart.x_ticks.append(Tick(x(day), HEIGHT - BOTTOM + 20, _label(day), anchor, day))
    chart.x_ticks = spaced(chart.x_ticks)
    return chart


@lru_cache(maxsize=128)
def kept_chart(
    days: tuple[DayPoint, ...], *, baseline: float | None, mic_points: float
) -> TrendChart:
    """:func:`trend_chart`, the same chart for the same days kept (with its words, once said):
    the dashboard draws the same month on every view until a check-in or a new day changes
    it, and drawing and saying it cost a sixth of the page. Nothing changes a chart once
    drawn (the templates only read it)."""
    return trend_chart(days, baseline=baseline, mic_points=mic_points)


held.holds_cache("charts", kept_chart)


def spaced(ticks: list[Tick]) -> list[Tick]:
    """The date labels without any closer than ``MIN_TICK_GAP`` to the one before (the first
    and the last date stay)."""
    kept: list[Tick] = []
    for index, tick in enumerate(ticks):
        if kept and tick.x - kept[-1].x < MIN_TICK_GAP:
            if index == len(ticks) - 1 and len(kept) > 1:
                kept[-1] = tick  # the last date stays; the one before it goes
            continue
        kept.append(tick)
    return kept
