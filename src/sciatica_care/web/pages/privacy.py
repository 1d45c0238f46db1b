"""The person's rights over their data: what there is, who looked at it, take it away, erase it.

Every page here is about the signed-in person's own record only; there are no ids to guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.i18n import N_, translator
from sciatica_care.services import audit, erase, export, fhir_export
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput
from sciatica_care.web import auth
from sciatica_care.web.api.fhir import fhir_download
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.account_words import erase_phrase, problem_words
from sciatica_care.web.pages.therapist import grouped, render
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError

router = APIRouter()

ERASE_FIELDS = {"password": N_("Password"), "confirm": N_("Confirmation phrase")}

#: How each audited action reads in "who looked at my record", alone (no record named) and as a
#: sentence naming the records (Korean puts the records first: each sentence is whole).
ACTION_WORDS: dict[str, str] = {
    "read": N_("looked at"),
    "list": N_("looked through"),
    "create": N_("added"),
    "write": N_("wrote"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "erase": N_("erased"),
    "export": N_("downloaded"),
    "share": N_("shared"),
    "revoke": N_("stopped"),
}
ACTION_SENTENCES: dict[str, str] = {
    "read": N_("Looked at %(things)s"),
    "list": N_("Looked through %(things)s"),
    "create": N_("Added %(things)s"),
    "write": N_("Wrote %(things)s"),
    "update": N_("Changed %(things)s"),
    "delete": N_("Deleted %(things)s"),
    "erase": N_("Erased %(things)s"),
    "export": N_("Downloaded %(things)s"),
    "share": N_("Shared %(things)s"),
    "revoke": N_("Stopped %(things)s"),
}
#: What each audited record is called; ``LIST_WORDS`` when a whole list was read.
RECORD_WORDS: dict[str, str] = {
    "account": N_("your account"),
    "user": N_("your account"),
    "assessment": N_("an assessment"),
    "booking": N_("a booking"),
    "client": N_("your record"),
    "dashboard": N_("your dashboard"),
    "diary_entry": N_("a check-in"),
    "export": N_("your data"),
    "outcome_measure": N_("your questionnaire scores"),
    "report": N_("your doctor's report"),
    "session_note": N_("a session note"),
    "sharing": N_("your sharing"),
    "trend": N_("your pain trend"),
    "what_helped": N_("what helped"),
}
LIST_WORDS: dict[str, str] = {
    "assessment": N_("your assessments"),
    "booking": N_("your bookings"),
    "diary_entry": N_("your check-ins"),
    "session_note": N_("your session notes"),
}
#: Whole phrases for actions that do not read as "verb + record".
PHRASES: dict[tuple[str, str], str] = {
    ("share", "sharing"): N_("Started sharing with a therapist"),
    ("revoke", "sharing"): N_("Ended the sharing"),
    ("update", "sharing"): N_("Changed the sharing (what is shared, or the next session)"),
}
#: Who did it, by their role in the audit row.
ROLE_WORDS: dict[str, str] = {
    "client": N_("client"),
    "therapist": N_("therapist"),
    "admin": N_("admin"),
    "clinician_link": N_("clinician link"),
}
#: The names the audit gives to readers without an account of their own.
READER_WORDS: dict[str, str] = {
    audit.LINK_READER: N_("A clinician with your report link"),
    "a deleted account": N_("a deleted account"),
}
#: Audit rows of one request are written within moments of each other.
SAME_REQUEST = timedelta(seconds=10)

Translate = Callable[[str], str]


def _same(message: str) -> str:
    return message


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One line of "who looked at my record": one request, in words."""

    at: datetime
    who: str
    role: str
    is_me: bool
    what: str
    #: ``who`` is a person's name (not words of the page): not to be translated.
    named: bool = False


def _and(items: list[str], _: Translate = _same) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _what(events: list[Any], _: Translate = _same) -> str:
    by_verb: dict[str, list[str]] = {}
    for e in reversed(events):  # oldest first: the order the request touched them
        if (e.action, e.record_type) in PHRASES:
            by_verb.setdefault(f"phrase:{e.action}:{e.record_type}", [])
            continue
        words = LIST_WORDS if e.action == "list" else RECORD_WORDS
        thing = words.get(e.record_type, RECORD_WORDS.get(e.record_type, ""))
        things = by_verb.setdefault(f"action:{e.action}", [])
        if thing and _(thing) not in things:
            things.append(_(thing))
    sentences = []
    for key, things in by_verb.items():
        kind, action, *record = key.split(":")
        if kind == "phrase":
            sentences.append(_(PHRASES[action, record[0]]))
        elif things and action in ACTION_SENTENCES:
            sentences.append(_(ACTION_SENTENCES[action]) % {"things": _and(things, _)})
        elif action in ACTION_WORDS:
            sentences.append(_(ACTION_WORDS[action]))
        else:
            sentences.append(action.replace("_", " "))
    return ". ".join(sentences)


def _who(event: Any, _: Translate) -> tuple[str, bool]:
    """Who did it, and whether that is a name (as opposed to words of the page)."""
    if event.is_me:
        return _("You"), False
    if not event.actor_name:
        return _("Someone without a name"), False
    if event.actor_name in READER_WORDS:
        return _(READER_WORDS[event.actor_name]), False
    return event.actor_name, True


def audit_lines(events: Sequence[Any], _: Translate = _same) -> list[AuditLine]:
    """Audit events (newest first) as lines, one per request: rows of the same person by the
    same route within moments of each other are one line (in words of the translator ``_``)."""
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
    lines = []
    for g in groups:
        who, named = _who(g[0], _)
        role = g[0].actor_role
        lines.append(
            AuditLine(
                at=g[0].at,
                who=who,
                role=_(ROLE_WORDS[role]) if role in ROLE_WORDS else role.replace("_", " "),
                is_me=g[0].is_me,
                what=_what(g, _),
                named=named,
            )
        )
    return lines


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
        lines=audit_lines(events, translator(request_language(request))),
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
        phrase=erase_phrase(request_language(request)),
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
async def erase_account(request: Request) -> Response:
    """Erase the account and its health data; then signed out, with a calm confirmation."""
    form = await request.form()
    confirm = str(form.get("confirm") or "").strip()

    def work(db: Session, user: Actor) -> Response:
        language = request_language(request)
        _ = translator(language)
        # The phrase of the page's language confirms as the service's own (English) phrase does.
        typed = " ".join(confirm.lower().split())
        said = erase.ERASE_PHRASE if typed == erase_phrase(language) else confirm
        try:
            erase.erase_account(
                db, actor=user, password=str(form.get("password") or ""), confirm=said
            )
        except InvalidInput as exc:
            errors = [
                PageError(
                    p.field,
                    f"field-{p.field}",
                    _(ERASE_FIELDS.get(p.field, N_("Erase"))),
                    problem_words(p, _, language=language),
                )
                for p in exc.problems
            ]
            return _erase_page(request, user, errors, confirm=confirm, status_code=422)
        response = RedirectResponse("/privacy/erased", status_code=303)
        auth.clear_session_cookie(request, response)
        return response

    # Beside the turns: the password's check holds the CPU for a tenth of a second.
    return await signed_in_page(request, work, takes_turn=False)


@router.get("/privacy/erased", response_class=HTMLResponse)
def erased(request: Request) -> Response:
    """The confirmation after erasing (no one is signed in any more)."""
    _ = translator(request_language(request))
    return render(
        request,
        "pages/message.html",
        title=_("Your account is deleted"),
        message=_(
            "Your account and your health data are erased, including what therapists wrote "
            "about you. You are signed out. Thank you for using Sciatica Care; we hope you feel "
            "better soon."
        ),
        link=("/", _("Go to the front page")),
    )
