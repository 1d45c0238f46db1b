"""The therapist's workspace: profiles, invitations, shares (consent) and session notes
with their revisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sciatica_care.db.tables.base import Base, fk_to_user, new_id, utcnow


class TherapistProfile(Base):
    """A therapist's public profile, verification state and share code (one per therapist)."""

    __tablename__ = "therapist_profiles"
    __table_args__ = (
        fk_to_user("user_id"),
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
    postcode: Mapped[str] = mapped_column(String(16), default="", server_default="")
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    #: Extra training: "pregnancy", "oncology", "lymphoedema".
    training: Mapped[list[str]] = mapped_column(JSON, default=list)
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
        fk_to_user("therapist_id"),
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
        fk_to_user("client_id"),
        fk_to_user("therapist_id"),
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
        fk_to_user("client_id"),
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
    #: The therapist chose to let the client read the SOAP text (off by default).
    shared_with_client: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    booking_id: Mapped[str | None] = mapped_column(String(32), default=None)


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
