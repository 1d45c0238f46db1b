"""Save and track: the dashboard with its quick log, the check-in, the diary (paged), the trend
(by range), the weekly SBI.

Every route reads the signed-in person from the session and calls a service; a person who is
not signed in is sent to the log-in page. Services do the access checks and the commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.domain.diary import DiaryInput
from sciatica_care.domain.follow_up import REASON_WORDS
from sciatica_care.domain.outcomes import week_start
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import DEFAULT_LANGUAGE, translator
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import dashboard as dashboard_service
from sciatica_care.services import diary, follow_up, my_sessions
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, InvalidInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork, in_unit_of_work, sends_credentials
from sciatica_care.web.language import request_language
from sciatica_care.web.pages import tracking_words  # noqa: F401  (the read-outs' filters)
from sciatica_care.web.pages.chart import DEFAULT_RANGE, RANGES, in_range, kept_chart, trend_chart
from sciatica_care.web.pages.diary_form import (
    read_checkin,
    read_safety,
    safety_summary,
)
from sciatica_care.web.pages.entry_markup import entry_items
from sciatica_care.web.pages.result_view import result_in
from sciatica_care.web.pages.wizard_form import Answers, PageError, answers_of, errors_by_anchor
from sciatica_care.web.templating import page_context, templates, viewer_zone

T = TypeVar("T")

router = APIRouter()

#: Days of the chart on the dashboard (the trend page offers every range).
DASHBOARD_DAYS = 30


def to_login() -> Response:
    """Where a page that needs an account sends someone who is not signed in."""
    return RedirectResponse("/login", status_code=303)


async def signed_in_page(
    request: Request, work: Callable[[Session, Actor], T], *, takes_turn: bool = True
) -> T | Response:
    """``work`` for the signed-in person, in one unit of work (``in_unit_of_work``: the sign-in,
    the service and its commit in one thread, off the event loop, in turns on SQLite unless
    ``takes_turn`` is False); anyone else is sent to the log-in page."""

    def run(db: Session, user: Actor | None) -> T | Response:
        return to_login() if user is None else work(db, user)

    if not sends_credentials(request):  # no thread, no turn: anonymous is answered at once
        return to_login()
    return await in_unit_of_work(request, run, takes_turn=takes_turn)


def render(request: Request, template: str, *, status_code: int = 200, **values: Any) -> Response:
    return templates.TemplateResponse(
        request, template, page_context(request, **values), status_code=status_code
    )


def stretches(language: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """The stretches a check-in can name, by their knowledge-base titles in ``language``."""
    return [(s.id, s.title) for s in knowledge_base(language).self_care if s.kind == "stretch"]


def checkin_page(
    request: Request,
    user: Any,
    *,
    answers: Answers,
    errors: list[PageError] | None = None,
    entry_id: str | None = None,
    status_code: int = 200,
) -> Response:
    by_anchor = errors_by_anchor(errors)
    return render(
        request,
        "pages/checkin.html",
        status_code=status_code,
        user=user,
        nav="checkin",
        answers=answers,
        page_errors=errors or [],
        errors=by_anchor,
        entry_id=entry_id,
        stretch_choices=stretches(request_language(request)),
        now_input=_now_input(user),
    )


def _now_input(user: Any) -> str:
    """Now, as a ``datetime-local`` value in the person's own time zone (the latest time the
    check-in's "when" may take)."""
    return datetime.now(zone_named(user.time_zone)).strftime("%Y-%m-%dT%H:%M")


def _today(user: Any) -> date:
    """Today in the person's own time zone (their diary days are days there)."""
    return datetime.now(zone_named(user.time_zone)).date()


def _dashboard_page(
    request: Request,
    user: Any,
    db: Any,
    *,
    answers: Answers | None = None,
    errors: list[PageError] | None = None,
    status_code: int = 200,
) -> Response:
    # Read first, in the dashboard's transaction (which its service commits): one transaction
    # a view, not a second one (with its own pool check-out, BEGIN and end) for this read.
    next_appointment = my_sessions.next_appointment(db, actor=user)
    board = dashboard_service.dashboard(db, actor=user)
    this_week = week_start(date.today())
    recent = in_range(board.trend.days, last=DASHBOARD_DAYS, today=_today(user))
    language = request_language(request)
    latest = board.latest.result if board.latest else None
    names = dict(stretches(language))
    return render(
        request,
        "pages/dashboard.html",
        status_code=status_code,
        user=user,
        nav="dashboard",
        board=board,
        chart=kept_chart(
            tuple(recent), baseline=board.trend.leg.baseline, mic_points=board.trend.mic_points
        ),
        chart_range=str(DASHBOARD_DAYS),
        ranges=list(RANGES),
        sbi_due=not any(m.week_of == this_week for m in board.sbi),
        names=names,
        recent_entries=entry_items(
            board.recent_entries,
            names=names,
            language=language,
            zone=viewer_zone({"request": request, "user": user}),
        ),
        welcome="welcome" in request.query_params,
        saved="saved" in request.query_params,
        checked="checked" in request.query_params,
        follow_up=board.follow_up,
        safety=board.safety,
        next_appointment=next_appointment,
        # The latest plan in the page's language (the same decisions, the knowledge base's
        # words in that language).
        latest_result=result_in(latest, language) if latest else None,
        answers=answers or {},
        page_errors=errors or [],
        errors=errors_by_anchor(errors),
    )


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    """The quick log, the trend in words and as a chart, the latest plan, recent check-ins."""

    def page(db: Session, user: Actor) -> Response:
        return _dashboard_page(request, user, db)

    # The sign-in look-up, the reads, the audit row and the page in one worker thread and one
    # transaction: not a hop to a thread for the look-up, its own check-out of a pooled
    # connection (with its ping), BEGIN and COMMIT, then another hop and check-out for the page.
    return await signed_in_page(request, page)


def _saved(row: Any) -> Response:
    """Where a recorded check-in goes next: its safety questions when they are due (the entry
    is saved first: nothing is lost), else the dashboard."""
    if row.safety_reason is not None:
        return RedirectResponse(f"/diary/{row.id}/safety-check", status_code=303)
    return RedirectResponse("/dashboard?saved=1", status_code=303)


@router.post("/diary/quick", response_class=HTMLResponse)
async def quick_log(request: Request) -> Response:
    """The dashboard's quick log: leg and back pain now, nothing else. A pain not given is
    refused, naming it (never stored as 0); the safety re-check asks exactly as after a
    check-in."""
    form = answers_of((await request.form()).multi_items())
    answers = {name: form.get(name, []) for name in ("leg_pain", "back_pain")}
    language = request_language(request)

    def work(db: Session, user: Actor) -> Response:
        entry, errors = read_checkin(answers, language=language)
        if isinstance(entry, DiaryInput):
            return _saved(follow_up.record_check_in(db, actor=user, entry=entry))
        return _dashboard_page(request, user, db, answers=answers, errors=errors, status_code=422)

    return await signed_in_page(request, work)


@router.get("/diary/new", response_class=HTMLResponse)
def new_checkin(request: Request, user: CurrentUser) -> Response:
    """The 20-second check-in form."""
    if user is None:
        return to_login()
    # The pain levels start unset: a check-in never records a 0 nobody chose.
    return checkin_page(request, user, answers={})


@router.post("/diary", response_class=HTMLResponse)
async def record_checkin(request: Request) -> Response:
    """Record a check-in; the form again with every problem named, or the dashboard."""
    answers = answers_of((await request.form()).multi_items())
    language = request_language(request)

    def work(db: Session, user: Actor) -> Response:
        entry, errors = read_checkin(answers, zone=zone_named(user.time_zone), language=language)
        if isinstance(entry, DiaryInput):
            try:
                row = follow_up.record_check_in(db, actor=user, entry=entry)
            except InvalidInput as exc:
                _ = translator(language)
                # The refusal names the stretch id and the ids allowed: in another language it
                # says what to do instead (the form offers only known stretches).
                errors = [
                    PageError(
                        p.field,
                        f"field-{p.field}",
                        _("Stretches"),
                        p.message if language == DEFAULT_LANGUAGE else _("choose from the list"),
                    )
                    for p in exc.problems
                ]
            else:
                return _saved(row)
        return checkin_page(request, user, answers=answers, errors=errors, status_code=422)

    return await signed_in_page(request, work)


def _safety_page(
    request: Request,
    user: Any,
    view: follow_up.Recheck,
    *,
    answers: Answers | None = None,
    errors: list[PageError] | None = None,
    status_code: int = 200,
) -> Response:
    by_anchor = errors_by_anchor(errors)
    return render(
        request,
        "pages/safety_check.html",
        status_code=status_code,
        user=user,
        nav="checkin",
        view=view,
        result=view.result,
        reason_words=REASON_WORDS.get(view.reason or "", ""),
        answers=answers or {},
        page_errors=safety_summary(errors or [], request_language(request)),
        errors=by_anchor,
    )


@router.get("/diary/{entry_id}/safety-check", response_class=HTMLResponse)
def safety_check(request: Request, entry_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """A check-in's safety questions; once answered with a yes, what to do now, first."""
    if user is None:
        return to_login()
    view = follow_up.get_recheck(db, actor=user, entry_id=entry_id)
    return _safety_page(request, user, view)


@router.post("/diary/{entry_id}/safety-check", response_class=HTMLResponse)
async def answer_safety_check(request: Request, entry_id: str) -> Response:
    """Record the answers; a yes shows the triage at once, all no goes back to the dashboard."""
    answers = answers_of((await request.form()).multi_items())
    language = request_language(request)

    def work(db: Session, user: Actor) -> Response:
        view = follow_up.get_recheck(db, actor=user, entry_id=entry_id)
        if not view.pending:
            return RedirectResponse(f"/diary/{entry_id}/safety-check", status_code=303)
        given, errors = read_safety(answers, view.questions, language)
        if given is None:
            return _safety_page(
                request, user, view, answers=answers, errors=errors, status_code=422
            )
        # A yes runs triage and stores an assessment: in one thread, off the event loop.
        view = follow_up.answer_recheck(db, actor=user, entry_id=entry_id, answers=given)
        if view.yes:
            return RedirectResponse(f"/diary/{entry_id}/safety-check", status_code=303)
        return RedirectResponse("/dashboard?saved=1&checked=1", status_code=303)

    return await signed_in_page(request, work)


@router.get("/trend", response_class=HTMLResponse)
def trend_page(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The trend over 7, 30 or 90 days or all the time, with the numbers as a table."""
    if user is None:
        return to_login()
    chosen = request.query_params.get("range", DEFAULT_RANGE)
    if chosen not in RANGES:
        _ = translator(request_language(request))
        raise InvalidInput([FieldProblem(_("range"), _("choose 7, 30, 90 or all"))])
    # The read-out covers all the time (its 7-day means need the days before a short range);
    # the chart and its table show the range chosen.
    readout = diary.trend(db, actor=user, days=RANGES["all"])
    shown = in_range(readout.days, last=RANGES[chosen], today=_today(user))
    chart = trend_chart(shown, baseline=readout.leg.baseline, mic_points=readout.mic_points)
    reading = follow_up.follow_up_of(
        db, clinic_id=user.clinic_id, client_id=user.user_id, trend=readout, helped=None
    )
    return render(
        request,
        "pages/trend.html",
        user=user,
        nav="dashboard",
        trend=readout,
        chart=chart,
        chart_range=chosen,
        ranges=list(RANGES),
        follow_up=reading,
    )
