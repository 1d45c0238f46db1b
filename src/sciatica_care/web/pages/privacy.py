"""The person's rights over their data: what there is, who looked at it, take it away, erase it.

Every page here is about the signed-in person's own record only; there are no ids to guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sciatica_care.services import audit, erase, export, fhir_export
from sciatica_care.services.errors import InvalidInput
from sciatica_care.web import auth
from sciatica_care.web.api.fhir import fhir_download
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.pages.therapist import grouped, render
from sciatica_care.web.pages.tracking import to_login
from sciatica_care.web.pages.wizard_form import PageError

router = APIRouter()

ERASE_FIELDS = {"password": "Password", "confirm": "Confirmation phrase"}

#: How each audited action reads in "who looked at my record".
ACTION_WORDS: dict[str, str] = {
    "read": "looked at",
    "list": "looked through",
    "create": "added",
    "write": "wrote",
    "update": "changed",
    "delete": "deleted",
    "erase": "erased",
    "export": "downloaded",
    "share": "shared",
    "revoke": "stopped",
}
#: What each audited record is called; ``LIST_WORDS`` when a whole list was read.
RECORD_WORDS: dict[str, str] = {
    "account": "your account",
    "user": "your account",
    "assessment": "an assessment",
    "booking": "a booking",
    "client": "your record",
    "dashboard": "your dashboard",
    "diary_entry": "a check-in",
    "export": "your data",
    "outcome_measure": "your questionnaire scores",
    "report": "your doctor's report",
    "session_note": "a session note",
    "sharing": "your sharing",
    "trend": "your pain trend",
    "what_helped": "what helped",
}
LIST_WORDS: dict[str, str] = {
    "assessment": "your assessments",
    "booking": "your bookings",
    "diary_entry": "your check-ins",
    "session_note": "your session notes",
}
#: Whole phrases for actions that do not read as "verb + record".
PHRASES: dict[tuple[str, str], str] = {
    ("share", "sharing"): "Started sharing with a therapist",
    ("revoke", "sharing"): "Ended the sharing",
    ("update", "sharing"): "Changed the sharing (what is shared, or the next session)",
}
#: Audit rows of one request are written within moments of each other.
SAME_REQUEST = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One line of "who looked at my record": one request, in words."""

    at: datetime
    who: str
    role: str
    is_me: bool
    what: str


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _what(events: list[Any]) -> str:
    by_verb: dict[str, list[str]] = {}
    for e in reversed(events):  # oldest first: the order the request touched them
        if (e.action, e.record_type) in PHRASES:
            by_verb.setdefault(PHRASES[e.action, e.record_type], [])
            continue
        verb = ACTION_WORDS.get(e.action, e.action.replace("_", " "))
        words = LIST_WORDS if e.action == "list" else RECORD_WORDS
        thing = words.get(e.record_type, RECORD_WORDS.get(e.record_type, ""))
        things = by_verb.setdefault(verb, [])
        if thing and thing not in things:
            things.append(thing)
    return ". ".join(
        f"{verb.capitalize()} {_and(things)}" if things else verb
        for verb, things in by_verb.items()
    )


def audit_lines(events: Sequence[Any]) -> list[AuditLine]:
    """Audit events (newest first) as lines, one per request: rows of the same person by the
    same route within moments of each other are one line."""
    groups: list[list[Any]] = []
    for e in events:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and (last.actor_id, last.route) == (e.actor_id, e.route)
            and last.at - e.at <= SAME_REQUEST
        ):
            groups[-1].append(e)
        else:
            groups.append([e])
    return [
        AuditLine(
            at=g[0].at,
            who="You" if g[0].is_me else (g[0].actor_name or "Someone without a name"),
            role=g[0].actor_role.replace("_", " "),
            is_me=g[0].is_me,
            what=_what(g),
        )
        for g in groups
    ]


def _download(body: str | bytes, filename: str, media_type: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/privacy", response_class=HTMLResponse)
def your_data(request: Request, user: CurrentUser) -> Response:
    """Your data: download it, see who looked at it and who can see it, or erase it."""
    if user is None:
        return to_login()
    return render(request, "pages/privacy.html", user=user, nav="privacy")


@router.get("/privacy/audit", response_class=HTMLResponse)
def who_looked(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Who looked at my record: who, what and when, newest first."""
    if user is None:
        return to_login()
    others = request.query_params.get("who") == "others"
    events = audit.who_looked(db, actor=user, others_only=others)
    return render(
        request,
        "pages/privacy_audit.html",
        user=user,
        nav="privacy",
        lines=audit_lines(events),
        others=others,
    )


@router.get("/privacy/export.json")
def export_json(user: CurrentUser, db: UnitOfWork) -> Response:
    """Everything about me, as one JSON file."""
    if user is None:
        return to_login()
    body = export.export_json(db, actor=user)
    return _download(body, export.JSON_FILENAME, "application/json")


@router.get("/privacy/diary.csv")
def export_diary(user: CurrentUser, db: UnitOfWork) -> Response:
    """My check-ins as a spreadsheet (CSV)."""
    if user is None:
        return to_login()
    body = export.diary_csv(db, actor=user)
    return _download(body, export.DIARY_FILENAME, "text/csv; charset=utf-8")


@router.get("/privacy/sessions.csv")
def export_sessions(user: CurrentUser, db: UnitOfWork) -> Response:
    """My massage sessions (the therapists' notes) as a spreadsheet (CSV)."""
    if user is None:
        return to_login()
    body = export.sessions_csv(db, actor=user)
    return _download(body, export.SESSIONS_FILENAME, "text/csv; charset=utf-8")


@router.get("/privacy/outcomes.csv")
def export_outcomes(user: CurrentUser, db: UnitOfWork) -> Response:
    """My questionnaire scores (SBI, PSFS, global rating of change) as a spreadsheet (CSV)."""
    if user is None:
        return to_login()
    body = export.outcomes_csv(db, actor=user)
    return _download(body, export.OUTCOMES_FILENAME, "text/csv; charset=utf-8")


@router.get("/privacy/export.zip")
def export_zip(user: CurrentUser, db: UnitOfWork) -> Response:
    """My check-ins, sessions and scores as spreadsheets, with a README, in one zip."""
    if user is None:
        return to_login()
    return _download(export.csv_zip(db, actor=user), export.ZIP_FILENAME, "application/zip")


@router.get("/privacy/fhir.json")
def export_fhir(user: CurrentUser, db: UnitOfWork) -> Response:
    """My record for another health system (FHIR R4)."""
    if user is None:
        return to_login()
    return fhir_download(fhir_export.own_bundle(db, actor=user))


def _erase_page(
    request: Request,
    user: object,
    errors: list[PageError],
    *,
    confirm: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "pages/privacy_erase.html",
        status_code=status_code,
        user=user,
        nav="privacy",
        phrase=erase.ERASE_PHRASE,
        confirm=confirm,
        page_errors=errors,
        errors=grouped(errors),
    )


@router.get("/privacy/erase", response_class=HTMLResponse)
def erase_form(request: Request, user: CurrentUser) -> Response:
    """What erasing means, and the confirmation: the password and a typed phrase."""
    if user is None:
        return to_login()
    return _erase_page(request, user, [])


@router.post("/privacy/erase", response_class=HTMLResponse)
async def erase_account(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Erase the account and its health data; then signed out, with a calm confirmation."""
    if user is None:
        return to_login()
    form = await request.form()
    confirm = str(form.get("confirm") or "").strip()
    try:
        erase.erase_account(
            db, actor=user, password=str(form.get("password") or ""), confirm=confirm
        )
    except InvalidInput as exc:
        errors = [
            PageError(p.field, f"field-{p.field}", ERASE_FIELDS.get(p.field, "Erase"), p.message)
            for p in exc.problems
        ]
        return _erase_page(request, user, errors, confirm=confirm, status_code=422)
    response = RedirectResponse("/privacy/erased", status_code=303)
    auth.clear_session_cookie(request, response)
    return response


@router.get("/privacy/erased", response_class=HTMLResponse)
def erased(request: Request) -> Response:
    """The confirmation after erasing (no one is signed in any more)."""
    return render(
        request,
        "pages/message.html",
        title="Your account is deleted",
        message=(
            "Your account and your health data are erased, including what therapists wrote "
            "about you. You are signed out. Thank you for using Sciatica Care; we hope you feel "
            "better soon."
        ),
        link=("/", "Go to the front page"),
    )
