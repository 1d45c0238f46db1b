"""Session notes: the quick form (new, and to correct or amend), and a note with its history.

Within 24 hours of writing, the author corrects a note freely; later the form asks for the
reason of the amendment, and the note page shows every earlier version's text.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.domain.assessment import FieldError
from sciatica_care.domain.session_notes import REACTION_LABELS, NoteRevision
from sciatica_care.domain.vocabulary import label
from sciatica_care.i18n import DEFAULT_LANGUAGE, translator
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import session_notes, workspace
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput, NotFound
from sciatica_care.services.session_notes import SHARED_FIELD
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.body_map import ALL_ZONES
from sciatica_care.web.pages.therapist import grouped, render, therapist_only
from sciatica_care.web.pages.therapist_note_form import (
    answers_of_note,
    field_name,
    page_error,
    read_note,
)
from sciatica_care.web.pages.tracking import signed_in_page, stretches, to_login
from sciatica_care.web.pages.wizard_form import Answers, PageError, answers_of, last_answer
from sciatica_care.web.templating import choices

router = APIRouter()

SOAP = ("subjective", "objective", "assessment", "plan")


def _regions(language: str = DEFAULT_LANGUAGE) -> list[tuple[str, str, str]]:
    """(region, left label, right label) rows for the areas-worked toggles."""
    rows: dict[str, list[str]] = {}
    for zone in ALL_ZONES:
        rows.setdefault(zone.region, []).append(zone.label)
    if language == DEFAULT_LANGUAGE:
        return [(region, left, right) for region, (left, right) in rows.items()]
    words = area_words(language)
    return [(region, words(region, "left"), words(region, "right")) for region in rows]


def _labelled(kind: str, language: str) -> list[tuple[str, str]]:
    """A vocabulary's ids with their labels in ``language``."""
    _ = translator(language)
    return [(value, _(text)) for value, text in choices(kind)]


def area_words(language: str) -> Any:
    """Names one side of one area worked, in ``language``: "Left buttock", "Buttock (both
    sides)"."""
    _ = translator(language)

    def words(region: str, side: str) -> str:
        area = _(label("areas", region))
        if side == "both":
            return _("%(area)s (both sides)") % {"area": area}
        if side == "left":
            return _("Left: %(area)s") % {"area": area}
        return _("Right: %(area)s") % {"area": area}

    return words


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
    language = request_language(request)
    _ = translator(language)
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
        regions=_regions(language),
        reactions=[(r, _(text)) for r, text in REACTION_LABELS.items()],
        stretch_choices=_stretches(language),
        technique_choices=_labelled("techniques", language),
        pressure_choices=_labelled("pressure_preference", language),
        amending=note is not None and not note.editable_freely,
    )


def _problems(exc: InvalidInput, language: str = DEFAULT_LANGUAGE) -> list[PageError]:
    return [page_error_of(p.field, p.message, language) for p in exc.problems]


def page_error_of(field: str, message: str, language: str = DEFAULT_LANGUAGE) -> PageError:
    """A service's field problem as the form's error (the field named in ``language``)."""
    return page_error(FieldError(field, message), language)


def _shared(answers: Answers) -> bool:
    """The "let the client read the SOAP notes" switch of the form."""
    return last_answer(answers, SHARED_FIELD) == "yes"


def _stretches(language: str) -> list[tuple[str, str]]:
    """The stretches a therapist may advise, with their titles in ``language``."""
    if language == DEFAULT_LANGUAGE:
        return stretches()
    return [(s.id, s.title) for s in knowledge_base(language).self_care if s.kind == "stretch"]


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
async def write_note(request: Request, client_id: str) -> Response:
    """Save a new note; the form again with every problem named and the answers kept."""
    answers = answers_of((await request.form()).multi_items())

    def work(db: Session, user: Actor) -> Response:
        me = therapist_only(user)
        language = request_language(request)
        note, data, errors = read_note(answers, stretches=_stretch_ids(), language=language)
        if note is not None:
            try:
                data = {**data, SHARED_FIELD: _shared(answers)}
                session_notes.create_note(db, actor=me, client_id=client_id, data=data)
                return RedirectResponse(f"/therapist/clients/{client_id}?noted=1", status_code=303)
            except InvalidInput as exc:
                errors = _problems(exc, language)
        client = workspace.client_record(db, actor=me, client_id=client_id)
        return _note_form(
            request, me, client=client, answers=answers, errors=errors, status_code=422
        )

    return await signed_in_page(request, work)


def changes_of(
    history: tuple[NoteRevision, ...], language: str = DEFAULT_LANGUAGE
) -> list[dict[str, Any]]:
    """Each revision after the first with the fields it changed: (name, before, after), the
    fields named in ``language``."""
    out = []
    for before, after in pairwise(history):
        old, new = before.fields.model_dump(mode="json"), after.fields.model_dump(mode="json")
        changed = [
            (field_name(name, language), _shown(old[name]), _shown(new[name]))
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
    language = request_language(request)
    _ = translator(language)
    return render(
        request,
        "pages/therapist_note.html",
        user=user,
        nav="clients" if user.role == "therapist" else "dashboard",
        note=note,
        c=note.current,
        soap=[(field, field_name(field, language)) for field in SOAP],
        history=changes_of(note.history, language),
        first=note.history[0],
        reaction_labels=REACTION_LABELS,
        stretch_names=dict(_stretches(language)),
        area_words=area_words(language),
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
async def revise_note(request: Request, note_id: str) -> Response:
    """Save a correction (or, after 24 hours, an amendment with its reason)."""
    answers = answers_of((await request.form()).multi_items())

    def work(db: Session, user: Actor) -> Response:
        me = therapist_only(user)
        note = session_notes.get_note(db, actor=me, note_id=note_id)
        reason = last_answer(answers, "reason")
        language = request_language(request)
        _ = translator(language)
        checked, data, errors = read_note(answers, stretches=_stretch_ids(), language=language)
        if not note.editable_freely and not reason.strip():
            errors.append(
                page_error_of(
                    "reason",
                    _(
                        "please say why: the note was written more than 24 hours ago, so this "
                        "change is an amendment"
                    ),
                    language,
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
                errors = _problems(exc, language)
        client = workspace.client_record(db, actor=me, client_id=note.client_id)
        return _note_form(
            request, me, client=client, answers=answers, errors=errors, note=note, status_code=422
        )

    return await signed_in_page(request, work)
