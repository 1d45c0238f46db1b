"""The tracking read-outs in the page's language: the trend verdicts, the follow-up reasons and
advice, the PSFS and SBI changes, the global rating, and the chart's short dates.

The domain says these in English (the API's words, ``domain/diary.py`` and
``domain/outcomes.py``); here the same sentences are made from the same numbers through the
catalog, each a whole sentence (Korean word order differs), so the English stays word for word
what the domain says (``tests/unit/test_tracking_words.py`` checks it).

Templates use them as filters: ``trend.leg | trend_words``, ``summary.psfs_change | psfs_words``,
``change | sbi_words``, ``follow_up | follow_up_advice``, ``follow_up | follow_up_reasons``,
``rating.label | rating_words``, ``day | short_day`` and ``chart | chart_words``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from sciatica_care import i18n
from sciatica_care.domain.diary import Change
from sciatica_care.domain.follow_up import FollowUp
from sciatica_care.domain.outcomes import (
    PSFS_MAX,
    PSFS_MEANINGFUL_CHANGE,
    SBI_MAX,
    PsfsChange,
    SbiChange,
)
from sciatica_care.domain.vocabulary import label
from sciatica_care.i18n import N_
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.chart import TrendChart
from sciatica_care.web.pages.chart_markup import chart_points, chart_rows
from sciatica_care.web.templating import templates, when

# --- The trend: the change of leg or back pain since the start --------------------------------

#: The verdict by (direction, which way the pain moved, how it compares with the change that
#: matters): "less", "more", "the" (exactly 2 points) or "fraction" (30% of the start or more).
VERDICTS: dict[tuple[str, str, str], str] = {
    ("about_the_same", "down", "less"): N_(
        "about the same: %(name)s down %(points)s since you started, less than the 2-point "
        "change that matters"
    ),
    ("about_the_same", "up", "less"): N_(
        "about the same: %(name)s up %(points)s since you started, less than the 2-point "
        "change that matters"
    ),
    ("improving", "down", "more"): N_(
        "improving: %(name)s down %(points)s since you started, more than the 2-point change "
        "that matters"
    ),
    ("improving", "down", "the"): N_(
        "improving: %(name)s down %(points)s since you started, the 2-point change that matters"
    ),
    ("improving", "down", "fraction"): N_(
        "improving: %(name)s down %(points)s since you started, a drop of 30%% or more, which "
        "matters"
    ),
    ("worse", "up", "more"): N_(
        "worse: %(name)s up %(points)s since you started, more than the 2-point change that matters"
    ),
    ("worse", "up", "the"): N_(
        "worse: %(name)s up %(points)s since you started, the 2-point change that matters"
    ),
    ("worse", "up", "fraction"): N_(
        "worse: %(name)s up %(points)s since you started, a rise of 30%% or more, which matters"
    ),
}
MIC_POINTS = 2.0


def _measure(measure: str, language: str) -> str:
    _ = i18n.translator(language)
    return _("leg pain") if measure == "leg" else _("back pain")


def points_words(value: float, language: str) -> str:
    """ "1 point", "2.5 points" in ``language``."""
    ngettext = i18n.translations(language).ngettext
    number = f"{abs(round(value, 1)):g}"
    return ngettext("%(num)s point", "%(num)s points", 1 if number == "1" else 2) % {"num": number}


def change_words(change: Change, language: str) -> str:
    """The verdict on the change of one pain since the start, in ``language``."""
    _ = i18n.translator(language)
    name = _measure(change.measure, language)
    if change.baseline is None or change.current is None or change.change is None:
        return _("not enough check-ins yet to say how your %(name)s is changing") % {"name": name}
    if change.change == 0:
        return _("about the same: no change in your %(name)s since you started") % {"name": name}
    size = abs(change.change)
    if not change.meaningful:
        kind = "less"
    elif size > MIC_POINTS:
        kind = "more"
    elif size == MIC_POINTS:
        kind = "the"
    else:
        kind = "fraction"
    moved = "down" if change.change < 0 else "up"
    message = VERDICTS.get((change.direction, moved, kind))
    if message is None:  # not a combination the domain makes
        return change.verdict
    return _(message) % {"name": name, "points": points_words(change.change, language)}


# --- Follow-up: not settling, not improving ---------------------------------------------------


def follow_up_advice_words(reading: FollowUp, language: str) -> str:
    """What to do, in ``language`` ("" when nothing is flagged)."""
    return i18n.gettext(language, reading.advice) if reading.advice else ""


def follow_up_reason_words(reading: FollowUp, language: str) -> list[str]:
    """Why, in ``language``: each reason a whole sentence."""
    _ = i18n.translator(language)
    out = []
    for message, values in reading.details:
        named = dict(values)
        if "measure" in named:
            named["measure"] = _measure(named["measure"], language)
        if "technique" in named:
            named["technique"] = _(label("techniques", named["technique"]))
        out.append(_(message) % named)
    return out or list(reading.reasons)


# --- The PSFS and the SBI -----------------------------------------------------------------


def _one(value: float) -> str:
    return f"{value:.1f}"


def psfs_change_words(change: PsfsChange, language: str) -> str:
    """The change of the PSFS mean since the start, in ``language``."""
    _ = i18n.translator(language)
    if change.latest is None or change.first is None:
        return _("no activity score yet")
    values = {
        "score": _one(change.latest),
        "max": str(PSFS_MAX),
        "first": _one(change.first),
        "mic": str(PSFS_MEANINGFUL_CHANGE),
    }
    if change.change is None:
        return _("first score: %(score)s of %(max)s") % values
    if change.change == 0:
        return _("%(score)s of %(max)s, the same as when you started") % values
    values["change"] = _one(abs(change.change))
    if change.change > 0 and change.meaningful:
        message = _(
            "%(score)s of %(max)s, up %(change)s since you started (%(first)s): improving by at "
            "least the %(mic)s-point change that matters"
        )
    elif change.change > 0:
        message = _(
            "%(score)s of %(max)s, up %(change)s since you started (%(first)s): less than the "
            "%(mic)s-point change that matters"
        )
    elif change.meaningful:
        message = _(
            "%(score)s of %(max)s, down %(change)s since you started (%(first)s): worse by at "
            "least the %(mic)s-point change that matters"
        )
    else:
        message = _(
            "%(score)s of %(max)s, down %(change)s since you started (%(first)s): less than the "
            "%(mic)s-point change that matters"
        )
    return message % values


def sbi_change_words(change: SbiChange, language: str) -> str:
    """The change of the weekly SBI total since the first week, in ``language``."""
    _ = i18n.translator(language)
    if change.latest is None or change.first is None:
        return _("no weekly bothersomeness score yet")
    values = {"score": str(change.latest), "max": str(SBI_MAX), "first": str(change.first)}
    if change.change is None:
        return _("first score: %(score)s of %(max)s") % values
    if change.change == 0:
        return _("%(score)s of %(max)s, the same as your first week") % values
    values["change"] = str(abs(change.change))
    if change.change < 0:
        message = _("%(score)s of %(max)s, down %(change)s since your first week (%(first)s)")
    else:
        message = _("%(score)s of %(max)s, up %(change)s since your first week (%(first)s)")
    return message % values


def rating_words(text: str, language: str) -> str:
    """A global rating ("a little better") in ``language`` (``GLOBAL_RATINGS`` are marked)."""
    return i18n.gettext(language, text)


# --- Dates on the charts ------------------------------------------------------------------


def short_day(day: date, language: str) -> str:
    """A day without its year, as on a chart's axis and a point's label: "3 Mar" in English,
    "3. 7." in Korean (the numeric short date: "3월 7일" is too wide for the axis)."""
    if language == i18n.DEFAULT_LANGUAGE:
        return f"{day.day} {day:%b}"
    from babel.dates import format_skeleton

    return str(format_skeleton("Md", day, locale=i18n.locale(language)))


# --- The chart's points and its table ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartWords:
    """What the trend chart says, in the page's language, made in one go rather than per point
    in the template (the chart's words had been a third of the dashboard page's CPU, and its
    per-point markup, drawn by Jinja, most of what was left of the chart)."""

    #: The focusable points (``chart.points``), each with its label and tip, as SVG.
    points: Markup
    #: The table's rows, newest day first ("" when there is no day: the template says so).
    rows: Markup


def chart_words(chart: TrendChart, language: str) -> ChartWords:
    """The chart's points and table rows in ``language``, as markup (``chart_markup.py``);
    made once per chart and language (a kept chart, ``chart.kept_chart``, is said once)."""
    said: ChartWords | None = chart.said.get(language)
    if said is None:
        said = chart.said[language] = _chart_words(chart, language)
    return said


def _chart_words(chart: TrendChart, language: str) -> ChartWords:
    _ = i18n.translator(language)
    spoken = _("%(day)s: leg pain %(leg)s, back pain %(back)s, leg pain 7-day average %(mean)s")
    tip = _("%(day)s: leg %(leg)s, back %(back)s")
    named = {d.day: when(d.day, None, language) for d in chart.days}  # each day named once
    points = []
    for point in chart.points:
        d = point.day
        said = {"day": named[d.day], "leg": d.leg, "back": d.back}
        points.append(
            (spoken % {**said, "mean": d.leg_7d}, tip % {**said, "day": short_day(d.day, language)})
        )
    rows = [(named[d.day], d) for d in reversed(chart.days)]
    return ChartWords(chart_points(chart.points, points), chart_rows(rows))


@pass_context
def chart_drawing(context: Mapping[str, Any], chart: TrendChart) -> Markup:
    """The ``chart_drawing`` filter: ``partials/chart_drawing.html`` (the chart's band, axes,
    baseline and lines) for ``chart`` in the page's language, drawn once per chart and
    language and kept with the chart (a kept chart, ``chart.kept_chart``, is drawn once: its
    axes' loops were a third of the chart's rendering on every view)."""
    request = context.get("request")
    key = f"drawing:{request_language(request)}"
    drawn: Markup | None = chart.said.get(key)
    if drawn is None:
        page = templates.get_template("partials/chart_drawing.html")
        drawn = chart.said[key] = Markup(page.render(request=request, chart=chart))
    return drawn


# --- As template filters ------------------------------------------------------------------


def _in_page_language(words: Callable[[Any, str], Any]) -> Callable[..., Any]:
    @pass_context
    def the_filter(context: Mapping[str, Any], value: Any) -> Any:
        return words(value, request_language(context.get("request")))

    return the_filter


templates.env.filters["trend_words"] = _in_page_language(change_words)
templates.env.filters["psfs_words"] = _in_page_language(psfs_change_words)
templates.env.filters["sbi_words"] = _in_page_language(sbi_change_words)
templates.env.filters["follow_up_advice"] = _in_page_language(follow_up_advice_words)
templates.env.filters["follow_up_reasons"] = _in_page_language(follow_up_reason_words)
templates.env.filters["rating_words"] = _in_page_language(rating_words)
templates.env.filters["short_day"] = _in_page_language(short_day)
templates.env.filters["chart_words"] = _in_page_language(chart_words)
templates.env.filters["chart_drawing"] = chart_drawing
