"""The look-up every signed-in request makes: a session cookie or a personal access token to
the account behind it.

One indexed query each (``token_hash``), selecting only the columns an ``Actor`` needs, built
once at import and run on the unit of work's connection (no ORM objects are loaded). Nothing is
cached between requests, so a revocation, an expiry or a disabled account holds from the very
next request. The last-seen time (what the idle timeout measures) is written at most once a
``LAST_SEEN_PRECISION``, so a busy reader does not turn every request into a write.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from sciatica_care.db.tables import ApiToken, User, utcnow
from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.domain.time_zones import DEFAULT_TIME_ZONE
from sciatica_care.services.actors import Actor

# Writing last_seen on every request would make every read a write; a minute is precise enough.
LAST_SEEN_PRECISION = timedelta(minutes=1)

_USER = (
    User.id.label("user_id"),
    User.email,
    User.role,
    User.display_name,
    User.time_zone,
    User.reminder_hours_before,
    User.language,
    User.disabled_at,
)


def _by_token_hash(table: type[SessionRow] | type[ApiToken], *columns: Any) -> Any:
    """The row of ``table`` with the ``token_hash`` parameter, with its account's columns."""
    return (
        select(table.clinic_id, table.id.label("row_id"), *columns, *_USER)
        .join(User, (User.clinic_id == table.clinic_id) & (User.id == table.user_id))
        .where(table.token_hash == bindparam("token_hash"))
    )


def _touching(table: type[SessionRow] | type[ApiToken], column: str) -> Any:
    """Set ``column`` of the row (``clinic``, ``row``) to ``now``."""
    where = (table.clinic_id == bindparam("clinic")) & (table.id == bindparam("row"))
    return update(table).where(where).values({column: bindparam("now")})


_SESSION = _by_token_hash(
    SessionRow, SessionRow.revoked_at, SessionRow.expires_at, SessionRow.last_seen_at
)
_TOKEN = _by_token_hash(ApiToken, ApiToken.scope, ApiToken.expires_at, ApiToken.last_used_at).where(
    ApiToken.revoked_at.is_(None)
)
_TOUCH_SESSION = _touching(SessionRow, "last_seen_at")
_TOUCH_TOKEN = _touching(ApiToken, "last_used_at")


def _actor(row: Any, **extra: str | None) -> Actor:
    return Actor(
        user_id=row.user_id,
        clinic_id=row.clinic_id,
        email=row.email,
        role=row.role,
        display_name=row.display_name,
        time_zone=row.time_zone or DEFAULT_TIME_ZONE,
        reminder_hours_before=row.reminder_hours_before,
        language=row.language,
        **extra,  # type: ignore[arg-type]
    )


def _touch(db: Session, statement: Any, row: Any, last: datetime | None, now: datetime) -> None:
    if last is None or now - last >= LAST_SEEN_PRECISION:
        db.connection().execute(statement, {"clinic": row.clinic_id, "row": row.row_id, "now": now})
        db.commit()


def session_actor(db: Session, *, token_hash: str, idle: timedelta) -> Actor | None:
    """The account signed in by the session with this token hash, or None if unknown, revoked,
    idle or expired (or the account is disabled)."""
    row = db.connection().execute(_SESSION, {"token_hash": token_hash}).first()
    now = utcnow()
    if (
        row is None
        or row.revoked_at is not None
        or row.expires_at <= now
        or row.last_seen_at + idle <= now
        or row.disabled_at is not None
    ):
        return None
    _touch(db, _TOUCH_SESSION, row, row.last_seen_at, now)
    return _actor(row, session_id=row.row_id)


def token_actor(db: Session, *, token_hash: str) -> Actor | None:
    """The account behind the personal access token with this hash (with its scope), or None
    if unknown, revoked or expired (or the account is disabled)."""
    row = db.connection().execute(_TOKEN, {"token_hash": token_hash}).first()
    now = utcnow()
    if row is None or row.disabled_at is not None or row.expires_at <= now:
        return None
    _touch(db, _TOUCH_TOKEN, row, row.last_used_at, now)
    return _actor(row, token_id=row.row_id, token_scope=row.scope)
