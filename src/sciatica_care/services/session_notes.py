"""Session notes: a therapist writes one for a client who shared ``notes``; corrects it freely
for 24 hours, then amends it with a reason. The history is stored append-only (one row per
revision) and read back as the domain's ``NoteHistory``; the rules are the domain's
(:mod:`sciatica_care.domain.session_notes`), not repeated here.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import SessionNote, SessionNoteRevision, new_id, utcnow
from sciatica_care.domain import session_notes as notes
from sciatica_care.domain.session_notes import NoteHistory, NoteRevision, SessionNoteInput
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services.access import get_client_record, require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, Forbidden, InvalidInput

log = logging.getLogger(__name__)


@cache
def stretch_ids() -> frozenset[str]:
    """What a note may give as home-care advice: the knowledge base's stretches."""
    return notes.stretch_ids(knowledge_base())


@dataclass(frozen=True, slots=True)
class NoteView:
    """A note with its full history (oldest first; the last revision is the current text)."""

    id: str
    client_id: str
    therapist_id: str
    therapist_name: str
    written_at: datetime
    history: NoteHistory
    #: The therapist let the client read the SOAP text (off by default).
    shared_with_client: bool = False
    booking_id: str | None = None

    @property
    def current(self) -> SessionNoteInput:
        return notes.current(self.history).fields

    @property
    def version(self) -> int:
        return notes.current(self.history).version

    @property
    def session_at(self) -> datetime:
        at = self.current.session_at
        return at if at is not None else self.written_at

    @property
    def amended(self) -> bool:
        return any(r.kind == "amendment" for r in self.history)

    @property
    def editable_freely(self) -> bool:
        """Whether, right now, a change is still a free correction (within 24 hours)."""
        return notes.can_edit_freely(self.written_at, utcnow())


#: The note's setting (not one of its fields) that lets the client read the SOAP text.
SHARED_FIELD = "shared_with_client"
#: The SOAP text: the therapist's own words, which the client reads only when shared.
SOAP_FIELDS = ("subjective", "objective", "assessment", "plan")


def as_read_by(actor: Actor, view: NoteView) -> NoteView:
    """The note as ``actor`` may read it: the client reads what was done and the advice, and
    the SOAP text only when the therapist shared it (in every revision)."""
    if actor.user_id != view.client_id or view.shared_with_client:
        return view
    blank = dict.fromkeys(SOAP_FIELDS, "")
    history = tuple(replace(r, fields=r.fields.model_copy(update=blank)) for r in view.history)
    return replace(view, history=history)


def _invalid(exc: notes.SessionNoteError) -> InvalidInput:
    return InvalidInput([FieldProblem(e.field or "body", e.message) for e in exc.errors])


def _revision(row: SessionNoteRevision) -> NoteRevision:
    return NoteRevision(
        version=row.version,
        fields=notes.parse_session_note(row.fields),
        changed_at=row.changed_at,
        changed_by=row.changed_by,
        reason=row.reason,
        kind=row.kind,  # type: ignore[arg-type]
    )


def _revision_row(note: SessionNote, revision: NoteRevision) -> SessionNoteRevision:
    return SessionNoteRevision(
        clinic_id=note.clinic_id,
        id=new_id(),
        note_id=note.id,
        version=revision.version,
        kind=revision.kind,
        fields=revision.fields.model_dump(mode="json"),
        changed_at=revision.changed_at,
        changed_by=revision.changed_by,
        reason=revision.reason,
    )


def histories(db: Session, rows: Sequence[SessionNote]) -> list[NoteView]:
    """Views of note rows with their revisions (one query for all of them)."""
    if not rows:
        return []
    by_note: dict[str, list[SessionNoteRevision]] = defaultdict(list)
    revisions = db.scalars(
        select(SessionNoteRevision)
        .where(
            SessionNoteRevision.clinic_id == rows[0].clinic_id,
            SessionNoteRevision.note_id.in_([r.id for r in rows]),
        )
        .order_by(SessionNoteRevision.version)
    ).all()
    for revision in revisions:
        by_note[revision.note_id].append(revision)
    return [
        NoteView(
            id=row.id,
            client_id=row.client_id,
            therapist_id=row.therapist_id,
            therapist_name=row.therapist_name,
            written_at=row.written_at,
            history=tuple(_revision(r) for r in by_note[row.id]),
            shared_with_client=row.shared_with_client,
            booking_id=row.booking_id,
        )
        for row in rows
        if by_note[row.id]
    ]


def create_note(db: Session, *, actor: Actor, client_id: str, data: Mapping[str, Any]) -> NoteView:
    """A therapist writes a note for a client who shared ``notes`` with them."""
    note_id = new_id()
    require_client_access(
        db,
        actor=actor,
        client_id=client_id,
        action="create",
        record_type="session_note",
        record_id=note_id,
    )
    now = utcnow()
    data = dict(data)
    shared = data.pop(SHARED_FIELD, False)
    if not isinstance(shared, bool):
        db.rollback()
        raise InvalidInput([FieldProblem(SHARED_FIELD, "must be true or false")])
    try:
        history = notes.write_note(data, by=actor.user_id, now=now, stretches=stretch_ids())
    except notes.SessionNoteError as exc:
        db.rollback()
        raise _invalid(exc) from None
    first = history[0]
    row = SessionNote(
        clinic_id=actor.clinic_id,
        id=note_id,
        client_id=client_id,
        therapist_id=actor.user_id,
        therapist_name=actor.display_name or actor.email,
        written_at=now,
        session_at=first.fields.session_at or now,
        version=1,
        shared_with_client=shared,
    )
    db.add(row)
    db.flush()
    db.add(_revision_row(row, first))
    db.commit()
    log.info("session note %s written", row.id)
    return NoteView(
        row.id, client_id, actor.user_id, row.therapist_name, now, history, row.shared_with_client
    )


def notes_of(db: Session, *, clinic_id: str, client_id: str, limit: int = 200) -> list[NoteView]:
    """A client's notes, newest session first, WITHOUT an access check (callers check)."""
    rows = db.scalars(
        select(SessionNote)
        .where(SessionNote.clinic_id == clinic_id, SessionNote.client_id == client_id)
        .order_by(SessionNote.session_at.desc())
        .limit(limit)
    ).all()
    return histories(db, rows)


def list_notes(
    db: Session, *, actor: Actor, client_id: str | None = None, limit: int = 200
) -> list[NoteView]:
    """A client's session notes, newest session first (default: notes about the actor)."""
    client_id = client_id or actor.user_id
    require_client_access(
        db, actor=actor, client_id=client_id, action="list", record_type="session_note"
    )
    views = notes_of(db, clinic_id=actor.clinic_id, client_id=client_id, limit=limit)
    db.commit()
    return [as_read_by(actor, v) for v in views]


def get_note(db: Session, *, actor: Actor, note_id: str) -> NoteView:
    """One note with its history; NotFound when it is not the actor's to see."""
    row = get_client_record(db, actor=actor, model=SessionNote, record_id=note_id, action="read")
    view = histories(db, [row])[0]
    db.commit()
    return as_read_by(actor, view)


def revise_note(
    db: Session,
    *,
    actor: Actor,
    note_id: str,
    changes: Mapping[str, Any],
    reason: str | None = None,
    shared_with_client: bool | None = None,
) -> NoteView:
    """Change a note: a correction within 24 hours, then an amendment that needs ``reason``.
    Only its author may (Forbidden for another therapist who may read it).
    ``shared_with_client`` (when given) lets the client read the SOAP text or stops it; it is
    not part of the note's text, so it adds no revision."""
    row = get_client_record(db, actor=actor, model=SessionNote, record_id=note_id, action="update")
    view = histories(db, [row])[0]
    if shared_with_client is not None and actor.user_id != row.therapist_id:
        db.rollback()
        raise Forbidden("only the therapist who wrote this note may share it with the client")
    try:
        history = notes.revise(
            view.history,
            changes,
            by=actor.user_id,
            now=utcnow(),
            reason=reason,
            stretches=stretch_ids(),
        )
    except notes.NotTheAuthor as exc:
        db.rollback()
        raise Forbidden(str(exc)) from None
    except notes.SessionNoteError as exc:
        db.rollback()
        raise _invalid(exc) from None
    if len(history) > len(view.history):
        latest = history[-1]
        db.add(_revision_row(row, latest))
        row.version = latest.version
        row.session_at = latest.fields.session_at or row.session_at
        log.info("session note %s revised (%s)", row.id, latest.kind)
    if shared_with_client is not None:
        row.shared_with_client = shared_with_client
    db.commit()
    return NoteView(
        row.id,
        row.client_id,
        row.therapist_id,
        row.therapist_name,
        row.written_at,
        history,
        row.shared_with_client,
        row.booking_id,
    )


def store_note(
    db: Session,
    *,
    clinic_id: str,
    client_id: str,
    therapist_id: str,
    therapist_name: str,
    history: NoteHistory,
) -> SessionNote:
    """Persist a whole note history as it is (demo data and imports; no access check)."""
    first, latest = history[0], history[-1]
    row = SessionNote(
        clinic_id=clinic_id,
        id=new_id(),
        client_id=client_id,
        therapist_id=therapist_id,
        therapist_name=therapist_name,
        written_at=first.changed_at,
        session_at=latest.fields.session_at or first.changed_at,
        version=latest.version,
    )
    db.add(row)
    db.flush()
    for revision in history:
        db.add(_revision_row(row, revision))
    return row
