"""Database fixtures shared by the integration and web suites: every test that takes
``database_url`` runs on SQLite and on PostgreSQL (when SCIATICA_CARE_TEST_POSTGRES_URL is set;
in CI its absence is a failure, not a skip)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from sciatica_care.db.migrate import upgrade
from sciatica_care.db.rate_buckets import TABLE as RATE_BUCKETS
from sciatica_care.db.tables import Base
from tests.conftest import POSTGRES_ENV

# Kept between tests: the default clinic and Alembic's record of the schema version.
KEEP_TABLES = {"clinics", "alembic_version"}


def postgres_url() -> str | None:
    """The test PostgreSQL URL; fails in CI when it is missing, else None (tests skip)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url and os.environ.get("CI") == "true":
        pytest.fail(f"{POSTGRES_ENV} must be set in CI: the suite runs on PostgreSQL too")
    return url or None


def ensure_postgres_database(url: str) -> None:
    """Create the test database if the server does not have it yet."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def reset_postgres(url: str) -> None:
    """Drop every table of the test database (a clean slate for a migration test)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def truncate_postgres(url: str) -> None:
    """Empty every table but the default clinic and the schema version.

    Rows are deleted (children first), not TRUNCATEd: the tables of a test hold a handful of
    rows, and DELETE of those takes milliseconds where TRUNCATE of two dozen tables takes a
    third of a second (it replaces every table's files). The DELETEs go to the server as one
    script, in one round trip (0.7 ms on empty tables, against 4.9 ms one statement at a time).
    Nothing in the schema counts on a sequence, so the database ends the same. One engine per
    URL serves every test of a worker.
    """
    with _engine(url).begin() as conn:
        conn.exec_driver_sql(_EMPTYING)


#: Every table's DELETE, children first, as one script (no parameters: one round trip).
_EMPTYING = ";\n".join(
    [
        *(
            f'DELETE FROM "{table.name}"'
            for table in reversed(Base.metadata.sorted_tables)
            if table.name not in KEEP_TABLES
        ),
        "DELETE FROM clinics WHERE id <> 'default'",
        f"DELETE FROM {RATE_BUCKETS}",  # rate-limit counts (outside the ORM's tables)
    ]
)


_ENGINES: dict[str, Engine] = {}


def _engine(url: str) -> Engine:
    """The worker's one engine for ``url`` (connections kept in its pool between tests)."""
    if url not in _ENGINES:
        _ENGINES[url] = create_engine(url)
    return _ENGINES[url]


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str | None]:
    """The test PostgreSQL database, reset and migrated once per run (None when not set)."""
    url = postgres_url()
    if url is None:
        yield None
        return
    ensure_postgres_database(url)
    reset_postgres(url)
    upgrade(url)
    yield url


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    migrated_sqlite_template: Path,
) -> str:
    """A migrated, empty database: a fresh SQLite file, or the emptied PostgreSQL test DB."""
    if request.param == "sqlite":
        path = tmp_path / "sciatica-care.db"
        shutil.copyfile(migrated_sqlite_template, path)
        return f"sqlite:///{path}"
    url: str | None = request.getfixturevalue("migrated_postgres")
    if url is None:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    truncate_postgres(url)
    return url
