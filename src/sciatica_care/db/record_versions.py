"""Each person's ``users.diary_version`` goes up in the same transaction as any change to their
diary or assessments, whichever way it is written: objects flushed by a unit of work, or bulk
statements run through one. A kept trend read-out made at another version is stale
(``services/kept_trends.py``), so nothing that writes the diary has to remember the cache.

A bulk UPDATE or DELETE does not say whose rows it touches: it moves every version (they are
rare: erasing an account, tests), which only costs the kept read-outs a rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, User

#: The tables a trend read-out is made from.
VERSIONED = (DiaryEntry, AssessmentRecord)
_TABLES = frozenset(model.__tablename__ for model in VERSIONED)


def _bump(session: Session, owners: Iterable[tuple[str, str]] | None) -> None:
    """Move the version of ``owners`` ((clinic id, user id) pairs; None: everyone's)."""
    users = User.__table__
    statement = update(users).values(diary_version=users.c.diary_version + 1)  # type: ignore[arg-type]
    connection = session.connection()
    if owners is None:
        connection.execute(statement)
        return
    by_clinic: dict[str, set[str]] = {}
    for clinic_id, user_id in owners:
        by_clinic.setdefault(clinic_id, set()).add(user_id)
    for clinic_id, user_ids in by_clinic.items():
        connection.execute(
            statement.where(users.c.clinic_id == clinic_id, users.c.id.in_(sorted(user_ids)))
        )


@event.listens_for(Session, "before_flush")
def _objects_flushed(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    changed = [*session.new, *session.deleted]
    changed += [row for row in session.dirty if session.is_modified(row)]
    owners = {(row.clinic_id, row.user_id) for row in changed if isinstance(row, VERSIONED)}
    if owners:
        _bump(session, owners)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if getattr(getattr(state.statement, "table", None), "name", None) not in _TABLES:
        return
    if state.is_insert:
        rows: Any = state.parameters
        listed = rows if isinstance(rows, list) else [rows] if rows else []
        owners = [(r["clinic_id"], r["user_id"]) for r in listed if r and "user_id" in r]
        if owners and len(owners) == len(listed):
            _bump(state.session, owners)
            return
    _bump(state.session, None)
