"""Integration fixtures: the database on SQLite and PostgreSQL."""

from tests.integration.databases import (  # noqa: F401  (fixtures)
    database_url,
    migrated_postgres,
    migrated_sqlite_template,
)
