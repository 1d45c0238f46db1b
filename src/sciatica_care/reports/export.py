"""The client's data export: everything about them as one JSON document, and CSV files.

The builders are pure: the services map database rows to the plain dataclasses below and get
back a JSON-ready dict or CSV text. Times are written in ISO 8601 (UTC). CSV files have a
header row, one row per entry, a stable column order, lists joined with ``;``, and are safe to
open in a spreadsheet: a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) is prefixed with a single quote so it is never run as a formula (OWASP, CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Any

from sciatica_care.domain.session_notes import NoteRevision
from sciatica_care.domain.time_zones import local_time

FORMAT = "sciatica-care-export"
FORMAT_VERSION = 1
LIST_SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a new cell inside ours: a ";" (the list separator, and the
# field separator of CSV in many locales) or a line break.
_CELL_BREAKS = re.compile(r"([;\r\n])")


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


def safe_cell(value: Any) -> str:
    """One CSV cell: None is empty, booleans true/false, lists joined with ``;``, and text
    that a spreadsheet would run as a formula is prefixed with a single quote: at the start of
    the cell, after leading spaces, and after a ``;`` or a line break inside it."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime | date):
        text = iso(value) or ""
    elif isinstance(value, list | tuple):
        text = LIST_SEPARATOR.join(str(v) for v in value)
    else:
        text = str(value)
    parts = _CELL_BREAKS.split(text)  # text and the breaks between, alternating
    return "".join(part if n % 2 else _defused(part) for n, part in enumerate(parts))


def _defused(part: str) -> str:
    """A quote before a part that a spreadsheet would run as a formula, also after spaces."""
    return f"'{part}" if part.lstrip(" ").startswith(FORMULA_STARTS) else part


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


DIARY_COLUMNS: tuple[str, ...] = (
    "id",
    "recorded_at",
    "leg_pain",
    "back_pain",
    "areas",
    "stretches",
    "heat",
    "cold",
    "massage",
    "walk_minutes",
    "medicine",
    "sleep_quality",
    "note",
    "soreness_48h",
    "safety_checked_at",
    "safety_yes",
    "safety_assessment_id",
)


def diary_csv(entries: Iterable[DiaryExport]) -> str:
    """The diary as CSV, one row per check-in, oldest first."""
    ordered = sorted(entries, key=lambda e: (e.recorded_at, e.id))
    return _csv(DIARY_COLUMNS, ([getattr(e, c) for c in DIARY_COLUMNS] for e in ordered))


#: Session columns: the note's identity, then the current revision's fields in this order.
SESSION_NOTE_FIELDS: tuple[str, ...] = (
    "session_at",
    "techniques",
    "areas_worked",
    "pressure",
    "duration_minutes",
    "leg_pain_before",
    "leg_pain_after",
    "back_pain_before",
    "back_pain_after",
    "reactions",
    "reactions_note",
    "home_care",
    "home_care_note",
    "subjective",
    "objective",
    "assessment",
    "plan",
)
SESSION_COLUMNS: tuple[str, ...] = (
    "id",
    "therapist",
    *SESSION_NOTE_FIELDS,
    "version",
    "written_at",
    "last_changed_at",
    "amendments",
)


def _area(area: Any) -> str:
    if isinstance(area, Mapping):
        side = area.get("side")
        return f"{area['region']}:{side}" if side else str(area["region"])
    return str(area)


def _session_row(note: SessionNoteExport) -> list[Any]:
    first, latest = note.revisions[0], note.revisions[-1]
    values = dict(latest.fields)
    values["areas_worked"] = [_area(a) for a in values.get("areas_worked", [])]
    if isinstance(values.get("session_at"), str):
        values["session_at"] = datetime.fromisoformat(values["session_at"])
    amendments = sum(1 for r in note.revisions if r.kind == "amendment")
    return [
        note.id,
        note.therapist_name,
        *(values.get(name) for name in SESSION_NOTE_FIELDS),
        latest.version,
        first.changed_at,
        latest.changed_at,
        amendments,
    ]


def _session_order(row: list[Any]) -> tuple[str, str]:
    at = row[SESSION_COLUMNS.index("session_at")]
    return (iso(at) if isinstance(at, datetime) else "") or "", str(row[0])


def sessions_csv(notes: Iterable[SessionNoteExport]) -> str:
    """Session notes as CSV, one row per session (its current version), oldest first.
    The full revision history is in the JSON export."""
    rows = sorted((_session_row(n) for n in notes if n.revisions), key=_session_order)
    return _csv(SESSION_COLUMNS, rows)
