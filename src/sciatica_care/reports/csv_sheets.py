"""The client's export as CSV sheets a person can read: the diary, the session notes and the
questionnaire scores, and a README.txt for the zip that holds them.

The builders are pure: they take the records of :mod:`sciatica_care.reports.client_export` and
give back CSV text, the README or a zip. The CSV files are for people: a header row in words
(the time columns name the person's time zone), local times ("YYYY-MM-DD HH:MM"), vocabulary
labels instead of ids, several values joined with "; ", and a README.txt explaining every column
(both from ``data/export_columns.yaml``). Every cell is safe to open in a spreadsheet: a part
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, at the start of the
cell, after spaces, after a ``;``, a line break or a tab inside it, is prefixed with a single
quote so it is never run as a formula (OWASP, CSV injection).

Language: the sheets, their header rows and the README stay in English whatever language the
person reads the site in. A header row is the interface of a CSV file: spreadsheets' formulas,
scripts and re-imports (another clinic's system, a later export compared with an earlier one)
find their columns by it, so it must not change shape with a language setting; one stable
export is also what a person hands on to a clinician or another service anywhere. The pages,
the doctor's report and the emails are where the person's language is used.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sciatica_care.domain.outcomes import SBI_ITEMS
from sciatica_care.domain.safety_questions import QUESTION_TEXT
from sciatica_care.domain.session_notes import REACTION_LABELS
from sciatica_care.domain.time_zones import DEFAULT_TIME_ZONE, local_time
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.domain.vocabulary import label
from sciatica_care.reports.client_export import (
    BookingExport,
    DiaryExport,
    GlobalRatingExport,
    PsfsExport,
    SbiExport,
    SessionNoteExport,
    iso,
)

# --- The formula guard -----------------------------------------------------------------------

LIST_SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a new cell inside ours: a ";" (the list separator, and the
# field separator of CSV in many locales) or a line break.
_CELL_BREAKS = re.compile(r"([;\r\n])")
_BLANKS = " \u00a0"
# A formula after a tab (and blanks) inside a part; a tab at the very start is caught as a start.
_AFTER_TAB = re.compile(r"(?<=.)(\t[ \u00a0]*)(?=[=+\-@])")


def safe_cell(value: Any) -> str:
    """One CSV cell: None is empty, booleans true/false, lists joined with ``;``, and text
    that a spreadsheet would run as a formula is prefixed with a single quote: at the start of
    the cell, after leading spaces, and after a ``;``, a line break or a tab inside it."""
    if value is None:
        text = ""
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number is never a formula (and -2 stays a number)
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
    """A quote before a part that a spreadsheet would run as a formula, also after spaces (and
    no-break spaces), and after a tab inside it (a tab starts a new cell when pasted)."""
    inner = _AFTER_TAB.sub(r"\1'", part)
    return f"'{inner}" if part.lstrip(_BLANKS).startswith(FORMULA_STARTS) else inner


# --- The readable CSV files ------------------------------------------------------------------

COLUMNS_FILE = "export_columns.yaml"
DIARY_FILENAME = "diary.csv"
SESSIONS_FILENAME = "sessions.csv"
OUTCOMES_FILENAME = "outcomes.csv"
BOOKINGS_FILENAME = "bookings.csv"
README_FILENAME = "README.txt"
#: Several values in one readable cell.
READABLE_SEPARATOR = "; "


@cache
def _columns_data() -> dict[str, Any]:
    text = (
        resources.files("sciatica_care.reports").joinpath("data", COLUMNS_FILE).read_text("utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _file(name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in _columns_data()["files"] if f["name"] == name)
    return found


def column_keys(name: str) -> tuple[str, ...]:
    """The columns of a CSV file (``diary.csv`` …) in order, by key."""
    return tuple(c["key"] for c in _file(name)["columns"])


def headers(name: str, zone_name: str) -> tuple[str, ...]:
    """The header row of a CSV file, with the person's time zone in the time columns."""
    return tuple(c["header"].format(zone=zone_name) for c in _file(name)["columns"])


@dataclass(frozen=True, slots=True)
class Readable:
    """How the CSV files are written for a person: times in their zone, stretches by name."""

    zone_name: str = DEFAULT_TIME_ZONE
    stretch_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def zone(self) -> tzinfo:
        return zone_named(self.zone_name)

    def time(self, value: datetime | None) -> str:
        """A stored (UTC) time as a local time, "YYYY-MM-DD HH:MM"; naive times are refused."""
        if value is None:
            return ""
        if value.tzinfo is None:
            raise ValueError("export times must be timezone-aware")
        return local_time(value, self.zone).strftime("%Y-%m-%d %H:%M")

    def yes_no(self, value: bool) -> str:
        data = _columns_data()
        return str(data["word_yes"] if value else data["word_no"])

    def stretches(self, ids: Iterable[str]) -> str:
        return READABLE_SEPARATOR.join(self.stretch_names.get(i, i.replace("_", " ")) for i in ids)


def _words(kind: str, ids: Iterable[str]) -> str:
    return READABLE_SEPARATOR.join(label(kind, i) for i in ids)


def _area_words(area: Any) -> str:
    if isinstance(area, Mapping):
        name = label("areas", str(area["region"]))
        side = area.get("side")
        return f"{name} ({label('side', side).lower()})" if side else name
    return label("areas", str(area))


def _diary_row(e: DiaryExport, how: Readable) -> dict[str, Any]:
    return {
        "id": e.id,
        "recorded_at": how.time(e.recorded_at),
        "leg_pain": e.leg_pain,
        "back_pain": e.back_pain,
        "areas": _words("areas", e.areas),
        "stretches": how.stretches(e.stretches),
        "heat": how.yes_no(e.heat),
        "cold": how.yes_no(e.cold),
        "massage": _words("techniques", e.massage),
        "walk_minutes": e.walk_minutes,
        "medicine": how.yes_no(e.medicine),
        "sleep_quality": e.sleep_quality,
        "note": e.note,
        "soreness_48h": how.yes_no(e.soreness_48h),
        "safety_checked_at": how.time(e.safety_checked_at),
        "safety_yes": READABLE_SEPARATOR.join(QUESTION_TEXT.get(q, q) for q in e.safety_yes),
        "safety_assessment_id": e.safety_assessment_id,
    }


def _readable_csv(name: str, how: Readable, rows: Iterable[Mapping[str, Any]]) -> str:
    keys = column_keys(name)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(name, how.zone_name))
    for row in rows:
        writer.writerow([safe_cell(row.get(k)) for k in keys])
    return out.getvalue()


def diary_csv(entries: Iterable[DiaryExport], how: Readable | None = None) -> str:
    """The diary as CSV, one row per check-in, oldest first: local times, labels in words."""
    how = how or Readable()
    ordered = sorted(entries, key=lambda e: (e.recorded_at, e.id))
    return _readable_csv(DIARY_FILENAME, how, (_diary_row(e, how) for e in ordered))


#: The fields of a note's current revision that the sessions file shows.
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


def _session_time(value: Any) -> datetime | None:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value if isinstance(value, datetime) else None


def _session_row(note: SessionNoteExport, how: Readable) -> dict[str, Any]:
    first, latest = note.revisions[0], note.revisions[-1]
    values = {name: latest.fields.get(name) for name in SESSION_NOTE_FIELDS}
    pressure = values["pressure"]
    values.update(
        session_at=how.time(_session_time(values["session_at"])),
        techniques=_words("techniques", values["techniques"] or []),
        areas_worked=READABLE_SEPARATOR.join(_area_words(a) for a in values["areas_worked"] or []),
        pressure=label("pressure_preference", str(pressure)) if pressure else None,
        reactions=READABLE_SEPARATOR.join(
            REACTION_LABELS.get(r, r) for r in values["reactions"] or []
        ),
        home_care=how.stretches(values["home_care"] or []),
    )
    return {
        **values,
        "id": note.id,
        "therapist": note.therapist_name,
        "version": latest.version,
        "written_at": how.time(first.changed_at),
        "last_changed_at": how.time(latest.changed_at),
        "amendments": sum(1 for r in note.revisions if r.kind == "amendment"),
    }


def _booking_row(b: BookingExport, how: Readable) -> dict[str, Any]:
    words: Mapping[str, str] = _columns_data()["booking_status"]
    return {
        "id": b.id,
        "starts_at": how.time(b.starts_at),
        "ends_at": how.time(b.ends_at),
        "length_minutes": b.length_minutes,
        "therapist": b.therapist_name,
        "status": words.get(b.status, b.status),
        "in_series": how.yes_no(b.series_id is not None),
        "booked_at": how.time(b.created_at),
        "cancelled_at": how.time(b.cancelled_at),
        "cancelled_by": b.cancelled_by or "",
    }


def bookings_csv(bookings: Iterable[BookingExport], how: Readable | None = None) -> str:
    """Bookings as CSV, one row each, soonest first: local times, statuses in words."""
    how = how or Readable()
    ordered = sorted(bookings, key=lambda b: (b.starts_at, b.id))
    return _readable_csv(BOOKINGS_FILENAME, how, (_booking_row(b, how) for b in ordered))


def _session_order(note: SessionNoteExport) -> tuple[datetime, str]:
    at = _session_time(note.revisions[-1].fields.get("session_at"))
    return (at or note.revisions[0].changed_at), note.id


def sessions_csv(notes: Iterable[SessionNoteExport], how: Readable | None = None) -> str:
    """Session notes as CSV, one row per session (its current version), oldest first.
    The full revision history is in the JSON export."""
    how = how or Readable()
    ordered = sorted((n for n in notes if n.revisions), key=_session_order)
    return _readable_csv(SESSIONS_FILENAME, how, (_session_row(n, how) for n in ordered))


def _details(pairs: Iterable[tuple[str, int]]) -> str:
    return READABLE_SEPARATOR.join(f"{name}: {score}" for name, score in pairs)


def outcomes_csv(
    sbi: Iterable[SbiExport],
    psfs: Iterable[PsfsExport],
    global_ratings: Iterable[GlobalRatingExport],
    how: Readable | None = None,
) -> str:
    """The questionnaires as CSV, one row per answer, oldest first (by day)."""
    how = how or Readable()
    measures = _columns_data()["measures"]
    rows: list[dict[str, Any]] = []
    for m in sbi:
        rows.append(
            {
                "measure": measures["sbi"]["name"],
                "day": m.week_of,
                "score": m.total,
                "scale": measures["sbi"]["scale"],
                "details": _details((SBI_ITEMS.get(k, k), v) for k, v in m.items.items()),
            }
        )
    for p in psfs:
        rows.append(
            {
                "measure": measures["psfs"]["name"],
                "day": p.answered_on,
                "score": round(p.mean, 1),
                "scale": measures["psfs"]["scale"],
                "details": _details((a.activity, a.score) for a in p.activities),
            }
        )
    for g in global_ratings:
        rows.append(
            {
                "measure": measures["grc"]["name"],
                "day": g.answered_on,
                "score": g.rating,
                "scale": measures["grc"]["scale"],
                "answer": g.label,
            }
        )
    rows.sort(key=lambda r: r["day"])
    return _readable_csv(OUTCOMES_FILENAME, how, rows)


def readme_text(how: Readable, *, generated_at: datetime) -> str:
    """README.txt: what the files are and what every column means."""
    data = _columns_data()
    lines = [data["title"], "=" * len(data["title"]), ""]
    lines.append(f"Made {how.time(generated_at)} ({how.zone_name}).")
    lines.append("")
    lines.extend(data["intro"].format(zone=how.zone_name).rstrip().splitlines())
    for f in data["files"]:
        lines += ["", f["name"], "-" * len(f["name"]), f["about"], ""]
        for c in f["columns"]:
            lines.append(f"- {c['header'].format(zone=how.zone_name)}: {c['about']}")
    return "\n".join(lines) + "\n"


def csv_zip(files: Mapping[str, str]) -> bytes:
    """A zip of text files (name -> text, written as UTF-8)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()
