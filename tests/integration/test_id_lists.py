"""``one_of(column, ids)`` finds the same rows as ``column.in_(ids)`` on SQLite and PostgreSQL,
for no id, one, many, repeated and unknown ids, and the SQL binds the ids as one value; the audit
rows ``id_pairs`` writes for many subjects are those written one by one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from sciatica_care.db.engine import Database
from sciatica_care.db.id_lists import id_pairs, one_of
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, AuditEvent, User, new_id
from sciatica_care.services.accounts import actor_for, create_user
from sciatica_care.services.audit import record_event, record_events

PASSWORD = "audit password 1234"


def test_one_of_finds_the_rows_in_finds(database: Database) -> None:
    # Ids with the characters an array's text form quotes or escapes read back as themselves.
    ids = [new_id() for _ in range(120)] + ['a"b', "c\\d", "NULL", "a,b", "{x}", " y "]
    with database.session() as db:
        for user_id in ids:
            db.add(
                User(
                    clinic_id=DEFAULT_CLINIC_ID,
                    id=user_id,
                    email=f"{user_id}@example.org",
                    password_hash="x",
                    role="client",
                )
            )
        db.commit()
        for asked in ([], ids[:1], ids[:3], ids, ids[:5] * 2, [*ids[:2], new_id(), "x'); --"]):
            found = set(db.scalars(select(User.id).where(one_of(User.id, asked))))
            assert found == set(db.scalars(select(User.id).where(User.id.in_(asked))))
            assert found == set(ids) & set(asked)


def test_the_ids_are_one_bound_value(database: Database) -> None:
    statement = select(User.id).where(one_of(User.id, [new_id() for _ in range(200)]))
    compiled = statement.compile(database.engine)
    assert len(compiled.params) == 1


def test_audit_rows_for_many_subjects_are_those_written_one_by_one(database: Database) -> None:
    """``record_events`` (ids and subjects as two bound lists) writes, for each subject, the row
    ``record_event`` writes: same columns, same values, read back the same."""
    with database.session() as db:
        therapist = create_user(db, email="audit@example.org", password=PASSWORD, role="therapist")
        db.commit()
        actor = replace(actor_for(therapist), route="GET /therapist/clients")
        subjects = [new_id() for _ in range(200)] + ["o'neil"]
        record_events(
            db, actor=actor, action="list", record_type="client", subject_user_ids=subjects
        )
        record_event(db, actor=actor, action="list", record_type="client", subject_user_id="one")
        db.commit()
        rows = db.scalars(select(AuditEvent).where(AuditEvent.actor_user_id == therapist.id)).all()
    assert sorted(r.subject_user_id or "" for r in rows) == sorted([*subjects, "one"])
    assert len({r.id for r in rows}) == len(rows)

    def columns(row: AuditEvent) -> tuple[object, ...]:
        where = (row.clinic_id, row.actor_user_id, row.actor_role, row.action, row.record_type)
        return (*where, row.record_id, row.route, type(row.at), row.at.tzinfo, len(row.id))

    assert {columns(r) for r in rows} == {columns(rows[-1])}
    one = next(r for r in rows if r.subject_user_id == "one")
    assert all(abs((r.at - one.at).total_seconds()) < 60 for r in rows)


def test_id_pairs_needs_two_lists_of_one_length() -> None:
    with pytest.raises(ValueError):
        id_pairs("sqlite", ["a"], [])
