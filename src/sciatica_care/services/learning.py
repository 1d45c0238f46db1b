"""What helped: per technique, how a client's pain changed around their massage sessions,
from their session notes and diary (the arithmetic is :func:`domain.learning.what_helped`).

The client sees it on their dashboard, their therapist on the client page, and the client's
recommendation weighs it (``learned=`` of :func:`domain.plan.evaluate`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from sciatica_care.db.id_lists import ids_parameter, one_of
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


def _current_sessions(of_clients: ColumnElement[bool]) -> Select[str, dict[str, Any]]:
    """The current revision of each note (the one whose version is the note's version) of
    the clients, newest first."""
    return (
        select(SessionNote.client_id, SessionNoteRevision.fields)
        .join(
            SessionNote,
            (SessionNote.clinic_id == SessionNoteRevision.clinic_id)
            & (SessionNote.id == SessionNoteRevision.note_id)
            & (SessionNote.version == SessionNoteRevision.version),
        )
        .where(SessionNote.clinic_id == bindparam("clinic_id"), of_clients)
        .order_by(SessionNote.session_at.desc())
    )


#: Built once: every assessment and dashboard asks for one client's, the client list for many.
_SESSIONS_OF_ONE = _current_sessions(SessionNote.client_id == bindparam("ids")).limit(MAX_SESSIONS)
_SESSIONS_OF_MANY = _current_sessions(one_of(SessionNote.client_id, ids_parameter("ids")))


def _sessions(
    db: Session, *, clinic_id: str, client_ids: list[str]
) -> dict[str, list[SessionOutcome]]:
    """Each client's newest ``MAX_SESSIONS`` sessions, in one query."""
    one = len(client_ids) == 1
    rows = _rows(
        db,
        _SESSIONS_OF_ONE if one else _SESSIONS_OF_MANY,
        {"clinic_id": clinic_id, "ids": client_ids[0] if one else client_ids},
    )
    out: dict[str, list[SessionOutcome]] = {client_id: [] for client_id in client_ids}
    for client_id, f in rows:
        if len(out[client_id]) < MAX_SESSIONS:
            out[client_id].append(
                SessionOutcome(
                    session_at=datetime.fromisoformat(f["session_at"]),
                    techniques=list(f.get("techniques", [])),
                    leg_before=int(f["leg_pain_before"]),
                    back_before=int(f["back_pain_before"]),
                    leg_after=f.get("leg_pain_after"),
                    back_after=f.get("back_pain_after"),
                )
            )
    return out


def _rows(
    db: Session, statement: Select[str, dict[str, Any]], parameters: dict[str, Any]
) -> Sequence[Row[str, dict[str, Any]]]:
    """``db.execute(statement, parameters).all()`` for a statement of plain columns, run as a
    Core statement on the unit of work's connection (after the same autoflush): the ORM's
    execution layer, for rows that are no objects, cost every stored assessment more than the
    query."""
    if db.autoflush:  # what ``db.execute`` flushes first (nothing, usually: then it is cheap)
        db.flush()
    return db.connection().execute(statement, parameters).all()


def _diary(db: Session, *, clinic_id: str, client_ids: list[str]) -> dict[str, list[DiaryPain]]:
    """Each client's newest ``MAX_DIARY`` check-ins, in one query."""
    out: dict[str, list[DiaryPain]] = {client_id: [] for client_id in client_ids}
    if not client_ids:
        return out
    rows = db.execute(
        select(
            DiaryEntry.user_id,
            DiaryEntry.recorded_at,
            DiaryEntry.leg_pain,
            DiaryEntry.back_pain,
            DiaryEntry.soreness_48h,
        )
        .where(DiaryEntry.clinic_id == clinic_id, _one_of(DiaryEntry.user_id, client_ids))
        .order_by(DiaryEntry.recorded_at.desc())
        .limit(MAX_DIARY if len(client_ids) == 1 else None)
    ).all()
    for client_id, at, leg, back, sore in rows:
        if len(out[client_id]) < MAX_DIARY:
            out[client_id].append(
                DiaryPain(recorded_at=at, leg=leg, back=back, soreness_over_48h=bool(sore))
            )
    return out


def _one_of(column: InstrumentedAttribute[str], values: list[str]) -> ColumnElement[bool]:
    return column == values[0] if len(values) == 1 else one_of(column, values)


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
    sessions = _sessions(db, clinic_id=clinic_id, client_ids=[client_id])[client_id]
    diary = (
        _diary(db, clinic_id=clinic_id, client_ids=[client_id])[client_id]
        if sessions and with_diary
        else []
    )
    if zone is None:
        zone = zone_of(db, clinic_id=clinic_id, user_id=client_id) if diary else UTC
    return what_helped(sessions, diary, zone=zone)


def summaries_of(
    db: Session, *, clinic_id: str, zones: Mapping[str, tzinfo], with_diary: Set[str]
) -> dict[str, WhatHelped]:
    """:func:`summary_of` for each client in ``zones`` (client id -> their zone) in at most
    two queries; the diary counts only for the clients in ``with_diary``."""
    if not zones:
        return {}
    sessions = _sessions(db, clinic_id=clinic_id, client_ids=list(zones))
    diary = _diary(db, clinic_id=clinic_id, client_ids=[c for c in with_diary if sessions.get(c)])
    return {
        client_id: what_helped(
            sessions[client_id],
            diary.get(client_id, []),
            zone=zone if diary.get(client_id) else UTC,
        )
        for client_id, zone in zones.items()
    }


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
