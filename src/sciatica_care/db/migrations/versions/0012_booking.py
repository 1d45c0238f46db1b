"""booking: directory fields, booking rules, hours, bookings, series, waitlist, calendar feeds

Revision ID: 0012
Revises: 0011

"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "availability_exceptions",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("starts", sa.Time(), nullable=True),
        sa.Column("ends", sa.Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id", "therapist_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_availability_exceptions_clinic_id_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_availability_exceptions")),
    )
    with op.batch_alter_table("availability_exceptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_availability_exceptions_therapist_day",
            ["clinic_id", "therapist_id", "day"],
            unique=False,
        )

    op.create_table(
        "booking_series",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("first_starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id", "client_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_booking_series_clinic_id_client_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id", "therapist_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_booking_series_clinic_id_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_booking_series")),
    )
    op.create_table(
        "booking_settings",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("session_lengths", sa.JSON(), nullable=False),
        sa.Column("buffer_before_minutes", sa.Integer(), nullable=False),
        sa.Column("buffer_after_minutes", sa.Integer(), nullable=False),
        sa.Column("min_notice_hours", sa.Integer(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("slot_step_minutes", sa.Integer(), nullable=False),
        sa.Column("new_clients", sa.String(length=8), nullable=False),
        sa.Column("cancellation_window_hours", sa.Integer(), nullable=False),
        sa.Column("waitlist_hold_minutes", sa.Integer(), nullable=False),
        sa.Column("accepting_new_clients", sa.Boolean(), nullable=False),
        sa.Column("daily_agenda", sa.Boolean(), nullable=False),
        sa.Column("agenda_sent_on", sa.Date(), nullable=True),
        sa.Column("schedule_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id", "therapist_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_booking_settings_clinic_id_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "therapist_id", name=op.f("pk_booking_settings")),
    )
    op.create_table(
        "bookings",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("series_id", sa.String(length=32), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=16), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_note_id", sa.String(length=32), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id", "client_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_bookings_clinic_id_client_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id", "therapist_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_bookings_clinic_id_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_bookings")),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bookings_client_starts", ["clinic_id", "client_id", "starts_at"], unique=False
        )
        batch_op.create_index("ix_bookings_reminders", ["status", "starts_at"], unique=False)
        batch_op.create_index(
            "ix_bookings_therapist_starts", ["clinic_id", "therapist_id", "starts_at"], unique=False
        )

    op.create_table(
        "calendar_feeds",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id", "user_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_calendar_feeds_clinic_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_calendar_feeds")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index("ix_calendar_feeds_token_hash", ["token_hash"], unique=False)

    op.create_table(
        "waitlist_entries",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("earlier_than", sa.DateTime(timezone=True), nullable=True),
        sa.Column("booking_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered_booking_id", sa.String(length=32), nullable=True),
        sa.Column("offer_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id", "client_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_waitlist_entries_clinic_id_client_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id", "therapist_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_waitlist_entries_clinic_id_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_waitlist_entries")),
    )
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_waitlist_entries_therapist",
            ["clinic_id", "therapist_id", "status", "created_at"],
            unique=False,
        )

    op.create_table(
        "weekly_hours",
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("therapist_id", sa.String(length=32), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id", "therapist_id"],
            ["users.clinic_id", "users.id"],
            name=op.f("fk_weekly_hours_clinic_id_therapist_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("clinic_id", "id", name=op.f("pk_weekly_hours")),
    )
    with op.batch_alter_table("weekly_hours", schema=None) as batch_op:
        batch_op.create_index(
            "ix_weekly_hours_therapist", ["clinic_id", "therapist_id", "weekday"], unique=False
        )

    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shared_with_client", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("booking_id", sa.String(length=32), nullable=True))

    with op.batch_alter_table("therapist_profiles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("postcode", sa.String(length=16), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("training", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminder_hours_before", sa.Integer(), server_default="24", nullable=True)
        )


def downgrade() -> None:

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("reminder_hours_before")

    with op.batch_alter_table("therapist_profiles", schema=None) as batch_op:
        batch_op.drop_column("training")
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
        batch_op.drop_column("postcode")

    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.drop_column("booking_id")
        batch_op.drop_column("shared_with_client")

    with op.batch_alter_table("weekly_hours", schema=None) as batch_op:
        batch_op.drop_index("ix_weekly_hours_therapist")

    op.drop_table("weekly_hours")
    with op.batch_alter_table("waitlist_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_waitlist_entries_therapist")

    op.drop_table("waitlist_entries")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_feeds_token_hash")

    op.drop_table("calendar_feeds")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_therapist_starts")
        batch_op.drop_index("ix_bookings_reminders")
        batch_op.drop_index("ix_bookings_client_starts")

    op.drop_table("bookings")
    op.drop_table("booking_settings")
    op.drop_table("booking_series")
    with op.batch_alter_table("availability_exceptions", schema=None) as batch_op:
        batch_op.drop_index("ix_availability_exceptions_therapist_day")

    op.drop_table("availability_exceptions")
