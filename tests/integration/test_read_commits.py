"""A read's bookkeeping commits without waiting for the disk; writes of health data still wait.

``bookkeeping_only`` (db/read_commits.py): on SQLite the read's transaction commits without a
sync (``synchronous=NORMAL``, no group-commit sync) and the next write waits for the disk
again; on PostgreSQL the read's transaction has ``synchronous_commit`` off and the next one has
it on. The read's audit rows
are written at its commit (not flushed by its first query), and dropped with a rollback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from sciatica_care.db.engine import Database
from sciatica_care.db.read_commits import bookkeeping_only
from sciatica_care.db.tables import AuditEvent, new_id
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import record_event, record_events


def _level(db: Session) -> str:
    """How the current transaction will commit: on SQLite "2" when its commit waits for the
    disk (``synchronous=FULL``, or NORMAL with a group-commit sync of the WAL: db/group_commit.py),
    "1" when not; PostgreSQL's synchronous_commit."""
    if _is_postgres(db):
        return str(db.connection().exec_driver_sql("SHOW synchronous_commit").scalar())
    level = int(db.connection().exec_driver_sql("PRAGMA synchronous").scalar() or 0)
    raw = db.connection().connection.dbapi_connection
    if level == 1 and getattr(raw, "wal_sync", None) and not getattr(raw, "bookkeeping", False):
        return "2"  # group commit: the commit syncs the WAL
    return str(level)


def _is_postgres(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def _audit_rows(database: Database, actor: Actor) -> int:
    with database.session() as db:
        return int(
            db.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.subject_user_id == actor.user_id)
            )
            or 0
        )


def _durable(database: Database) -> str:
    return "on" if database.engine.dialect.name == "postgresql" else "2"


def _light(database: Database) -> str:
    return "off" if database.engine.dialect.name == "postgresql" else "1"


def _write(db: Session, actor: Actor) -> None:
    """A write now (not held): the transaction's level is taken at its first write."""
    db.add(
        AuditEvent(
            clinic_id=actor.clinic_id,
            actor_user_id=actor.user_id,
            actor_role=actor.role,
            action="read",
            record_type="kept_trend",
            subject_user_id=actor.user_id,
            route="",
        )
    )
    db.flush()


def test_a_read_s_rows_commit_lightly_and_the_next_write_durably(
    database: Database, actor: Actor
) -> None:
    with database.session() as db:
        bookkeeping_only(db)
        record_event(
            db, actor=actor, action="read", record_type="dashboard", subject_user_id=actor.user_id
        )
        record_events(db, actor=actor, action="list", record_type="client", subject_user_ids=[])
        # Held for the commit: the read's first query flushes nothing (SQLite's writer queue
        # stays free while the read runs).
        assert not db.new
        db.scalar(select(func.count()).select_from(AuditEvent))
        assert not db.new
        _write(db, actor)
        assert _level(db) == _light(database)
        db.commit()
    assert _audit_rows(database, actor) == 2

    with database.session() as db:
        record_event(
            db,
            actor=actor,
            action="update",
            record_type="diary_entry",
            subject_user_id=actor.user_id,
        )
        # A write's audit row goes with the write, as before: in its transaction (inserted at
        # once, not held for the commit), which commits durably.
        assert not db.new
        assert db.scalar(select(func.count()).select_from(AuditEvent)) == 3
        assert _level(db) == _durable(database)
        db.commit()
    assert _audit_rows(database, actor) == 3


def test_a_later_transaction_of_the_read_is_light_too(database: Database, actor: Actor) -> None:
    with database.session() as db:
        bookkeeping_only(db)
        db.commit()
        _write(db, actor)
        assert _level(db) == _light(database)
        db.commit()
    assert _audit_rows(database, actor) == 1


def test_a_read_s_held_rows_go_with_a_rollback(database: Database, actor: Actor) -> None:
    with database.session() as db:
        bookkeeping_only(db)
        record_event(
            db, actor=actor, action="read", record_type="dashboard", subject_user_id=actor.user_id
        )
        db.rollback()
        db.commit()
    assert _audit_rows(database, actor) == 0


def test_the_mark_reaches_a_transaction_already_open(database: Database, actor: Actor) -> None:
    with database.session() as db:
        db.scalar(select(func.count()).select_from(AuditEvent))  # a transaction is open
        bookkeeping_only(db)
        record_event(
            db, actor=actor, action="read", record_type="trend", subject_user_id=actor.user_id
        )
        _write(db, actor)
        assert _level(db) == _light(database)
        db.commit()
    assert _audit_rows(database, actor) == 2


def test_a_mark_ends_with_its_unit_of_work(database: Database, actor: Actor) -> None:
    """A read marked but closed without writing or committing leaves nothing behind: the next
    unit of work on the same pooled connection writes durably."""
    for _ in range(3):
        with database.session() as db:
            bookkeeping_only(db)
            db.scalar(select(func.count()).select_from(AuditEvent))
        with database.session() as db:
            _write(db, actor)
            assert _level(db) == _durable(database)
            db.commit()


def test_a_read_s_batches_of_audit_rows_go_in_one_insert(database: Database, actor: Actor) -> None:
    """Two batches held for one commit are one statement; a batch dropped by a rollback takes
    no later batch with it."""
    others = [new_id() for _ in range(3)]
    ids = [actor.user_id, *others]
    with database.session() as db:
        bookkeeping_only(db)
        record_events(db, actor=actor, action="list", record_type="client", subject_user_ids=ids)
        db.rollback()
        record_events(db, actor=actor, action="list", record_type="client", subject_user_ids=ids)
        record_events(db, actor=actor, action="read", record_type="notes", subject_user_ids=ids)
        with statements_of(database) as sent:
            db.commit()
    assert [s for s in sent if s.lstrip().upper().startswith("INSERT")] == [sent[0]]
    with database.session() as db:
        rows = db.execute(
            select(AuditEvent.action, AuditEvent.record_type, func.count())
            .where(AuditEvent.actor_user_id == actor.user_id)
            .group_by(AuditEvent.action, AuditEvent.record_type)
            .order_by(AuditEvent.action)
        ).all()
    assert [tuple(row) for row in rows] == [("list", "client", 4), ("read", "notes", 4)]


@contextmanager
def statements_of(database: Database) -> Iterator[list[str]]:
    """The statements ``database`` sends meanwhile."""
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(database.engine, "before_cursor_execute", note)
