"""The tables. Portable types only (SQLite and PostgreSQL).

Every tenant-owned table carries ``clinic_id`` as the first column of its primary key, its
foreign keys and its indexes, so that sharding by clinic (Citus) later is a deployment change.
Ids are random 32-character hex strings made by the application: portable, unguessable, and
usable inside composite keys on SQLite (which only auto-increments a lone integer key).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

DEFAULT_CLINIC_ID = "default"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A fresh random id (32 hex characters)."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON}


def _user_fk(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["clinic_id", "user_id"], ["users.clinic_id", "users.id"], ondelete="CASCADE"
    )


class Clinic(Base):
    """A tenant. Single-user installs have one, the default clinic."""

    __tablename__ = "clinics"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    """An account: a client, a therapist or an admin."""

    __tablename__ = "users"
    __table_args__ = (
        ForeignKeyConstraint(["clinic_id"], ["clinics.id"]),
        UniqueConstraint("clinic_id", "email"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the owner opened the link mailed to this address; None until then.
    email_verified_at: Mapped[datetime | None] = mapped_column(default=None)


class Session(Base):
    """A server-side sign-in session; only a hash of its token is stored."""

    __tablename__ = "sessions"
    __table_args__ = (_user_fk("sessions"), Index("ix_sessions_token_hash", "token_hash"))
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class ApiToken(Base):
    """A personal access token for scripts; only a hash is stored, the prefix is shown."""

    __tablename__ = "api_tokens"
    __table_args__ = (_user_fk("api_tokens"), Index("ix_api_tokens_token_hash", "token_hash"))
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    #: "read" (safe methods only) or "write".
    scope: Mapped[str] = mapped_column(String(8), default="read")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class AccountToken(Base):
    """A single-use emailed link (password reset, email verification); only its hash is kept."""

    __tablename__ = "account_tokens"
    __table_args__ = (
        _user_fk("account_tokens"),
        Index("ix_account_tokens_token_hash", "token_hash"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboxMessage(Base):
    """An email waiting to be sent (or sent): written in the same transaction as the change
    that caused it, delivered after commit, so a crash between the two loses no mail.

    Emails carry no health data; the body may hold a single-use link, so it is blanked once sent.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_pending", "sent_at", "created_at"),)
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class LoginAttempt(Base):
    """One sign-in attempt, kept so throttling works across processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_at", "clinic_id", "email", "at"),)
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AssessmentRecord(Base):
    """A stored assessment: the answers, the result, and the knowledge-base version used."""

    __tablename__ = "assessments"
    __table_args__ = (
        _user_fk("assessments"),
        Index("ix_assessments_user_created", "clinic_id", "user_id", "created_at"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    input: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]
    triage_level: Mapped[str] = mapped_column(String(32))
    kb_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DiaryEntry(Base):
    """One check-in: pain now, what was done, sleep and a note. Several a day are fine."""

    __tablename__ = "diary_entries"
    __table_args__ = (
        _user_fk("diary_entries"),
        Index("ix_diary_entries_user_time", "clinic_id", "user_id", "recorded_at"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime]
    leg_pain: Mapped[int] = mapped_column(Integer)
    back_pain: Mapped[int] = mapped_column(Integer)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    stretches: Mapped[list[str]] = mapped_column(JSON, default=list)
    massage: Mapped[list[str]] = mapped_column(JSON, default=list)
    heat: Mapped[bool] = mapped_column(Boolean, default=False)
    cold: Mapped[bool] = mapped_column(Boolean, default=False)
    walk_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    medicine: Mapped[bool] = mapped_column(Boolean, default=False)
    sleep_quality: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Still sore more than 48 hours after a massage (counts against that session's techniques).
    soreness_48h: Mapped[bool] = mapped_column(Boolean, default=False)
    # The safety re-check of this check-in (outcomes.md v2): why it was asked ("weekly",
    # "leg_pain_up"; None: not asked), the answers (question id -> yes/no; None: not answered
    # yet), when they were given, and the assessment stored from a yes.
    safety_reason: Mapped[str | None] = mapped_column(String(16), default=None)
    safety_answers: Mapped[dict[str, bool] | None] = mapped_column(JSON, default=None)
    safety_checked_at: Mapped[datetime | None] = mapped_column(default=None)
    safety_assessment_id: Mapped[str | None] = mapped_column(String(32), default=None)


class OutcomeMeasure(Base):
    """A completed outcome questionnaire (now: the weekly Sciatica Bothersomeness Index)."""

    __tablename__ = "outcome_measures"
    __table_args__ = (
        _user_fk("outcome_measures"),
        Index("ix_outcome_measures_user_measure", "clinic_id", "user_id", "measure", "week_of"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(String(16))
    week_of: Mapped[date] = mapped_column(Date)
    items: Mapped[list[int]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Append-only: who read or wrote which record, when, by which route. Never health data."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject_at", "clinic_id", "subject_user_id", "at"),
        ForeignKeyConstraint(["clinic_id"], ["clinics.id"]),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[str | None] = mapped_column(String(32))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(32))
    subject_user_id: Mapped[str | None] = mapped_column(String(32))
    route: Mapped[str] = mapped_column(String(200), default="")


def _fk_to_user(column: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["clinic_id", column], ["users.clinic_id", "users.id"], ondelete="CASCADE"
    )


class TherapistProfile(Base):
    """A therapist's public profile, verification state and share code (one per therapist)."""

    __tablename__ = "therapist_profiles"
    __table_args__ = (
        _fk_to_user("user_id"),
        UniqueConstraint("clinic_id", "user_id"),
        UniqueConstraint("clinic_id", "share_code"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    licence_number: Mapped[str] = mapped_column(String(64), default="")
    years_experience: Mapped[int] = mapped_column(Integer, default=0)
    years_treating_sciatica: Mapped[int] = mapped_column(Integer, default=0)
    techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    city: Mapped[str] = mapped_column(String(100), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    share_code: Mapped[str] = mapped_column(String(16))
    verified_at: Mapped[datetime | None] = mapped_column(default=None)
    verified_by: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareInvitation(Base):
    """A link a therapist sends to a client; only a hash of its token is stored. Single use."""

    __tablename__ = "share_invitations"
    __table_args__ = (
        _fk_to_user("therapist_id"),
        Index("ix_share_invitations_token_hash", "token_hash"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    therapist_id: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Share(Base):
    """A client's consent for one therapist to see (parts of) their record.

    Active while ``revoked_at`` is None. Ending it keeps the row (the consent history);
    sharing again later makes a new row.
    """

    __tablename__ = "shares"
    __table_args__ = (
        _fk_to_user("client_id"),
        _fk_to_user("therapist_id"),
        Index("ix_shares_client_therapist", "clinic_id", "client_id", "therapist_id"),
        Index("ix_shares_therapist", "clinic_id", "therapist_id", "revoked_at"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(String(32))
    therapist_id: Mapped[str] = mapped_column(String(32))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    via: Mapped[str] = mapped_column(String(16))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_by: Mapped[str | None] = mapped_column(String(16), default=None)
    next_session_at: Mapped[datetime | None] = mapped_column(default=None)


class SessionNote(Base):
    """A session note about a client; its text lives in its revisions (append-only).

    ``therapist_id`` has no foreign key on purpose: the note is part of the client's record and
    stays when its author's account goes. ``session_at`` mirrors the current revision.
    """

    __tablename__ = "session_notes"
    __table_args__ = (
        _fk_to_user("client_id"),
        Index("ix_session_notes_client_session", "clinic_id", "client_id", "session_at"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(String(32))
    therapist_id: Mapped[str] = mapped_column(String(32))
    therapist_name: Mapped[str] = mapped_column(String(200), default="")
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    session_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)


class SessionNoteRevision(Base):
    """One version of a session note (append-only: never updated, only added)."""

    __tablename__ = "session_note_revisions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["clinic_id", "note_id"],
            ["session_notes.clinic_id", "session_notes.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("clinic_id", "note_id", "version"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    note_id: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    fields: Mapped[dict[str, Any]]
    changed_at: Mapped[datetime]
    changed_by: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
