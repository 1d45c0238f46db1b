"""The tables. Portable types only (SQLite and PostgreSQL).

Every tenant-owned table carries ``clinic_id`` as the first column of its primary key, its
foreign keys and its indexes, so that sharding by clinic (Citus) later is a deployment change.
Ids are random 32-character hex strings made by the application: portable, unguessable, and
usable inside composite keys on SQLite (which only auto-increments a lone integer key).
"""

from sciatica_care.db.tables.accounts import (
    AccountToken,
    ApiToken,
    Clinic,
    LoginAttempt,
    OutboxMessage,
    Session,
    User,
)
from sciatica_care.db.tables.base import (
    DEFAULT_CLINIC_ID,
    NAMING_CONVENTION,
    Base,
    UTCDateTime,
    fk_to_user,
    new_id,
    new_ids,
    new_ordered_id,
    new_ordered_ids,
    utcnow,
)
from sciatica_care.db.tables.booking import (
    AvailabilityException,
    Booking,
    BookingSeries,
    BookingSettings,
    CalendarFeed,
    WaitlistEntry,
    WeeklyHours,
)
from sciatica_care.db.tables.records import (
    AssessmentRecord,
    AuditEvent,
    DiaryEntry,
    KeptTrend,
    OutcomeMeasure,
)
from sciatica_care.db.tables.reports import ClinicianLink
from sciatica_care.db.tables.workspace import (
    SessionNote,
    SessionNoteRevision,
    Share,
    ShareInvitation,
    TherapistProfile,
)

__all__ = [
    "DEFAULT_CLINIC_ID",
    "NAMING_CONVENTION",
    "AccountToken",
    "ApiToken",
    "AssessmentRecord",
    "AuditEvent",
    "AvailabilityException",
    "Base",
    "Booking",
    "BookingSeries",
    "BookingSettings",
    "CalendarFeed",
    "Clinic",
    "ClinicianLink",
    "DiaryEntry",
    "KeptTrend",
    "LoginAttempt",
    "OutboxMessage",
    "OutcomeMeasure",
    "Session",
    "SessionNote",
    "SessionNoteRevision",
    "Share",
    "ShareInvitation",
    "TherapistProfile",
    "UTCDateTime",
    "User",
    "WaitlistEntry",
    "WeeklyHours",
    "fk_to_user",
    "new_id",
    "new_ids",
    "new_ordered_id",
    "new_ordered_ids",
    "utcnow",
]
