"""Integration fixtures: the database on SQLite and PostgreSQL, as a URL or as an engine."""

from collections.abc import Iterator

import pytest

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import new_id
from sciatica_care.services.accounts import actor_for, create_user
from sciatica_care.services.actors import Actor
from tests.integration.databases import (  # noqa: F401  (fixtures)
    database_url,
    migrated_postgres,
    migrated_sqlite_template,
)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:  # noqa: F811  (the fixture above)
    """The migrated, empty database of ``database_url``, its engine disposed afterwards."""
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def actor(database: Database) -> Actor:
    """A new client account on ``database``, as the services see it."""
    with database.session() as db:
        user = create_user(db, email=f"{new_id()}@example.org", password="a client password 1234")
        db.commit()
        return actor_for(user)
