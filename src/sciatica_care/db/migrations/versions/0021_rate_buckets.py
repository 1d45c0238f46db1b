"""rate_buckets (PostgreSQL only): rate-limit counts shared by every app process and machine

An UNLOGGED table: not written to the log, so a take costs no log flush, and emptied after a
crash, which only forgets counts. Outside the ORM's tables (``db/rate_buckets.py`` reads and
writes it with one statement). On SQLite the counts are kept in a file of their own beside the
database, made by the app.

Revision ID: 0021
Revises: 0020

"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE UNLOGGED TABLE rate_buckets ("
        " name TEXT NOT NULL,"
        " key TEXT NOT NULL,"
        " tokens DOUBLE PRECISION NOT NULL,"
        " used_at DOUBLE PRECISION NOT NULL,"
        " taken INTEGER NOT NULL,"
        " CONSTRAINT pk_rate_buckets PRIMARY KEY (name, key))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE rate_buckets")
