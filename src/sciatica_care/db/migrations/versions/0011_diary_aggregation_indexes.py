"""diary indexes for the database-side trend: the day sums read (clinic, user, time, pains)
from the index alone; the last safety re-check is an index look-up

Revision ID: 0011
Revises: 0010

"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_diary_entries_user_time_pain",
        "diary_entries",
        ["clinic_id", "user_id", "recorded_at", "leg_pain", "back_pain"],
    )
    op.drop_index("ix_diary_entries_user_time", table_name="diary_entries")
    op.create_index(
        "ix_diary_entries_user_checked",
        "diary_entries",
        ["clinic_id", "user_id", "safety_checked_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_diary_entries_user_checked", table_name="diary_entries")
    op.create_index(
        "ix_diary_entries_user_time", "diary_entries", ["clinic_id", "user_id", "recorded_at"]
    )
    op.drop_index("ix_diary_entries_user_time_pain", table_name="diary_entries")
