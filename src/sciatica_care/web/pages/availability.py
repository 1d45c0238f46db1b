"""The therapist's availability page: weekly hours (several stretches a day, typed as
"09:00-12:00, 13:00-17:00"), exceptions (rows of day, kind, from, to) and booking rules. The
form is read into the service's input; every problem is shown next to its control with the
therapist's input kept."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translator
from sciatica_care.services import availability
from sciatica_care.services.actors import Actor
from sciatica_care.services.availability import Availability
from sciatica_care.services.errors import FieldProblem, InvalidInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.therapist import therapist_only
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import Answers, PageError, answers_of, errors_by_anchor
from sciatica_care.web.templating import page_context, templates

router = APIRouter()

DAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
BLANK_EXCEPTION_ROWS = 3
#: What each control is called on the page (to name it in an error), in English: the page
#: shows it in its own language.
FIELDS: dict[str, str] = {
    "session_lengths": N_("Session lengths"),
    "buffer_before_minutes": N_("Buffer before"),
    "buffer_after_minutes": N_("Buffer after"),
    "min_notice_hours": N_("Minimum notice"),
    "horizon_days": N_("How far ahead"),
    "slot_step_minutes": N_("Start times every"),
    "new_clients": N_("New clients"),
    "cancellation_window_hours": N_("Cancellation window"),
    "waitlist_hold_minutes": N_("Waitlist hold"),
    "accepting_new_clients": N_("Accepting new clients"),
    "daily_agenda": N_("Daily agenda email"),
}
YOUR_AVAILABILITY = N_("Your availability")
RULE_FIELDS = tuple(f for f in FIELDS if f not in ("accepting_new_clients", "daily_agenda"))
_STRETCH = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*(?:-|–|to)\s*(\d{1,2}[:.]\d{2})\s*$")


def _hours_field(day: int) -> str:
    return f"hours_{day}"


def _stretches(
    text: str, day: int, language: str = DEFAULT_LANGUAGE
) -> tuple[list[dict[str, Any]], str]:
    """ "09:00-12:00, 13:00-17:00" as stretches, or the reason it cannot be read."""
    _ = translator(language)
    found = []
    for part in (p for p in text.split(",") if p.strip()):
        match = _STRETCH.match(part)
        if match is None:
            problem = _("write hours like 09:00-12:00, 13:00-17:00 (could not read “%(part)s”)")
            return [], problem % {"part": part.strip()}
        starts, ends = (m.replace(".", ":").zfill(5) for m in match.groups())
        found.append({"weekday": day, "starts": starts, "ends": ends})
    return found, ""


def _last(answers: Answers, name: str) -> str:
    return (answers.get(name) or [""])[-1].strip()


def read_form(
    answers: Answers, language: str = DEFAULT_LANGUAGE
) -> tuple[dict[str, Any], list[PageError], list[int], list[int]]:
    """The form as the service's input, the errors found while reading it, and for each
    stretch its weekday and for each exception its row (to put later errors in place). The
    errors name the controls in ``language``."""
    _ = translator(language)
    errors: list[PageError] = []
    hours: list[dict[str, Any]] = []
    for day in range(7):
        found, problem = _stretches(_last(answers, _hours_field(day)), day, language)
        if problem:
            name = _(DAYS[day])
            errors.append(PageError(_hours_field(day), f"field-hours_{day}", name, problem))
        hours += found
    exceptions, rows = [], []
    columns = [answers.get(name, []) for name in ("exc_day", "exc_kind", "exc_from", "exc_to")]
    for row, (day, kind, starts, ends) in enumerate(zip(*columns, strict=False)):
        if not (day.strip() or starts.strip() or ends.strip()):
            continue
        exceptions.append(
            {
                "day": day.strip() or None,
                "kind": kind,
                "starts": starts.strip() or None,
                "ends": ends.strip() or None,
            }
        )
        rows.append(row)
    data: dict[str, Any] = {
        "weekly_hours": hours,
        "exceptions": exceptions,
        "session_lengths": [
            p.strip() for p in _last(answers, "session_lengths").split(",") if p.strip()
        ],
        "accepting_new_clients": "accepting_new_clients" in answers,
        "daily_agenda": "daily_agenda" in answers,
    }
    for name in RULE_FIELDS:
        data[name] = data.get(name) or _last(answers, name)
        if not data[name]:
            errors.append(PageError(name, f"field-{name}", _(FIELDS[name]), "is required"))
    return data, errors, [h["weekday"] for h in hours], rows


def page_errors(
    problems: list[FieldProblem],
    weekdays: list[int],
    rows: list[int],
    language: str = DEFAULT_LANGUAGE,
) -> list[PageError]:
    """The service's problems as the page shows them, each by its control (named in
    ``language``)."""
    _ = translator(language)
    errors = []
    for p in problems:
        parts = p.field.split(".")
        if parts[0] == "weekly_hours" and len(parts) > 1 and parts[1].isdigit():
            day = weekdays[int(parts[1])]
            errors.append(PageError(p.field, f"field-hours_{day}", _(DAYS[day]), p.message))
        elif parts[0] == "exceptions" and len(parts) > 1 and parts[1].isdigit():
            row = rows[int(parts[1])]
            name = _("Change %(n)s") % {"n": row + 1}
            if len(parts) > 2:
                name = _("Change %(n)s (%(part)s)") % {"n": row + 1, "part": parts[2]}
            errors.append(PageError(p.field, f"field-exc-{row}", name, p.message))
        else:
            name = _(FIELDS.get(parts[0], YOUR_AVAILABILITY))
            errors.append(PageError(p.field, f"field-{parts[0]}", name, p.message))
    return errors


def answers_of_saved(saved: Availability) -> Answers:
    """The saved availability as the form's answers."""
    s = saved.settings
    answers: Answers = {
        _hours_field(day): [
            ", ".join(
                f"{h.starts:%H:%M}-{h.ends:%H:%M}" for h in s.weekly_hours if h.weekday == day
            )
        ]
        for day in range(7)
    }
    answers["exc_day"] = [e.day.isoformat() for e in s.exceptions]
    answers["exc_kind"] = [e.kind for e in s.exceptions]
    answers["exc_from"] = [f"{e.starts:%H:%M}" if e.starts else "" for e in s.exceptions]
    answers["exc_to"] = [f"{e.ends:%H:%M}" if e.ends else "" for e in s.exceptions]
    answers["session_lengths"] = [", ".join(str(n) for n in s.session_lengths)]
    for name in RULE_FIELDS[1:]:
        answers[name] = [str(getattr(s, name))]
    for name in ("accepting_new_clients", "daily_agenda"):
        if getattr(s, name):
            answers[name] = ["on"]
    return answers


def _page(
    request: Request,
    user: Actor,
    saved: Availability,
    answers: Answers,
    errors: list[PageError],
    *,
    status_code: int = 200,
    done: bool = False,
) -> Response:
    rows = len(answers.get("exc_day", [])) + (0 if errors else BLANK_EXCEPTION_ROWS)
    _ = translator(request_language(request))
    context = page_context(
        request,
        user=user,
        nav="availability",
        saved=saved,
        answers=answers,
        done=done,
        page_errors=errors,
        errors=errors_by_anchor(errors),
        days=[_(day) for day in DAYS],
        exception_rows=rows,
        slot_steps=[(str(n), _("%(n)s minutes") % {"n": n}) for n in availability.SLOT_STEPS],
    )
    return templates.TemplateResponse(
        request, "pages/availability.html", context, status_code=status_code
    )


@router.get("/therapist/availability", response_class=HTMLResponse)
def availability_form(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The therapist's hours, exceptions and booking rules, to read and change."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    saved = availability.get_availability(db, actor=me)
    done = "saved" in request.query_params
    return _page(request, me, saved, answers_of_saved(saved), [], done=done)


@router.post("/therapist/availability", response_class=HTMLResponse)
async def save_availability(request: Request) -> Response:
    """Save; the form again with every problem by its control and the input kept."""
    answers = answers_of((await request.form()).multi_items())

    def work(db: Session, user: Actor) -> Response:
        me = therapist_only(user)
        language = request_language(request)
        data, errors, weekdays, rows = read_form(answers, language)
        if not errors:
            try:
                availability.save_availability(db, actor=me, data=data)
                return RedirectResponse("/therapist/availability?saved=1", status_code=303)
            except InvalidInput as exc:
                errors = page_errors(exc.problems, weekdays, rows, language)
        saved = availability.get_availability(db, actor=me)
        return _page(request, me, saved, answers, errors, status_code=422)

    return await signed_in_page(request, work)
