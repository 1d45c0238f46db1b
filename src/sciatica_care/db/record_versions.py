"""Each person's ``users.diary_version`` goes up in the same transaction as any change to their
diary, whichever way it is written: objects flushed by a unit of work, or bulk statements run
through one. A kept trend read-out made at another version is stale
(``services/kept_trends.py``), so nothing that writes the diary has to remember the cache.
Assessments move no version: a kept read-out is keyed by the first one (its baseline) instead,
so storing an assessment writes nothing more.

A bulk UPDATE or DELETE does not say whose rows it touches: it moves every version (they are
rare: tests, scripts), which only costs the kept read-outs a rebuild. Erasing an account marks
its deletes with ``ACCOUNT_ERASED``: the account's kept read-outs go with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, event, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from sciatica_care.db.tables import DiaryEntry, User

#: The tables a trend read-out is made from.
VERSIONED = (DiaryEntry,)
_TABLES = frozenset(model.__tablename__ for model in VERSIONED)


_USERS = User.__table__
_EVERYONE = update(_USERS).values(diary_version=_USERS.c.diary_version + 1)  # type: ignore[arg-type]
#: One person's bump, built once (the statement is compiled once and cached; the write path
#: runs it on every assessment and check-in).
_ONE = _EVERYONE.where(_USERS.c.clinic_id == bindparam("clinic"), _USERS.c.id == bindparam("user"))


def _bump(session: Session, owners: Iterable[tuple[str, str]] | None) -> None:
    """Move the version of ``owners`` ((clinic id, user id) pairs; None: everyone's)."""
    connection = session.connection()
    if owners is None:
        connection.execute(_EVERYONE)
        return
    # In a fixed order, so that two transactions never wait for each other's rows.
    rows = [{"clinic": clinic, "user": user} for clinic, user in sorted(set(owners))]
    connection.execute(_ONE, rows[0] if len(rows) == 1 else rows)


@event.listens_for(Session, "before_flush")
def _objects_flushed(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    changed = [*session.new, *session.deleted]
    changed += [row for row in session.dirty if session.is_modified(row)]
    owners = {(row.clinic_id, row.user_id) for row in changed if isinstance(row, VERSIONED)}
    if owners:
        _bump(session, owners)


#: The execution option of a bulk statement that deletes rows of an account being erased: no
#: version moves (the account's kept read-outs go with it; no one else's rows are touched).
ACCOUNT_ERASED = "account_erased"


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.is_delete and state.execution_options.get(ACCOUNT_ERASED):
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
