"""What the doctor's report needs stored: the read-only links a client gives a clinician."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sciatica_care.db.tables.base import Base, fk_to_user, new_id, utcnow


class ClinicianLink(Base):
    """A link that shows one client's report (page and PDF) without an account.

    Only a hash of its token is kept. It works until ``expires_at`` or until the client
    revokes it (``revoked_at``), whichever comes first; the row stays so that the audit log's
    lines about it keep their meaning.
    """

    __tablename__ = "clinician_links"
    __table_args__ = (
        fk_to_user(),
        Index("ix_clinician_links_token_hash", "token_hash"),
        Index("ix_clinician_links_user", "clinic_id", "user_id", "created_at"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64))
    #: Who the client meant it for, in their words (optional; shown only to the client).
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_opened_at: Mapped[datetime | None] = mapped_column(default=None)
