"""The outcome measures as pages: the PSFS (``/psfs``), the global rating of change
(``/global-rating``) and the weekly Sciatica Bothersomeness Index (``/sbi``).

The PSFS form has five rows, each an activity the person names (``activity_1`` …) and a 0-10
radio scale (``score_1`` …, none preselected); a blank row is skipped. A second time, the last
activities are offered again to re-rate (and can be changed). The global rating is seven radios.
Also here: the small SVG chart of the PSFS mean over time that ``partials/outcome_summary.html``
draws (a Jinja global, so any page that includes the partial can draw it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from sciatica_care.domain.assessment import field_errors
from sciatica_care.domain.outcomes import (
    GLOBAL_RATINGS,
    PSFS_MAX,
    PSFS_MAX_ACTIVITIES,
    PSFS_MEANINGFUL_CHANGE,
    SBI_ITEMS,
    GlobalRatingInput,
    PsfsInput,
)
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translator
from sciatica_care.services import outcomes
from sciatica_care.services.actors import Actor
from sciatica_care.services.outcomes import PsfsPoint
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages import tracking_words  # noqa: F401  (the read-outs' filters)
from sciatica_care.web.pages.diary_form import read_sbi, say
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import (
    Answers,
    PageError,
    answers_of,
    errors_by_anchor,
    last_answer,
)
from sciatica_care.web.templating import page_context, templates

router = APIRouter()

ROWS = tuple(range(1, PSFS_MAX_ACTIVITIES + 1))


NAME_THE_ACTIVITY = N_("name the activity you rated")
RATE_THE_ACTIVITY = N_("choose how well you can do it, 0 to 10")
CHOOSE_0_TO_10 = N_("choose a number from 0 to 10")
NAME_ONE_ACTIVITY = N_("name at least one activity you find hard")
CHOOSE_AN_ANSWER = N_("choose an answer")


def _problem(field_name: str, row: int, message: str, language: str) -> PageError:
    _ = translator(language)
    return PageError(
        field_name, f"field-{field_name}", _("Activity %(n)s") % {"n": row}, say(message, language)
    )


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def read_psfs(
    answers: Mapping[str, list[str]], language: str = DEFAULT_LANGUAGE
) -> tuple[PsfsInput | None, list[PageError]]:
    """Validate the PSFS form: rows with a name and a score; a blank row is skipped. The
    errors are in ``language``."""
    errors: list[PageError] = []
    activities: list[dict[str, Any]] = []
    rows: list[int] = []
    for n in ROWS:
        name, score = last_answer(answers, f"activity_{n}"), last_answer(answers, f"score_{n}")
        if not name and not score:
            continue
        if not name:
            errors.append(_problem(f"activity_{n}", n, NAME_THE_ACTIVITY, language))
        elif not score:
            errors.append(_problem(f"score_{n}", n, RATE_THE_ACTIVITY, language))
        elif _whole(score) is None:
            errors.append(_problem(f"score_{n}", n, CHOOSE_0_TO_10, language))
        else:
            activities.append({"activity": name, "score": _whole(score)})
            rows.append(n)
    if not activities and not errors:
        errors.append(_problem("activity_1", 1, NAME_ONE_ACTIVITY, language))
    if errors:
        return None, errors
    try:
        return PsfsInput.model_validate({"activities": activities}), []
    except ValidationError as exc:
        problems = []
        for e in field_errors(exc):
            parts = e.field.split(".")  # activities.<index>.<activity|score>
            row = rows[int(parts[1])] if len(parts) > 1 and parts[1].isdigit() else 1
            what = "score" if parts[-1] == "score" else "activity"
            problems.append(_problem(f"{what}_{row}", row, e.message, language))
        return None, problems


def read_global_rating(
    answers: Mapping[str, list[str]], language: str = DEFAULT_LANGUAGE
) -> tuple[GlobalRatingInput | None, list[PageError]]:
    """Validate the global rating form: one of the seven answers (the error in ``language``)."""
    _ = translator(language)
    refused = [PageError("rating", "field-rating", _("Your sciatica"), _(CHOOSE_AN_ANSWER))]
    value = _whole(last_answer(answers, "rating"))
    if value is None:
        return None, refused
    try:
        return GlobalRatingInput(rating=value), []
    except ValidationError:
        return None, refused


def _render(request: Request, template: str, *, status_code: int = 200, **values: Any) -> Response:
    return templates.TemplateResponse(
        request, template, page_context(request, **values), status_code=status_code
    )


def _psfs_page(
    request: Request,
    user: Actor,
    db: Session,
    *,
    answers: Answers | None = None,
    errors: list[PageError] | None = None,
    status_code: int = 200,
) -> Response:
    summary = outcomes.outcome_summary(db, actor=user)
    last = dict(summary.activities)
    if answers is None:  # offer the last activities again, to re-rate (none preselected)
        answers = {f"activity_{n}": [name] for n, name in zip(ROWS, last, strict=False)}
    return _render(
        request,
        "pages/psfs.html",
        status_code=status_code,
        user=user,
        nav="dashboard",
        rows=ROWS,
        scale=[(str(v), str(v)) for v in range(PSFS_MAX + 1)],
        last_scores=last,
        answers=answers,
        page_errors=errors or [],
        errors=errors_by_anchor(errors),
        summary=summary,
    )


async def _recorded(
    request: Request,
    read: Callable[[Answers, str], tuple[Any, list[PageError]]],
    page: Callable[..., Response],
    store: Callable[..., object],
) -> Response:
    """A questionnaire's answers recorded (``store``) once ``read`` finds them complete, then
    the dashboard; otherwise its ``page`` again with the problems and the answers. The form is
    read on the event loop; the reading, the store and its commit run in one unit of work."""
    answers = answers_of((await request.form()).multi_items())

    def work(db: Session, user: Actor) -> Response:
        checked, errors = read(answers, request_language(request))
        if checked is None:
            return page(request, user, db, answers=answers, errors=errors, status_code=422)
        store(db, actor=user, answers=checked)
        return RedirectResponse("/dashboard?saved=1", status_code=303)

    return await signed_in_page(request, work)


@router.get("/psfs", response_class=HTMLResponse)
def psfs_form(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The Patient-Specific Functional Scale: activities you find hard, each rated 0-10."""
    if user is None:
        return to_login()
    return _psfs_page(request, user, db)


@router.post("/psfs", response_class=HTMLResponse)
async def record_psfs(request: Request) -> Response:
    """Record the PSFS (a second one the same day replaces the first)."""
    return await _recorded(request, read_psfs, _psfs_page, outcomes.record_psfs)


def _rating_page(
    request: Request,
    user: Actor,
    db: Session,
    *,
    answers: Answers,
    errors: list[PageError] | None = None,
    status_code: int = 200,
) -> Response:
    _ = translator(request_language(request))
    return _render(
        request,
        "pages/global_rating.html",
        status_code=status_code,
        user=user,
        nav="dashboard",
        options=[(str(v), _(text).capitalize()) for v, text in reversed(GLOBAL_RATINGS.items())],
        answers=answers,
        page_errors=errors or [],
        errors=errors_by_anchor(errors),
        summary=outcomes.outcome_summary(db, actor=user),
    )


@router.get("/global-rating", response_class=HTMLResponse)
def global_rating_form(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The global rating of change: compared with when you started, your sciatica is…"""
    if user is None:
        return to_login()
    return _rating_page(request, user, db, answers={})


@router.post("/global-rating", response_class=HTMLResponse)
async def record_global_rating(request: Request) -> Response:
    """Record the global rating of change (a second one the same day replaces the first)."""
    return await _recorded(request, read_global_rating, _rating_page, outcomes.record_global_rating)


# --- The PSFS chart --------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 16, 12, 34


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    #: The day a date label names (the template says it in the page's language: short_day).
    day: date | None = None


@dataclass(slots=True)
class PsfsChart:
    """The PSFS mean over time, with the line 2 points above the first (the change that
    matters); coordinates in the SVG's own units."""

    width: int = WIDTH
    height: int = HEIGHT
    path: str = ""
    dots: list[tuple[float, float]] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    change_y: float | None = None
    change_points: int = PSFS_MEANINGFUL_CHANGE
    plot: tuple[int, int, int, int] = (LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM)


def _y(score: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / PSFS_MAX), 1)


def _label(day: date) -> str:
    return f"{day.day} {day:%b}"


def psfs_chart(points: Sequence[PsfsPoint]) -> PsfsChart:
    """Lay out the chart (points oldest first); empty when there is nothing to draw."""
    chart = PsfsChart(y_ticks=[Tick(LEFT - 6, _y(v), str(v)) for v in range(0, 11, 2)])
    if not points:
        return chart
    if points[0].mean + PSFS_MEANINGFUL_CHANGE <= PSFS_MAX:
        chart.change_y = _y(points[0].mean + PSFS_MEANINGFUL_CHANGE)
    first, last = points[0].day, points[-1].day
    span = max(1, (last - first).days)
    inner = WIDTH - LEFT - RIGHT

    def x(day: date) -> float:
        if first == last:
            return LEFT + inner / 2
        return round(LEFT + inner * (day - first).days / span, 1)

    chart.dots = [(x(p.day), _y(p.mean)) for p in points]
    chart.path = " ".join(
        f"{'M' if i == 0 else 'L'}{px},{py}" for i, (px, py) in enumerate(chart.dots)
    )
    if first == last:
        chart.x_ticks = [Tick(x(first), HEIGHT - BOTTOM + 20, _label(first), day=first)]
    else:
        chart.x_ticks = [
            Tick(x(first), HEIGHT - BOTTOM + 20, _label(first), "start", first),
            Tick(x(last), HEIGHT - BOTTOM + 20, _label(last), "end", last),
        ]
    return chart


templates.env.globals["psfs_chart"] = psfs_chart


# --- The weekly Sciatica Bothersomeness Index -------------------------------------------------


def _sbi_page(
    request: Request,
    user: Any,
    db: Any,
    *,
    answers: Answers,
    errors: list[PageError] | None = None,
    status_code: int = 200,
) -> Response:
    history, change = outcomes.list_sbi(db, actor=user)
    by_anchor = errors_by_anchor(errors)
    return _render(
        request,
        "pages/sbi.html",
        status_code=status_code,
        user=user,
        nav="dashboard",
        items=SBI_ITEMS,
        answers=answers,
        page_errors=errors or [],
        errors=by_anchor,
        history=history,
        change=change,
    )


@router.get("/sbi", response_class=HTMLResponse)
def sbi_form(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The weekly Sciatica Bothersomeness Index, with the scores so far."""
    if user is None:
        return to_login()
    return _sbi_page(request, user, db, answers={})


@router.post("/sbi", response_class=HTMLResponse)
async def record_sbi(request: Request) -> Response:
    """Record this week's SBI (a second one this week replaces the first)."""
    return await _recorded(request, read_sbi, _sbi_page, outcomes.record_sbi)
