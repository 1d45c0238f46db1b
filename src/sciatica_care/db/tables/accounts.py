"""Clinics, users and how they sign in: sessions, access tokens, emailed links, the mail
outbox and the sign-in attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sciatica_care.db.tables.base import Base, fk_to_user, new_id, utcnow


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
    #: Hours before a booking to send its reminder; None: no reminders.
    reminder_hours_before: Mapped[int | None] = mapped_column(
        Integer, default=24, server_default="24"
    )
    #: The language the person chose ("en", "ko"); None: follow the browser.
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    #: Goes up with every change to the person's diary (``db/record_versions``):
    #: a kept trend read-out made at another version is stale.
    diary_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Session(Base):
    """A server-side sign-in session; only a hash of its token is stored."""

    __tablename__ = "sessions"
    __table_args__ = (fk_to_user(), Index("ix_sessions_token_hash", "token_hash"))
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
    __table_args__ = (fk_to_user(), Index("ix_api_tokens_token_hash", "token_hash"))
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
        fk_to_user(),
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
    #: A sender's lease: while it is in the future no other sender takes the email (two
    #: workers, or a worker and a request's delivery, never send it twice).
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)


class LoginAttempt(Base):
    """One sign-in attempt, kept so throttling works across processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_at", "clinic_id", "email", "at"),)
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=utcnow)
