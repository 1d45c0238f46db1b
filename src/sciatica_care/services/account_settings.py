"""The account's settings changed together, as the settings form and ``PATCH /api/v1/me`` send
them: the time zone, the booking reminders and the language are all checked first, every wrong
one named, and saved in one commit, so a change refused in one field saves none of the others."""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from sciatica_care.db.tables import User
from sciatica_care.services.accounts import check_language, check_time_zone
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, InvalidInput, NotFound
from sciatica_care.services.reminders import check_reminder_hours


class Keep(Enum):
    """The reminder setting left as it is (None there means "no reminders")."""

    KEEP = "keep"


KEEP = Keep.KEEP


def change_settings(
    db: Session,
    *,
    actor: Actor,
    time_zone: str | None = None,
    reminder_hours: int | Keep | None = KEEP,
    language: str | None = None,
) -> Actor:
    """Change the given settings of the actor's account (None, or KEEP for the reminders: as it
    is); InvalidInput naming every wrong one, with nothing saved."""
    problems: list[FieldProblem] = []
    changes: dict[str, Any] = {}
    if time_zone is not None:
        problems += check_time_zone(time_zone)
        changes["time_zone"] = time_zone
    if reminder_hours is not KEEP:
        problems += check_reminder_hours(reminder_hours)
        changes["reminder_hours_before"] = reminder_hours
    if language is not None:
        problems += check_language(language)
        changes["language"] = language
    if problems:
        raise InvalidInput(problems)
    user = db.get(User, (actor.clinic_id, actor.user_id))
    if user is None:
        raise NotFound("account")
    for column, value in changes.items():
        setattr(user, column, value)
    db.commit()
    return replace(actor, **changes)
