"""What helped: per technique, how a client's pain changed around their massage sessions,
from their session notes and diary (the arithmetic is :func:`domain.learning.what_helped`).

The client sees it on their dashboard, their therapist on the client page, and the client's
recommendation weighs it (``learned=`` of :func:`domain.plan.evaluate`).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import DiaryEntry, SessionNote, SessionNoteRevision
from sciatica_care.domain.learning import (
    DiaryPain,
    SessionOutcome,
    WhatHelped,
    learned_responses,
    what_helped,
)
from sciatica_care.domain.recommendation import LearnedResponse
from sciatica_care.domain.vocabulary import TechniqueId
from sciatica_care.services.access import allows, require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.diary import zone_of

#: Enough history for "what helped" without reading a lifetime of rows on every assessment.
MAX_SESSIONS = 500
MAX_DIARY = 5000


# Built once (every stored assessment runs them): the current revision of each note (the one
# whose version is the note's version), and the diary's pain figures, newest first.
_SESSIONS = (
    select(SessionNoteRevision.fields)
    .join(
        SessionNote,
        (SessionNote.clinic_id == SessionNoteRevision.clinic_id)
        & (SessionNote.id == SessionNoteRevision.note_id)
        & (SessionNote.version == SessionNoteRevision.version),
    )
    .where(
        SessionNote.clinic_id == bindparam("clinic"), SessionNote.client_id == bindparam("client")
    )
    .order_by(SessionNote.session_at.desc())
    .limit(MAX_SESSIONS)
)
_DIARY = (
    select(
        DiaryEntry.recorded_at, DiaryEntry.leg_pain, DiaryEntry.back_pain, DiaryEntry.soreness_48h
    )
    .where(DiaryEntry.clinic_id == bindparam("clinic"), DiaryEntry.user_id == bindparam("client"))
    .order_by(DiaryEntry.recorded_at.desc())
    .limit(MAX_DIARY)
)


def _sessions(db: Session, *, clinic_id: str, client_id: str) -> list[SessionOutcome]:
    rows = db.connection().execute(_SESSIONS, {"clinic": clinic_id, "client": client_id})
    return [
        SessionOutcome(
            session_at=datetime.fromisoformat(f["session_at"]),
            techniques=list(f.get("techniques", [])),
            leg_before=int(f["leg_pain_before"]),
            back_before=int(f["back_pain_before"]),
            leg_after=f.get("leg_pain_after"),
            back_after=f.get("back_pain_after"),
        )
        for f in rows.scalars()
    ]


def _diary(db: Session, *, clinic_id: str, client_id: str) -> list[DiaryPain]:
    rows = db.connection().execute(_DIARY, {"clinic": clinic_id, "client": client_id})
    return [
        DiaryPain(recorded_at=at, leg=leg, back=back, soreness_over_48h=bool(sore))
        for at, leg, back, sore in rows
    ]


def summary_of(
    db: Session,
    *,
    clinic_id: str,
    client_id: str,
    with_diary: bool = True,
    zone: tzinfo | None = None,
) -> WhatHelped:
    """The summary query itself; callers have done the access check. "The next day" is the
    next calendar day in ``zone``, by default the client's own time zone."""
    sessions = _sessions(db, clinic_id=clinic_id, client_id=client_id)
    diary = _diary(db, clinic_id=clinic_id, client_id=client_id) if sessions and with_diary else []
    if zone is None:
        zone = zone_of(db, clinic_id=clinic_id, user_id=client_id) if diary else UTC
    return what_helped(sessions, diary, zone=zone)


def learned_for(
    db: Session, *, clinic_id: str, client_id: str
) -> dict[TechniqueId, LearnedResponse]:
    """The learned responses for ``evaluate``; callers have done the access check."""
    return learned_responses(summary_of(db, clinic_id=clinic_id, client_id=client_id))


def what_helped_for(db: Session, *, actor: Actor, client_id: str | None = None) -> WhatHelped:
    """What helped this client (default: the actor). A therapist needs the ``notes`` scope; the
    next-day figures come from the diary only when the diary is shared too."""
    client_id = client_id or actor.user_id
    who = require_client_access(
        db, actor=actor, client_id=client_id, action="read", record_type="what_helped"
    )
    summary = summary_of(
        db,
        clinic_id=actor.clinic_id,
        client_id=client_id,
        with_diary=allows(who, "read", "diary"),
    )
    db.commit()
    return summary
