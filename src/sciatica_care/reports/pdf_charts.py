"""Small server-side SVG charts for the doctor's report: a score over time against a line.

The pain trend chart reuses the dashboard's geometry (``web/pages/chart.py``); this is for the
weekly and fortnightly scores (SBI, PSFS, global rating of change), which have their own ranges
and a reference line (the first score plus or minus the change that matters, or a threshold).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

WIDTH, HEIGHT = 300, 130
LEFT, RIGHT, TOP, BOTTOM = 30, 10, 10, 26


@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(slots=True)
class ScoreChart:
    """What the template draws, in the SVG's own units."""

    width: int = WIDTH
    height: int = HEIGHT
    path: str = ""
    dots: list[tuple[float, float]] = field(default_factory=list)
    y_ticks: list[Mark] = field(default_factory=list)
    x_ticks: list[Mark] = field(default_factory=list)
    reference_y: float | None = None
    reference_label: str = ""
    plot: tuple[int, int, int, int] = (LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM)


def date_label(day: date, language: str = "en") -> str:
    """A day on a chart's axis: "3 Mar" in English, "3월 3일" in Korean (Babel's month-day)."""
    if language == "en":
        return f"{day.day} {day:%b}"
    from babel.dates import format_skeleton

    from sciatica_care.i18n import locale

    return format_skeleton("MMMd", day, locale=locale(language))


def score_chart(
    points: Sequence[tuple[date, float]],
    *,
    low: float,
    high: float,
    step: float,
    reference: float | None = None,
    reference_label: str = "",
    language: str = "en",
) -> ScoreChart:
    """Lay out ``points`` (oldest first) on a ``low``-``high`` scale with ticks every ``step``
    and an optional dashed ``reference`` line; empty when there are no points."""
    chart = ScoreChart(reference_label=reference_label)
    inner_h = HEIGHT - TOP - BOTTOM
    inner_w = WIDTH - LEFT - RIGHT

    def y(value: float) -> float:
        value = min(high, max(low, value))
        return round(TOP + inner_h * (1 - (value - low) / (high - low)), 1)

    tick = low
    while tick <= high + 1e-9:
        chart.y_ticks.append(Mark(LEFT - 5, y(tick) + 3, f"{tick:g}", "end"))
        tick += step
    if reference is not None:
        chart.reference_y = y(reference)
    if not points:
        return chart
    first, last = points[0][0], points[-1][0]
    span = max(1, (last - first).days)

    def x(day: date) -> float:
        if first == last:
            return LEFT + inner_w / 2
        return round(LEFT + inner_w * (day - first).days / span, 1)

    chart.dots = [(x(d), y(v)) for d, v in points]
    chart.path = " ".join(
        f"{'M' if i == 0 else 'L'}{px},{py}" for i, (px, py) in enumerate(chart.dots)
    )
    ends = [points[0][0]] if first == last else [first, last]
    for i, day in enumerate(ends):
        anchor = "middle" if len(ends) == 1 else ("start" if i == 0 else "end")
        chart.x_ticks.append(Mark(x(day), HEIGHT - BOTTOM + 16, date_label(day, language), anchor))
    return chart
