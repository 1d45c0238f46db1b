"""The trend chart's repeated markup, drawn in Python: one focusable point per day and one table
row per day (``partials/trend_chart.html`` places them).

Drawn by Jinja, each point cost a loop turn, a tuple unpacking and eight escaped values; with a
month of days that was most of the chart's rendering. Here each is one format string. The text
is exactly what the template's loops wrote, line breaks and indentation included (the pages
are compared byte for byte, ``bench/dashboard_identical.py``): numbers as ``str`` writes them,
words escaped as autoescaping escapes them.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from sciatica_care.domain.diary import DayPoint
from sciatica_care.web.pages.chart import Point

#: Half the side of a back-pain dot (a 5-unit square centred on the day's back pain).
BACK_DOT = 2.5

_POINT = (
    '\n    \n    <g class="chart-point" tabindex="0" role="img" aria-label="{words}">\n'
    '      <circle class="chart-hit" cx="{x}" cy="{leg_y}" r="11"/>\n'
    '      <rect class="chart-back-dot" x="{dot_x}" y="{dot_y}" width="5" height="5"/>\n'
    '      <circle class="chart-leg-dot" cx="{x}" cy="{leg_y}" r="3.5"/>\n'
    '      <text class="chart-tip" x="{tip_x}" y="{tip_y}" text-anchor="middle">{tip}</text>\n'
    "    </g>\n    "
)
_ROW = (
    '\n        <tr><th scope="row">{day}</th><td>{leg}</td><td>{back}</td><td>{leg_7d}</td>'
    "<td>{back_7d}</td><td>{entries}</td></tr>\n        "
)


def chart_points(points: Sequence[Point], said: Sequence[tuple[str, str]]) -> Markup:
    """The focusable points: per point its label (read when it has the focus) and its tip (the
    short text shown), ``said`` in the order of ``points``."""
    return Markup(
        "".join(
            _POINT.format(
                words=escape(words),
                x=p.x,
                leg_y=p.leg_y,
                dot_x=p.x - BACK_DOT,
                dot_y=p.back_y - BACK_DOT,
                tip_x=p.tip_x,
                tip_y=p.tip_y,
                tip=escape(tip),
            )
            for p, (words, tip) in zip(points, said, strict=True)
        )
    )


def chart_rows(rows: Sequence[tuple[str, DayPoint]]) -> Markup:
    """The table's rows: each day as the table names it, with its numbers."""
    return Markup(
        "".join(
            _ROW.format(
                day=escape(day),
                leg=d.leg,
                back=d.back,
                leg_7d=d.leg_7d,
                back_7d=d.back_7d,
                entries=d.entries,
            )
            for day, d in rows
        )
    )
