"""the check-in's safety re-check (why it was asked, the answers, when, the assessment a yes
stored) and soreness over 48 hours after a massage

Revision ID: 0004
Revises: 0003

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("soreness_48h", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("safety_reason", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("safety_answers", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("safety_checked_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("safety_assessment_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.drop_column("safety_assessment_id")
        batch_op.drop_column("safety_checked_at")
        batch_op.drop_column("safety_answers")
        batch_op.drop_column("safety_reason")
        batch_op.drop_column("soreness_48h")
