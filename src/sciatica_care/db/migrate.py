"""Alembic migrations, configured in code so they ship inside the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def include_object(
    _object: object, name: str | None, type_: str, reflected: bool, _compare_to: object
) -> bool:
    """What Alembic compares with the ORM's tables: all but the tables a migration made
    outside them (``rate_buckets``: PostgreSQL's rate-limit counts, ``db/rate_buckets.py``)."""
    from sciatica_care.db.rate_buckets import TABLE

    return not (type_ == "table" and reflected and name == TABLE)


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for ``database_url`` without any ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    """Bring the database at ``database_url`` (default: the configured one) up to ``revision``."""
    if database_url is None:
        from sciatica_care.config import load_settings

        database_url = load_settings().resolved_database_url()
    if database_url.startswith("sqlite"):
        from sciatica_care.db.engine import create_private_sqlite_file

        create_private_sqlite_file(database_url)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database at ``database_url`` back to ``revision`` (``base`` empties it)."""
    command.downgrade(alembic_config(database_url), revision)
