"""Session notes: the quick form (new, and to correct or amend), and a note with its history.

Within 24 hours of writing, the author corrects a note freely; later the form asks for the
reason of the amendment, and the note page shows every earlier version's text.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sciatica_care.domain.assessment import FieldError
from sciatica_care.domain.session_notes import REACTION_LABELS, NoteRevision
from sciatica_care.services import session_notes, workspace
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput, NotFound
from sciatica_care.services.session_notes import SHARED_FIELD
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.pages.body_map import ALL_ZONES
from sciatica_care.web.pages.therapist import grouped, render, therapist_only
from sciatica_care.web.pages.therapist_note_form import (
    NOTE_FIELDS,
    answers_of_note,
    page_error,
    read_note,
)
from sciatica_care.web.pages.tracking import stretches, to_login
from sciatica_care.web.pages.wizard_form import Answers, PageError, answers_of, last_answer

router = APIRouter()

SOAP = ("subjective", "objective", "assessment", "plan")


def _regions() -> list[tuple[str, str, str]]:
    """(region, left label, right label) rows for the areas-worked toggles."""
    rows: dict[str, list[str]] = {}
    for zone in ALL_ZONES:
        rows.setdefault(zone.region, []).append(zone.label)
    return [(region, left, right) for region, (left, right) in rows.items()]


def _note_form(
    request: Request,
    user: Actor,
    *,
    client: Any,
    answers: Answers,
    errors: list[PageError] | None = None,
    note: Any = None,
    status_code: int = 200,
) -> Response:
    errors = errors or []
    return render(
        request,
        "pages/therapist_note_form.html",
        status_code=status_code,
        user=user,
        nav="clients",
        client=client,
        note=note,
        answers=answers,
        page_errors=errors,
        errors=grouped(errors),
        regions=_regions(),
        reactions=list(REACTION_LABELS.items()),
        stretch_choices=stretches(),
        amending=note is not None and not note.editable_freely,
    )


def _problems(exc: InvalidInput) -> list[PageError]:
    return [page_error_of(p.field, p.message) for p in exc.problems]


def page_error_of(field: str, message: str) -> PageError:
    """A service's field problem as the form's error."""
    return page_error(FieldError(field, message))


def _shared(answers: Answers) -> bool:
    """The "let the client read the SOAP notes" switch of the form."""
    return last_answer(answers, SHARED_FIELD) == "yes"


def _stretch_ids() -> list[str]:
    return [s for s, _ in stretches()]


@router.get("/therapist/clients/{client_id}/notes/new", response_class=HTMLResponse)
def new_note(request: Request, client_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """The session-note form, with pain before filled in from the client's latest check-in."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    client = workspace.client_record(db, actor=me, client_id=client_id)
    if "notes" not in client.scopes:
        raise NotFound("page")  # the client did not share session notes with this therapist
    answers: Answers = {"pressure": ["medium"], "duration_minutes": ["60"]}
    latest = client.trend.days[-1] if client.trend is not None and client.trend.days else None
    if latest is not None:
        answers["leg_pain_before"] = [str(round(latest.leg))]
        answers["back_pain_before"] = [str(round(latest.back))]
    return _note_form(request, me, client=client, answers=answers)


@router.post("/therapist/clients/{client_id}/notes", response_class=HTMLResponse)
async def write_note(
    request: Request, client_id: str, user: CurrentUser, db: UnitOfWork
) -> Response:
    """Save a new note; the form again with every problem named and the answers kept."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    answers = answers_of((await request.form()).multi_items())
    note, data, errors = read_note(answers, stretches=_stretch_ids())
    if note is not None:
        try:
            data = {**data, SHARED_FIELD: _shared(answers)}
            session_notes.create_note(db, actor=me, client_id=client_id, data=data)
            return RedirectResponse(f"/therapist/clients/{client_id}?noted=1", status_code=303)
        except InvalidInput as exc:
            errors = _problems(exc)
    client = workspace.client_record(db, actor=me, client_id=client_id)
    return _note_form(request, me, client=client, answers=answers, errors=errors, status_code=422)


def changes_of(history: tuple[NoteRevision, ...]) -> list[dict[str, Any]]:
    """Each revision after the first with the fields it changed: (name, before, after)."""
    out = []
    for before, after in pairwise(history):
        old, new = before.fields.model_dump(mode="json"), after.fields.model_dump(mode="json")
        changed = [
            (NOTE_FIELDS.get(name, name), _shown(old[name]), _shown(new[name]))
            for name in new
            if old.get(name) != new[name] and name != "session_at"
        ]
        out.append({"revision": after, "changed": changed})
    return list(reversed(out))


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(
            f"{v['region']} ({v.get('side') or 'both'})" if isinstance(v, dict) else str(v)
            for v in value
        )
    return str(value)


@router.get("/notes/{note_id}", response_class=HTMLResponse)
def note_page(request: Request, note_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """A session note, its structured fields and its history (earlier text visible)."""
    if user is None:
        return to_login()
    note = session_notes.get_note(db, actor=user, note_id=note_id)
    return render(
        request,
        "pages/therapist_note.html",
        user=user,
        nav="clients" if user.role == "therapist" else "dashboard",
        note=note,
        c=note.current,
        soap=SOAP,
        history=changes_of(note.history),
        first=note.history[0],
        reaction_labels=REACTION_LABELS,
        stretch_names=dict(stretches()),
        is_author=user.user_id == note.therapist_id,
        saved="saved" in request.query_params,
    )


@router.get("/notes/{note_id}/edit", response_class=HTMLResponse)
def edit_note(request: Request, note_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """The note's form, filled in: a correction within 24 hours, an amendment after."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    note = session_notes.get_note(db, actor=me, note_id=note_id)
    if note.therapist_id != me.user_id:
        return RedirectResponse(f"/notes/{note_id}", status_code=303)
    client = workspace.client_record(db, actor=me, client_id=note.client_id)
    answers = answers_of_note(note.current)
    if note.shared_with_client:
        answers[SHARED_FIELD] = ["yes"]
    return _note_form(request, me, client=client, answers=answers, note=note)


@router.post("/notes/{note_id}", response_class=HTMLResponse)
async def revise_note(
    request: Request, note_id: str, user: CurrentUser, db: UnitOfWork
) -> Response:
    """Save a correction (or, after 24 hours, an amendment with its reason)."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    note = session_notes.get_note(db, actor=me, note_id=note_id)
    answers = answers_of((await request.form()).multi_items())
    reason = last_answer(answers, "reason")
    checked, data, errors = read_note(answers, stretches=_stretch_ids())
    if not note.editable_freely and not reason.strip():
        errors.append(
            page_error_of(
                "reason",
                "please say why: the note was written more than 24 hours ago, so this change "
                "is an amendment",
            )
        )
    if checked is not None and not errors:
        try:
            session_notes.revise_note(
                db,
                actor=me,
                note_id=note_id,
                changes=data,
                reason=reason or None,
                shared_with_client=_shared(answers),
            )
            return RedirectResponse(f"/notes/{note_id}?saved=1", status_code=303)
        except InvalidInput as exc:
            errors = _problems(exc)
    client = workspace.client_record(db, actor=me, client_id=note.client_id)
    return _note_form(
        request, me, client=client, answers=answers, errors=errors, note=note, status_code=422
    )
