"""The client's complete export: everything about them as one JSON document.

The builders are pure: the services map database rows to the plain dataclasses below (the same
records feed the readable CSV sheets of :mod:`sciatica_care.reports.csv_sheets`) and get back a
JSON-ready dict or its text. The JSON export is complete, with times in ISO 8601 (UTC).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Any

from sciatica_care.domain.session_notes import NoteRevision
from sciatica_care.domain.time_zones import local_time

FORMAT = "sciatica-care-export"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class AccountExport:
    user_id: str
    email: str
    display_name: str
    role: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AssessmentExport:
    id: str
    created_at: datetime
    answers: Mapping[str, Any]
    result: Mapping[str, Any]
    knowledge_version: str


@dataclass(frozen=True, slots=True)
class DiaryExport:
    id: str
    recorded_at: datetime
    leg_pain: int
    back_pain: int
    areas: Sequence[str] = ()
    stretches: Sequence[str] = ()
    heat: bool = False
    cold: bool = False
    massage: Sequence[str] = ()
    walk_minutes: int | None = None
    medicine: bool = False
    sleep_quality: int | None = None
    note: str = ""
    soreness_48h: bool = False
    #: The safety re-check asked with this check-in: when, the questions answered yes, and the
    #: assessment a yes stored.
    safety_checked_at: datetime | None = None
    safety_yes: Sequence[str] = ()
    safety_assessment_id: str | None = None


@dataclass(frozen=True, slots=True)
class SbiExport:
    week_of: date
    items: Mapping[str, int]
    total: int


@dataclass(frozen=True, slots=True)
class PsfsActivityExport:
    activity: str
    score: int


@dataclass(frozen=True, slots=True)
class PsfsExport:
    """One Patient-Specific Functional Scale: the activities (0 unable - 10 as before) and
    their mean."""

    answered_on: date
    activities: Sequence[PsfsActivityExport]
    mean: float


@dataclass(frozen=True, slots=True)
class GlobalRatingExport:
    """One global rating of change: -3 (much worse) to +3 (much better), and its words."""

    answered_on: date
    rating: int
    label: str


@dataclass(frozen=True, slots=True)
class RevisionExport:
    version: int
    kind: str
    changed_at: datetime
    changed_by: str
    reason: str | None
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class SessionNoteExport:
    """A session note and all its revisions, oldest first (the last one is current)."""

    id: str
    therapist_id: str
    therapist_name: str
    revisions: Sequence[RevisionExport]


@dataclass(frozen=True, slots=True)
class ConsentExport:
    therapist_id: str
    therapist_name: str
    scopes: Sequence[str]
    granted_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None


@dataclass(frozen=True, slots=True)
class AuditExport:
    at: datetime
    actor_name: str
    actor_role: str
    action: str
    record_type: str
    record_id: str | None
    route: str


@dataclass(frozen=True, slots=True)
class BookingExport:
    """One booking with a therapist (times UTC; ``time_zone`` is the therapist's)."""

    id: str
    therapist_id: str
    therapist_name: str
    starts_at: datetime
    ends_at: datetime
    length_minutes: int
    time_zone: str
    status: str
    series_id: str | None
    created_at: datetime
    created_by: str
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    proposed_starts_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SeriesExport:
    """A recurring series: every ``every_weeks`` weeks at ``local_time``, ``count`` times."""

    id: str
    therapist_id: str
    first_starts_at: datetime
    local_time: str
    time_zone: str
    every_weeks: int
    count: int
    length_minutes: int
    created_at: datetime
    cancelled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WaitlistExport:
    """A request to be told when an earlier time frees up."""

    id: str
    therapist_id: str
    length_minutes: int
    status: str
    created_at: datetime
    earlier_than: datetime | None = None
    offered_booking_id: str | None = None
    offer_expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ClientExport:
    """Everything about one client."""

    generated_at: datetime
    account: AccountExport
    assessments: Sequence[AssessmentExport] = ()
    diary: Sequence[DiaryExport] = ()
    sbi: Sequence[SbiExport] = ()
    psfs: Sequence[PsfsExport] = ()
    global_ratings: Sequence[GlobalRatingExport] = ()
    session_notes: Sequence[SessionNoteExport] = ()
    sharing: Sequence[ConsentExport] = ()
    audit: Sequence[AuditExport] = ()
    bookings: Sequence[BookingExport] = ()
    booking_series: Sequence[SeriesExport] = ()
    waitlist: Sequence[WaitlistExport] = ()


def revision_export(revision: NoteRevision) -> RevisionExport:
    """A note revision of the domain, as exported."""
    return RevisionExport(
        version=revision.version,
        kind=revision.kind,
        changed_at=revision.changed_at,
        changed_by=revision.changed_by,
        reason=revision.reason,
        fields=revision.fields.model_dump(mode="json"),
    )


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601; datetimes in UTC (a naive datetime is refused: its zone is unknown)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("export times must be timezone-aware")
        return local_time(value, UTC).isoformat()
    return value.isoformat()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return iso(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def export_document(data: ClientExport) -> dict[str, Any]:
    """The JSON export as a dict of plain JSON values (strings, numbers, lists, dicts)."""
    body = _plain(data)
    return {"format": FORMAT, "format_version": FORMAT_VERSION, **body}


def export_json(data: ClientExport) -> str:
    """The JSON export as text (UTF-8 safe, indented for people who open it)."""
    return json.dumps(export_document(data), ensure_ascii=False, indent=2, sort_keys=False)
