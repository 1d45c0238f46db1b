"""Invitation tokens, clinician-link tokens and calendar-feed tokens stay out of the access
log.

An invitation link (``/share/invite/<token>``) is a bearer secret until it is used, and a
clinician link (``/clinician/<token>``) until it expires or is revoked, a calendar feed
(``/calendar/<token>.ics``) until it is rotated; uvicorn's
access log writes every request's path. This filter, on the ``uvicorn.access`` logger, replaces
the token (also where it appears percent-encoded, e.g. in a ``next=`` parameter) before any
handler sees the record.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
_INVITATION = re.compile(r"(/|%2F)share(/|%2F)invite(/|%2F)[^/?#&\s\"%]+", re.IGNORECASE)
_CLINICIAN_LINK = re.compile(r"(/|%2F)clinician(/|%2F)[^/?#&\s\"%]+", re.IGNORECASE)
_CALENDAR_FEED = re.compile(r"(/|%2F)calendar(/|%2F)[A-Za-z0-9_-]+\.ics", re.IGNORECASE)
HIDDEN = "<hidden>"


def redact(text: str) -> str:
    """``text`` with every invitation and clinician-link token replaced by ``<hidden>``."""
    text = _INVITATION.sub(lambda m: f"{m[1]}share{m[2]}invite{m[3]}{HIDDEN}", text)
    text = _CALENDAR_FEED.sub(lambda m: f"{m[1]}calendar{m[2]}{HIDDEN}.ics", text)
    return _CLINICIAN_LINK.sub(lambda m: f"{m[1]}clinician{m[2]}{HIDDEN}", text)


class HideInvitationTokens(logging.Filter):
    """Rewrites the path arguments of an access-log record (never drops the record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def hide_invitation_tokens() -> None:
    """Install the filter on uvicorn's access logger (once)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, HideInvitationTokens) for f in logger.filters):
        logger.addFilter(HideInvitationTokens())
