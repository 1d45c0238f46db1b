"""Migration 0007: personal access tokens made before it keep working as before (write scope)
and expire 90 days after the migration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from sciatica_care.db.migrate import upgrade
from tests.integration.test_migrations import empty_database  # noqa: F401  (fixture)


def test_existing_tokens_get_the_write_scope_and_90_days(empty_database: str) -> None:  # noqa: F811
    upgrade(empty_database, "0004")
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (clinic_id, id, email, password_hash, role, display_name,"
                " created_at, time_zone) VALUES ('default', 'u1', 'old@example.org', 'x',"
                " 'client', '', :now, 'UTC')"
            ),
            {"now": datetime.now(UTC)},
        )
        conn.execute(
            text(
                "INSERT INTO api_tokens (clinic_id, id, user_id, name, prefix, token_hash,"
                " created_at) VALUES ('default', 't1', 'u1', 'old', 'scpat_x', 'h', :now)"
            ),
            {"now": datetime.now(UTC)},
        )
    upgrade(empty_database)
    with engine.connect() as conn:
        scope, expires_at = conn.execute(text("SELECT scope, expires_at FROM api_tokens")).one()
    engine.dispose()
    if isinstance(expires_at, str):
        expires_at = datetime.fromisoformat(expires_at)
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    assert scope == "write"
    assert abs(expires_at - (datetime.now(UTC) + timedelta(days=90))) < timedelta(minutes=5)
