"""diary: a partial index of the check-ins whose safety questions wait for answers, so that the
dashboard finds the latest without reading the person's whole diary

Revision ID: 0020
Revises: 0019

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# As db.tables.records.WAITING when this was written (a migration keeps its own copy).
WAITING = "safety_reason IS NOT NULL AND safety_answers IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_diary_entries_user_waiting",
        "diary_entries",
        ["clinic_id", "user_id", "created_at"],
        postgresql_where=sa.text(WAITING),
        sqlite_where=sa.text(WAITING),
    )


def downgrade() -> None:
    op.drop_index("ix_diary_entries_user_waiting", table_name="diary_entries")
