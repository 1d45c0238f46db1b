"""therapist profiles, invitations, shares (consent), session notes and their revisions

Revision ID: 0002
Revises: 0001

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_notes",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("therapist_name", sa.String(length=200), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id", "client_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_session_notes_clinic_id_client_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_session_notes")),
    )
    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_session_notes_client_session",
            ["clinic_id", "client_id", "session_at"],
            unique=False,
        )

    op.create_table(
        "share_invitations",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id", "therapist_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_share_invitations_clinic_id_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_share_invitations")),
    )
    with op.batch_alter_table("share_invitations", schema=None) as batch_op:
        batch_op.create_index("ix_share_invitations_token_hash", ["token_hash"], unique=False)

    op.create_table(
        "shares",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=16), nullable=True),
        sa.Column("next_session_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id", "client_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_shares_clinic_id_client_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id", "therapist_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_shares_clinic_id_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_shares")),
    )
    with op.batch_alter_table("shares", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shares_client_therapist", ["clinic_id", "client_id", "therapist_id"], unique=False
        )
        batch_op.create_index(
            "ix_shares_therapist", ["clinic_id", "therapist_id", "revoked_at"], unique=False
        )

    op.create_table(
        "therapist_profiles",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("licence_number", sa.String(length=64), nullable=False),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.Column("years_treating_sciatica", sa.Integer(), nullable=False),
        sa.Column("techniques", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("share_code", sa.String(length=16), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id", "user_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_therapist_profiles_clinic_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_therapist_profiles")),
        sa.UniqueConstraint(
            "clinic_id", "share_code", name=op.f("uq_therapist_profiles_clinic_id_share_code")
        ),
        sa.UniqueConstraint(
            "clinic_id", "user_id", name=op.f("uq_therapist_profiles_clinic_id_user_id")
        ),
    )
    op.create_table(
        "session_note_revisions",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("note_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id", "note_id"],
            ["session_notes.clinic_id", "session_notes.id"],
            name=op.f("fk_session_note_revisions_clinic_id_note_id_session_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_session_note_revisions")),
        sa.UniqueConstraint(
            "clinic_id",
            "note_id",
            "version",
            name=op.f("uq_session_note_revisions_clinic_id_note_id_version"),
        ),
    )


def downgrade() -> None:
    op.drop_table("session_note_revisions")
    op.drop_table("therapist_profiles")
    with op.batch_alter_table("shares", schema=None) as batch_op:
        batch_op.drop_index("ix_shares_therapist")
        batch_op.drop_index("ix_shares_client_therapist")

    op.drop_table("shares")
    with op.batch_alter_table("share_invitations", schema=None) as batch_op:
        batch_op.drop_index("ix_share_invitations_token_hash")

    op.drop_table("share_invitations")
    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_session_notes_client_session")

    op.drop_table("session_notes")
