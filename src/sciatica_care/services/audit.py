"""The audit log: append-only, one row per read or write of client health data. No health data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, insert, literal, select, union_all
from sqlalchemy.orm import Session

from sciatica_care.db.id_lists import id_pairs
from sciatica_care.db.read_commits import at_commit, holds_writes, is_held
from sciatica_care.db.tables import AuditEvent, User, new_ordered_ids, utcnow
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import NotFound

Action = Literal[
    "read",
    "list",
    "create",
    "update",
    "delete",
    "sign_up",
    "sign_in",
    "sign_out",
    "export",
    "erase",
    "share",
    "revoke",
    "verify",
]


#: Who a clinician link's reader is in "who looked at my record" (a link has no account; the
#: audit row names the link's id as the actor).
LINK_READER = "A clinician with your report link"


def _actor_name(event: AuditEvent, names: dict[str, str]) -> str:
    if event.actor_role == "clinician_link":
        return LINK_READER
    return names.get(event.actor_user_id or "", "a deleted account")


_INSERT_ONE = insert(AuditEvent)


def record_event(
    db: Session,
    *,
    actor: Actor,
    action: Action,
    record_type: str,
    record_id: str | None = None,
    subject_user_id: str | None = None,
) -> None:
    """Add an audit row to the unit of work (committed with it by the calling service; in a
    read's unit of work that only keeps books, added at the commit: ``db/read_commits.py``)."""
    values = {
        "clinic_id": actor.clinic_id,
        "actor_user_id": actor.user_id,
        "actor_role": actor.role,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "subject_user_id": subject_user_id,
        "route": actor.route[:200],
    }
    if holds_writes(db):
        # Held for the commit: one INSERT on the transaction's connection (the columns'
        # defaults, id and time, made then, as the unit of work's flush made them), not an
        # object for the unit of work to flush (a read's only one: its flush cost the dashboard
        # more than its statement).
        at_commit(db, lambda session: session.connection().execute(_INSERT_ONE, values))
    elif db.new:
        # Flushed with the unit of work's new objects, which it may refer to (a new clinic).
        db.add(AuditEvent(**values))
    else:
        # One INSERT now, on the transaction's connection, in place of an object for the unit
        # of work to flush at the next query or the commit (the flush machinery cost a stored
        # write more than the statement). On SQLite the writer queue is taken here, as that
        # flush would have taken it.
        db.connection().execute(_INSERT_ONE, values)


def record_events(
    db: Session, *, actor: Actor, action: Action, record_type: str, subject_user_ids: Sequence[str]
) -> None:
    """:func:`record_event` for many subjects at once (the client list), in one short statement
    in the same transaction: the new ids and the subjects travel as two bound lists
    (``db/id_lists.id_pairs``), not as ten parameters a row (an insert of 200 rows on PostgreSQL
    took 12 ms that way, 7.6 ms this way). The batches held for one commit are inserted
    together, by one statement (the client list's two: one round trip instead of two)."""
    if not subject_user_ids:
        return
    subjects = list(subject_user_ids)
    pairs = id_pairs(db.get_bind().dialect.name, new_ordered_ids(len(subjects)), subjects)
    table = AuditEvent.__table__
    values = {
        "clinic_id": actor.clinic_id,
        "at": utcnow(),
        "actor_user_id": actor.user_id,
        "actor_role": actor.role,
        "action": action,
        "record_type": record_type,
        "route": actor.route[:200],
    }
    rows = select(
        *(literal(value, table.c[name].type).label(name) for name, value in values.items()),
        pairs.c.first.label("id"),
        pairs.c.second.label("subject_user_id"),
    ).select_from(pairs)
    waiting = db.info.get(_BATCHES)
    if waiting is not None and is_held(db, waiting[1]):  # one waits for this commit: join it
        waiting[0].append(rows)
        return
    batches: list[Select[Any]] = [rows]

    def write(session: Session) -> None:
        session.info.pop(_BATCHES, None)
        chosen = batches[0] if len(batches) == 1 else union_all(*batches)
        session.execute(insert(AuditEvent).from_select([*values, "id", "subject_user_id"], chosen))

    db.info[_BATCHES] = (batches, write)
    at_commit(db, write)


#: The :func:`record_events` batches that wait for the unit of work's commit (in its ``info``).
_BATCHES = "audit_batches"


def events_about(db: Session, *, actor: Actor, limit: int = 200) -> Sequence[AuditEvent]:
    """The newest audit events about the actor's own record ("who looked at my record")."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.clinic_id == actor.clinic_id)
        .where(AuditEvent.subject_user_id == actor.user_id)
        .order_by(AuditEvent.at.desc())
        .limit(limit)
    )
    return db.scalars(query).all()


@dataclass(frozen=True, slots=True)
class AuditView:
    """One line of "who looked at my record": who, what, when, by which route."""

    at: datetime
    actor_id: str | None
    actor_name: str
    actor_role: str
    is_me: bool
    action: str
    record_type: str
    record_id: str | None
    route: str


def who_looked(
    db: Session, *, actor: Actor, limit: int = 200, others_only: bool = False
) -> list[AuditView]:
    """Who read or wrote the actor's record, newest first (``others_only``: not the actor).

    Reading one's own audit trail is not itself logged (it holds no health data)."""
    from sciatica_care.services.access import may_access  # access records through this module

    if not may_access(
        db,
        actor=actor,
        client_id=actor.user_id,
        clinic_id=actor.clinic_id,
        action="read",
        resource="audit",
    ):
        raise NotFound("audit log")
    query = select(AuditEvent).where(
        AuditEvent.clinic_id == actor.clinic_id, AuditEvent.subject_user_id == actor.user_id
    )
    if others_only:
        query = query.where(AuditEvent.actor_user_id != actor.user_id)
    events = db.scalars(query.order_by(AuditEvent.at.desc()).limit(max(1, min(limit, 2000))))
    rows = list(events)
    ids = {e.actor_user_id for e in rows if e.actor_user_id}
    names = {
        i: name or email.split("@")[0]
        for i, name, email in db.execute(
            select(User.id, User.display_name, User.email).where(
                User.clinic_id == actor.clinic_id, User.id.in_(ids)
            )
        ).all()
    }
    db.commit()
    return [
        AuditView(
            at=e.at,
            actor_id=e.actor_user_id,
            actor_name=_actor_name(e, names),
            actor_role=e.actor_role,
            is_me=e.actor_user_id == actor.user_id,
            action=e.action,
            record_type=e.record_type,
            record_id=e.record_id,
            route=e.route,
        )
        for e in rows
    ]
