"""Reads whose only writes keep the books: commit them without waiting for the disk.

Showing a dashboard or a therapist's client list writes a little: the audit rows of the read,
a kept trend read-out. A durable commit waits for the disk (SQLite ``synchronous=FULL`` syncs
the WAL; PostgreSQL flushes its WAL), which on the busiest reads cost more than the read itself,
and on SQLite every writer waits for the one before it. A read service that calls
:func:`bookkeeping_only` before its first write commits its transactions as:

- SQLite: ``synchronous=NORMAL`` for that transaction (set before its BEGIN; the next write
  transaction on the connection goes back to the configured level);
- PostgreSQL: ``SET LOCAL synchronous_commit TO OFF``.

Its audit rows wait for the commit (:func:`at_commit`): on SQLite a write holds the writer
queue from its first statement to its commit, so a row flushed by the read's first query would
keep every other writer waiting for the whole read.

Such a commit survives a killed app process (``kill -9``): the rows are in the database's WAL,
in the operating system's cache. Only a power cut or an OS crash (or, on PostgreSQL, a crash of
the database server) in the moment after it may lose the last such rows; the database stays
consistent, and the next durable commit (any write of health data) or checkpoint makes them
durable too. Writes of health data never call this: they wait for the disk as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, SessionTransaction

_FLAG = "bookkeeping_only"
_HELD = "held_for_commit"


def bookkeeping_only(db: Session) -> None:
    """From now on, this unit of work's writes only keep the books of reads (audit rows, kept
    read-outs): its commits do not wait for the disk (see the module's docstring)."""
    if db.info.get(_FLAG):
        return
    db.info[_FLAG] = True
    if db.in_transaction():  # a later transaction is marked when it begins (``_begun``)
        _mark(db.connection())


def _mark(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.info[_FLAG] = True  # taken by the transaction's first write (``_writing``)
        return
    raw = connection.connection.dbapi_connection
    if hasattr(raw, "bookkeeping"):  # the writer-queued SQLite connection (db/engine.py)
        setattr(raw, "bookkeeping", True)  # noqa: B010 (not an attribute of every connection)


def holds_writes(db: Session) -> bool:
    """Whether ``db``'s writes wait for its commit (:func:`bookkeeping_only`)."""
    return bool(db.info.get(_FLAG))


def at_commit(db: Session, write: Callable[[Session], object]) -> None:
    """``write(db)`` now; in a :func:`bookkeeping_only` unit of work, at its next commit
    (before the commit's flush, in the same transaction)."""
    if db.info.get(_FLAG):
        if not db.in_transaction():
            db.begin()  # so that a rollback before the commit drops what is held
        db.info.setdefault(_HELD, []).append(write)
    else:
        write(db)


def is_held(db: Session, write: Callable[[Session], object]) -> bool:
    """Whether ``write`` (given to :func:`at_commit`) still waits for ``db``'s next commit."""
    return any(held is write for held in db.info.get(_HELD, ()))


@event.listens_for(Session, "before_commit")
def _committing(session: Session) -> None:
    for write in session.info.pop(_HELD, ()):
        write(session)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: SessionTransaction) -> None:
    session.info.pop(_HELD, None)


@event.listens_for(Session, "after_begin")
def _begun(session: Session, _transaction: SessionTransaction, connection: Any) -> None:
    if session.info.get(_FLAG):
        _mark(connection)


_WRITES = ("INSERT", "UPDATE", "DELETE")


def _writing(
    connection: Connection, cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    """PostgreSQL: before a marked transaction's first write, turn its synchronous commit off
    (on the driver's connection: a read that writes nothing sends nothing more)."""
    if connection.info.get(_FLAG) and statement.lstrip()[:6].upper().startswith(_WRITES):
        del connection.info[_FLAG]
        cursor.connection.execute("SET LOCAL synchronous_commit TO OFF")


def _ended(connection: Connection) -> None:
    connection.info.pop(_FLAG, None)


def _checked_in(_dbapi_connection: Any, record: Any) -> None:
    # However the transaction ended, the mark never outlives it into another unit of work.
    record.info.pop(_FLAG, None)


def watch_postgres_writes(engine: Engine) -> None:
    """Let ``engine``'s marked transactions commit without waiting for the disk."""
    event.listen(engine, "before_cursor_execute", _writing)
    event.listen(engine, "commit", _ended)
    event.listen(engine, "rollback", _ended)
    event.listen(engine.pool, "checkin", _checked_in)
