"""users.diary_version and kept_trends: trend read-outs kept between requests;
assessments.at_a_glance: what the client list shows of a result

Revision ID: 0019
Revises: 0018

"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _at_a_glance(result: dict[str, Any]) -> dict[str, Any]:
    # As db.tables.records.at_a_glance when this was written (a migration keeps its own copy).
    return {
        "massage_hold": bool(result["triage"]["massage_hold"]),
        "rules_fired": list(result["rules_fired"]),
        "excluded": [e["technique"] for e in result["excluded"]],
    }


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("at_a_glance", sa.JSON(), nullable=True))
    connection = op.get_bind()
    assessments = sa.table(
        "assessments",
        sa.column("clinic_id", sa.String()),
        sa.column("id", sa.String()),
        sa.column("result", sa.JSON()),
        sa.column("at_a_glance", sa.JSON()),
    )
    rows = connection.execute(
        sa.select(assessments.c.clinic_id, assessments.c.id, assessments.c.result)
    ).all()
    for clinic_id, record_id, result in rows:
        connection.execute(
            assessments.update()
            .where(assessments.c.clinic_id == clinic_id, assessments.c.id == record_id)
            .values(at_a_glance=_at_a_glance(result))
        )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.alter_column("at_a_glance", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("diary_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "kept_trends",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("diary_version", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("series", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id", "user_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_kept_trends_clinic_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "user_id", "days", name=op.f("pk_kept_trends")),
    )


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("at_a_glance")
    op.drop_table("kept_trends")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("diary_version")
