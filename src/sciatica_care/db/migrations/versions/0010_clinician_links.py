"""clinician_links: read-only links to a client's report for a clinician

Revision ID: 0010
Revises: 0009

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinician_links",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id", "user_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_clinician_links_clinic_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_clinician_links")),
    )
    op.create_index("ix_clinician_links_token_hash", "clinician_links", ["token_hash"])
    op.create_index(
        "ix_clinician_links_user", "clinician_links", ["clinic_id", "user_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_clinician_links_user", table_name="clinician_links")
    op.drop_index("ix_clinician_links_token_hash", table_name="clinician_links")
    op.drop_table("clinician_links")
