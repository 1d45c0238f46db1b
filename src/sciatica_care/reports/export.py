"""The client's data export: everything about them as one JSON document, and CSV files a
person can read.

The export lives in two modules, re-exported here so that ``sciatica_care.reports.export``
keeps offering every name it always has:

- :mod:`sciatica_care.reports.client_export`: the records of one client's export (the plain
  dataclasses the services fill from database rows) and the complete JSON export, with times in
  ISO 8601 (UTC).
- :mod:`sciatica_care.reports.csv_sheets`: the CSV sheets a person can read (diary, sessions,
  outcomes) in their time zone and in words, the formula guard that makes every cell safe to
  open in a spreadsheet (OWASP, CSV injection), the README.txt explaining every column, and the
  zip that holds them.
"""

from __future__ import annotations

from sciatica_care.reports.client_export import (
    FORMAT,
    FORMAT_VERSION,
    AccountExport,
    AssessmentExport,
    AuditExport,
    BookingExport,
    ClientExport,
    ConsentExport,
    DiaryExport,
    GlobalRatingExport,
    PsfsActivityExport,
    PsfsExport,
    RevisionExport,
    SbiExport,
    SeriesExport,
    SessionNoteExport,
    WaitlistExport,
    export_document,
    export_json,
    iso,
    revision_export,
)
from sciatica_care.reports.csv_sheets import (
    BOOKINGS_FILENAME,
    COLUMNS_FILE,
    DIARY_FILENAME,
    FORMULA_STARTS,
    LIST_SEPARATOR,
    OUTCOMES_FILENAME,
    READABLE_SEPARATOR,
    README_FILENAME,
    SESSION_NOTE_FIELDS,
    SESSIONS_FILENAME,
    Readable,
    bookings_csv,
    column_keys,
    csv_zip,
    diary_csv,
    headers,
    outcomes_csv,
    readme_text,
    safe_cell,
    sessions_csv,
)

__all__ = [
    "BOOKINGS_FILENAME",
    "COLUMNS_FILE",
    "DIARY_FILENAME",
    "FORMAT",
    "FORMAT_VERSION",
    "FORMULA_STARTS",
    "LIST_SEPARATOR",
    "OUTCOMES_FILENAME",
    "READABLE_SEPARATOR",
    "README_FILENAME",
    "SESSIONS_FILENAME",
    "SESSION_NOTE_FIELDS",
    "AccountExport",
    "AssessmentExport",
    "AuditExport",
    "BookingExport",
    "ClientExport",
    "ConsentExport",
    "DiaryExport",
    "GlobalRatingExport",
    "PsfsActivityExport",
    "PsfsExport",
    "Readable",
    "RevisionExport",
    "SbiExport",
    "SeriesExport",
    "SessionNoteExport",
    "WaitlistExport",
    "bookings_csv",
    "column_keys",
    "csv_zip",
    "diary_csv",
    "export_document",
    "export_json",
    "headers",
    "iso",
    "outcomes_csv",
    "readme_text",
    "revision_export",
    "safe_cell",
    "sessions_csv",
]
