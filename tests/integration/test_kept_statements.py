"""On PostgreSQL a unit of work that only read and is closed without a commit keeps the
connection's prepared statements (it ends with COMMIT); one that wrote, or failed, is rolled
back as before (``db/kept_statements.py``). On SQLite nothing changes: the same outcomes."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, User, new_id


def _user(user_id: str) -> User:
    return User(
        clinic_id=DEFAULT_CLINIC_ID,
        id=user_id,
        email=f"{user_id}@example.org",
        password_hash="x",
        role="client",
    )


def _prepared(database: Database) -> int:
    """How many statements the pooled connection holds prepared on the server (PostgreSQL)."""
    with database.engine.connect() as connection:
        return int(connection.scalar(text("SELECT count(*) FROM pg_prepared_statements")) or 0)


def test_reads_closed_without_a_commit_keep_the_prepared_statements(database: Database) -> None:
    with database.session() as db:
        db.add(_user("reader"))
        db.commit()
    for _ in range(8):  # psycopg prepares a statement at its sixth run on a connection
        with database.session() as db:
            assert db.scalar(select(User.email).where(User.id == "reader"))
        # closed without a commit: the read's transaction ends here
    if database.engine.dialect.name == "postgresql":
        assert _prepared(database) >= 1


def test_a_write_closed_without_a_commit_is_rolled_back(database: Database) -> None:
    written = new_id()
    with database.session() as db:
        db.scalar(select(User.id).limit(1))
        db.add(_user(written))
        db.flush()  # sent, never committed
    with database.session() as db:
        assert db.get(User, (DEFAULT_CLINIC_ID, written)) is None


def test_a_failed_transaction_is_rolled_back(database: Database) -> None:
    with database.session() as db:
        db.scalar(select(User.id).limit(1))
        with pytest.raises(DBAPIError):
            db.execute(text("SELECT no_such_column FROM users"))
        db.rollback()
        assert db.scalar(select(User.id).limit(1)) is None  # the session works on
