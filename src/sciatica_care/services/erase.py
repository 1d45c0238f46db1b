"""Erase my account: after a confirmation (the password and a typed phrase), delete the
account and every row of health data about the person — assessments, diary, weekly scores,
the session notes therapists wrote about them, their shares, invitations, sessions and tokens,
their bookings, series, waitlist entries and calendar feeds.

The audit log keeps the fact of the deletion (who, when; no health data), as it keeps every
other event: it holds ids and route names only. The deletion is explicit, table by table, in
one transaction (not left to ON DELETE CASCADE alone), so it is the same on every database.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sciatica_care.db.record_versions import ACCOUNT_ERASED
from sciatica_care.db.tables import (
    ApiToken,
    AssessmentRecord,
    AvailabilityException,
    Booking,
    BookingSeries,
    BookingSettings,
    CalendarFeed,
    ClinicianLink,
    DiaryEntry,
    KeptTrend,
    LoginAttempt,
    OutcomeMeasure,
    SessionNote,
    SessionNoteRevision,
    Share,
    ShareInvitation,
    TherapistProfile,
    User,
    WaitlistEntry,
    WeeklyHours,
)
from sciatica_care.db.tables import Session as SessionRow
from sciatica_care.services import held
from sciatica_care.services.access import may_access, require_client_access
from sciatica_care.services.accounts import password_hash
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import FieldProblem, Forbidden, InvalidInput, NotFound

ERASE_PHRASE = "delete my account"

log = logging.getLogger(__name__)


def erase_account(db: Session, *, actor: Actor, password: str, confirm: str) -> None:
    """Delete the actor's account and health data. InvalidInput names ``password`` (wrong) or
    ``confirm`` (not the phrase ``delete my account``). The actor's sessions end at once."""
    user = db.get(User, (actor.clinic_id, actor.user_id))
    if user is None:
        raise NotFound("account")
    if not may_access(
        db,
        actor=actor,
        client_id=user.id,
        clinic_id=user.clinic_id,
        action="write",
        resource="erase",
    ):
        raise Forbidden("this account cannot be erased here; ask another admin")
    problems = []
    if " ".join(confirm.lower().split()) != ERASE_PHRASE:
        problems.append(FieldProblem("confirm", f"type the words '{ERASE_PHRASE}' to confirm"))
    if not password_hash.verify(password[:1024], user.password_hash):
        problems.append(FieldProblem("password", "is not your password"))
    if problems:
        raise InvalidInput(problems)
    require_client_access(
        db,
        actor=actor,
        client_id=user.id,
        action="erase",
        record_type="account",
        record_id=user.id,
    )
    clinic_id, user_id = user.clinic_id, user.id
    note_ids = select(SessionNote.id).where(
        SessionNote.clinic_id == clinic_id, SessionNote.client_id == user_id
    )
    db.execute(
        delete(SessionNoteRevision).where(
            SessionNoteRevision.clinic_id == clinic_id, SessionNoteRevision.note_id.in_(note_ids)
        )
    )
    db.execute(
        delete(SessionNote).where(
            SessionNote.clinic_id == clinic_id, SessionNote.client_id == user_id
        )
    )
    db.execute(
        delete(Share).where(
            Share.clinic_id == clinic_id,
            (Share.client_id == user_id) | (Share.therapist_id == user_id),
        )
    )
    for model in (ShareInvitation,):
        db.execute(delete(model).where(model.clinic_id == clinic_id, model.therapist_id == user_id))
    _erase_bookings(db, clinic_id, user_id)
    for owned in (
        TherapistProfile,
        AssessmentRecord,
        DiaryEntry,
        KeptTrend,
        OutcomeMeasure,
        ApiToken,
        ClinicianLink,
        SessionRow,
        CalendarFeed,
    ):
        db.execute(
            delete(owned)
            .where(owned.clinic_id == clinic_id, owned.user_id == user_id)
            .execution_options(**{ACCOUNT_ERASED: True})
        )
    db.execute(
        delete(LoginAttempt).where(
            LoginAttempt.clinic_id == clinic_id, LoginAttempt.email == user.email
        )
    )
    db.execute(delete(User).where(User.clinic_id == clinic_id, User.id == user_id))
    db.commit()
    # What views kept in memory from the records (validated assessments, read-outs, charts)
    # goes too: every store is emptied, everyone's (made again on the next view).
    held.forget_all()
    log.info("account %s erased", user_id)


def _erase_bookings(db: Session, clinic_id: str, user_id: str) -> None:
    """The person's bookings, series and waitlist entries, on either side (as the client, or
    as the therapist: their clients' bookings with them go too), and a therapist's hours and
    booking rules. Calendar feeds go with the person's other owned rows."""
    for model in (Booking, BookingSeries, WaitlistEntry):
        db.execute(
            delete(model).where(
                model.clinic_id == clinic_id,
                (model.client_id == user_id) | (model.therapist_id == user_id),
            )
        )
    for owned in (WeeklyHours, AvailabilityException, BookingSettings):
        db.execute(delete(owned).where(owned.clinic_id == clinic_id, owned.therapist_id == user_id))
