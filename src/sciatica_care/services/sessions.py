"""Ending sign-ins: "sign out everywhere" ends every session and personal access token of an
account at once (a lost phone, a shared computer, a leaked token)."""

from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from sciatica_care.db.tables import ApiToken, utcnow
from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import record_event


def end_every_session(db: Session, *, actor: Actor, keep_session_id: str | None = None) -> int:
    """Revoke every live session and token of the actor's account (but ``keep_session_id``, if
    given: a password change keeps the session that made it). Returns how many ended."""
    now = utcnow()
    of_account = (SessionRow.clinic_id == actor.clinic_id) & (SessionRow.user_id == actor.user_id)
    sessions_query = update(SessionRow).where(of_account, SessionRow.revoked_at.is_(None))
    if keep_session_id is not None:
        sessions_query = sessions_query.where(SessionRow.id != keep_session_id)
    ended_sessions = cast(CursorResult[None], db.execute(sessions_query.values(revoked_at=now)))
    ended_tokens = cast(
        CursorResult[None],
        db.execute(
            update(ApiToken)
            .where(
                ApiToken.clinic_id == actor.clinic_id,
                ApiToken.user_id == actor.user_id,
                ApiToken.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        ),
    )
    record_event(db, actor=actor, action="sign_out", record_type="every_session")
    db.commit()
    return int(ended_sessions.rowcount or 0) + int(ended_tokens.rowcount or 0)
