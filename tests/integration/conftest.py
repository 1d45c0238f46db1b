"""Integration fixtures: the database on SQLite and PostgreSQL, as a URL or as an engine."""

from collections.abc import Iterator

import pytest

from sciatica_care.db.engine import Database
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
