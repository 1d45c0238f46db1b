"""Who is asking: the signed-in account behind a request, and the route it came by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["client", "therapist", "admin", "clinician_link"]
#: The roles of accounts; "clinician_link" is the holder of a client's read-only report link
#: (no account: its ``user_id`` is the link's id).
ROLES: tuple[Role, ...] = ("client", "therapist", "admin")


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in account. ``route`` (e.g. "GET /api/v1/diary") goes into the audit log."""

    user_id: str
    clinic_id: str
    email: str
    role: Role
    display_name: str = ""
    session_id: str | None = None
    token_id: str | None = None
    route: str = ""
    #: "read" or "write" when signed in by a personal access token; None for a session.
    token_scope: str | None = None
    time_zone: str = "UTC"
    #: Hours before a booking its reminder is emailed; None: no reminders.
    reminder_hours_before: int | None = 24
    #: The language the person chose ("en", "ko"), or None to follow the browser.
    language: str | None = None
