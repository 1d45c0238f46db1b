"""Private calendar feeds: one address per person, behind a long random token.

Calendar apps fetch a subscription without cookies, so the token in the address is the
credential: 256 random bits, shown once when made; only its SHA-256 is stored. Making a new
address revokes the old one (rotation); a revoked or unknown token finds nothing (404). Admins
keep no diary and get no feed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sciatica_care import i18n
from sciatica_care.config import Settings
from sciatica_care.db.tables import CalendarFeed, User, new_id, utcnow
from sciatica_care.reports import ics
from sciatica_care.services.access import booking_for
from sciatica_care.services.actors import Actor
from sciatica_care.services.calendar_events import booking_document, feed_document, feed_version
from sciatica_care.services.errors import Forbidden, NotFound

log = logging.getLogger(__name__)

TOKEN_BYTES = 32
#: What a feed token looks like (token_urlsafe of 32 bytes: 43 characters).
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
FEED_ROLES = ("client", "therapist")


@dataclass(frozen=True, slots=True)
class NewFeed:
    """A feed just made: its token (shown this once) and its address."""

    id: str
    token: str
    url: str
    webcal_url: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Feed:
    """The body of a feed (None: not modified since the ETag the app sent) and its
    validators (ETag, Last-Modified)."""

    body: bytes | None
    etag: str
    last_modified: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


def _feed_owner(actor: Actor) -> Actor:
    if actor.role not in FEED_ROLES:
        raise Forbidden("only clients and therapists have a calendar of sessions")
    return actor


def _revoke_all(db: Session, actor: Actor, now: datetime) -> int:
    revoked = db.execute(
        update(CalendarFeed)
        .where(
            CalendarFeed.clinic_id == actor.clinic_id,
            CalendarFeed.user_id == actor.user_id,
            CalendarFeed.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(revoked.rowcount)  # type: ignore[attr-defined]


def make_feed(db: Session, *, actor: Actor, settings: Settings) -> NewFeed:
    """A new feed address for the actor; any earlier one stops working at once."""
    _feed_owner(actor)
    now = utcnow()
    _revoke_all(db, actor, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = CalendarFeed(
        clinic_id=actor.clinic_id,
        id=new_id(),
        user_id=actor.user_id,
        token_hash=token_hash(token),
        created_at=now,
    )
    db.add(row)
    db.commit()
    log.info("calendar feed %s made", row.id)
    url = settings.public_url(feed_path(token))
    return NewFeed(row.id, token, url, re.sub(r"^https?://", "webcal://", url), now)


def active_feeds(db: Session, *, actor: Actor) -> list[CalendarFeed]:
    """The actor's working feed addresses (at most one; the token is never shown again)."""
    _feed_owner(actor)
    return list(
        db.scalars(
            select(CalendarFeed)
            .where(
                CalendarFeed.clinic_id == actor.clinic_id,
                CalendarFeed.user_id == actor.user_id,
                CalendarFeed.revoked_at.is_(None),
            )
            .order_by(CalendarFeed.created_at.desc())
        ).all()
    )


def revoke_feeds(db: Session, *, actor: Actor) -> int:
    """Stop every feed address of the actor; returns how many stopped."""
    _feed_owner(actor)
    count = _revoke_all(db, actor, utcnow())
    db.commit()
    log.info("calendar feeds of %s revoked (%d)", actor.user_id, count)
    return count


class FeedCache:
    """Feed bodies by version (the ETag), newest kept, within a byte budget, per process. A
    calendar holds no health data; a version changes with any booking change."""

    def __init__(self, max_bytes: int = 16 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.bodies: OrderedDict[str, bytes] = OrderedDict()
        self.lock = Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            body = self.bodies.get(key)
            if body is not None:
                self.bodies.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        with self.lock:
            self.bodies[key] = body
            while sum(len(b) for b in self.bodies.values()) > self.max_bytes and self.bodies:
                self.bodies.popitem(last=False)


feed_cache = FeedCache()


def feed_for_token(db: Session, *, token: str, if_none_match: str | None = None) -> Feed:
    """The calendar behind a feed token; NotFound for a malformed, unknown or revoked one.

    The version (ETag) is read first and cheaply: when it is the one the calendar app already
    has, the body is not built (``Feed.body`` is None: answer 304); a body already built for
    this version is served from the cache."""
    if not TOKEN_PATTERN.fullmatch(token):
        raise NotFound("calendar")
    row = db.scalars(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == token_hash(token), CalendarFeed.revoked_at.is_(None)
        )
    ).first()
    user = db.get(User, (row.clinic_id, row.user_id)) if row is not None else None
    if user is None or user.role not in FEED_ROLES:
        raise NotFound("calendar")
    now = utcnow()
    version, changed = feed_version(db, user=user, now=now)
    etag = f'"{version}"'
    body = None if if_none_match == etag else feed_cache.get(version)
    if body is None and if_none_match != etag:
        document = feed_document(db, user=user, now=now)
        body = ics.ics_bytes(document)
        feed_cache.put(version, body)
    db.commit()
    return Feed(body, etag, changed)


def booking_ics(
    db: Session, *, actor: Actor, booking_id: str, language: str | None = None
) -> bytes:
    """One booking as an .ics file, for its client or its therapist (NotFound otherwise), in
    the actor's language (their account's choice, else ``language``: the page's, else
    English)."""
    booking = booking_for(db, actor=actor, booking_id=booking_id)
    chosen = next(
        (c for c in (actor.language, language) if c and i18n.is_language(c)),
        i18n.DEFAULT_LANGUAGE,
    )
    document = booking_document(db, booking=booking, viewer_role=actor.role, language=chosen)
    body = ics.ics_bytes(document, method="PUBLISH")
    db.commit()
    return body
