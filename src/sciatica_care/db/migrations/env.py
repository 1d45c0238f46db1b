"""Alembic environment: online migrations only, batch mode on SQLite, one migrator at a time."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from sciatica_care.db.engine import is_sqlite, make_engine
from sciatica_care.db.migrate import include_object
from sciatica_care.db.tables import Base

# An arbitrary constant: PostgreSQL processes starting together migrate one after another.
MIGRATION_LOCK = 7_120_452_311


def run_migrations_online() -> None:
    url: str = context.config.attributes["database_url"]
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not is_sqlite(url):
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()
            try:
                context.configure(
                    connection=connection,
                    target_metadata=Base.metadata,
                    render_as_batch=is_sqlite(url),
                    compare_type=True,
                    include_object=include_object,
                )
                with context.begin_transaction():
                    context.run_migrations()
            finally:
                if not is_sqlite(url):
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK}
                    )
                    connection.commit()
    finally:
        engine.dispose()


run_migrations_online()
