"""``one_of(column, ids)`` finds the same rows as ``column.in_(ids)`` on SQLite and PostgreSQL,
for no id, one, many, repeated and unknown ids, and the SQL binds the ids as one value."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from sciatica_care.db.engine import Database
from sciatica_care.db.id_lists import one_of
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, User, new_id


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


def test_one_of_finds_the_rows_in_finds(database: Database) -> None:
    ids = [new_id() for _ in range(120)]
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
