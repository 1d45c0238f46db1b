"""Session notes and "what helped" over the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from sciatica_care.domain.learning import WhatHelped
from sciatica_care.domain.session_notes import SessionNoteInput
from sciatica_care.services import learning, session_notes
from sciatica_care.services.session_notes import NoteView
from sciatica_care.web.api.schemas import Body
from sciatica_care.web.api.therapists import ERRORS
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(tags=["session notes"])


class RevisionOut(BaseModel):
    version: int
    kind: str = Field(description="original, correction (within 24 h) or amendment")
    changed_at: datetime
    changed_by: str
    reason: str | None
    fields: SessionNoteInput


class NoteOut(BaseModel):
    id: str
    client_id: str
    therapist_id: str
    therapist_name: str
    written_at: datetime
    session_at: datetime
    version: int
    amended: bool
    editable_freely: bool = Field(description="a change now is a correction (no reason needed)")
    shared_with_client: bool = Field(
        description="the client may read the SOAP text (otherwise it is blank for the client)"
    )
    booking_id: str | None = Field(default=None, description="the booking of the session")
    current: SessionNoteInput
    history: list[RevisionOut] = Field(description="oldest first; the last is current")

    @classmethod
    def of(cls, view: NoteView) -> NoteOut:
        return cls(
            id=view.id,
            client_id=view.client_id,
            therapist_id=view.therapist_id,
            therapist_name=view.therapist_name,
            written_at=view.written_at,
            session_at=view.session_at,
            version=view.version,
            amended=view.amended,
            editable_freely=view.editable_freely,
            shared_with_client=view.shared_with_client,
            booking_id=view.booking_id,
            current=view.current,
            history=[
                RevisionOut(
                    version=r.version,
                    kind=r.kind,
                    changed_at=r.changed_at,
                    changed_by=r.changed_by,
                    reason=r.reason,
                    fields=r.fields,
                )
                for r in view.history
            ],
        )


class NoteChangesIn(Body):
    changes: dict[str, Any] = Field(
        default_factory=dict, description="the fields to change (session note fields)"
    )
    shared_with_client: bool | None = Field(
        default=None,
        description="let the client read the SOAP text (true) or stop it (false); author only",
    )
    reason: str | None = Field(
        default=None, max_length=500, description="required more than 24 hours after writing"
    )


@router.post("/clients/{client_id}/notes", status_code=status.HTTP_201_CREATED, responses=ERRORS)
def create_note(
    client_id: str, body: dict[str, Any], actor: SignedInUser, db: UnitOfWork
) -> NoteOut:
    """Write a session note (SOAP and structured fields) for a client who shared notes.
    ``shared_with_client`` (default false) lets the client read the SOAP text."""
    view = session_notes.create_note(db, actor=actor, client_id=client_id, data=body)
    return NoteOut.of(view)


@router.get("/clients/{client_id}/notes", responses=ERRORS)
def client_notes(client_id: str, actor: SignedInUser, db: UnitOfWork) -> list[NoteOut]:
    """A client's session notes, newest session first."""
    views = session_notes.list_notes(db, actor=actor, client_id=client_id)
    return [NoteOut.of(v) for v in views]


@router.get("/notes", responses=ERRORS)
def my_notes(actor: SignedInUser, db: UnitOfWork) -> list[NoteOut]:
    """The session notes therapists wrote about you (part of your record)."""
    return [NoteOut.of(v) for v in session_notes.list_notes(db, actor=actor)]


@router.get("/notes/{note_id}", responses=ERRORS)
def get_note(note_id: str, actor: SignedInUser, db: UnitOfWork) -> NoteOut:
    """One note with its revision history."""
    return NoteOut.of(session_notes.get_note(db, actor=actor, note_id=note_id))


@router.patch("/notes/{note_id}", responses=ERRORS)
def revise_note(note_id: str, body: NoteChangesIn, actor: SignedInUser, db: UnitOfWork) -> NoteOut:
    """Correct a note (within 24 hours) or amend it with a reason (later). Author only."""
    view = session_notes.revise_note(
        db,
        actor=actor,
        note_id=note_id,
        changes=body.changes,
        reason=body.reason,
        shared_with_client=body.shared_with_client,
    )
    return NoteOut.of(view)


@router.get("/what-helped", responses=ERRORS)
def my_what_helped(actor: SignedInUser, db: UnitOfWork) -> WhatHelped:
    """Per technique: how your pain changed around your sessions (no verdict under 3)."""
    return learning.what_helped_for(db, actor=actor)


@router.get("/clients/{client_id}/what-helped", responses=ERRORS)
def client_what_helped(client_id: str, actor: SignedInUser, db: UnitOfWork) -> WhatHelped:
    """What helped this client (their therapist, with the notes scope; or the client)."""
    return learning.what_helped_for(db, actor=actor, client_id=client_id)
