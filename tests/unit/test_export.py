"""The client's export: one JSON document with everything, and spreadsheet-safe CSV files."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sciatica_care.domain.session_notes import revise, write_note
from sciatica_care.reports.export import (
    DIARY_COLUMNS,
    SESSION_COLUMNS,
    AccountExport,
    AssessmentExport,
    AuditExport,
    ClientExport,
    ConsentExport,
    DiaryExport,
    SbiExport,
    SessionNoteExport,
    diary_csv,
    export_document,
    export_json,
    revision_export,
    safe_cell,
    sessions_csv,
)

WRITTEN = datetime(2025, 3, 3, 17, 0, tzinfo=UTC)
THERAPIST = "therapist-tess"


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def a_note() -> SessionNoteExport:
    history = write_note(
        {
            "subjective": '=HYPERLINK("http://evil")',
            "techniques": ["myofascial_release", "swedish"],
            "areas_worked": [{"region": "buttock", "side": "left"}, {"region": "lower_back"}],
            "pressure": "medium",
            "duration_minutes": 45,
            "leg_pain_before": 6,
            "back_pain_before": 4,
            "leg_pain_after": 4,
        },
        by=THERAPIST,
        now=WRITTEN,
    )
    history = revise(
        history,
        {"plan": "Weekly, 4 weeks"},
        by=THERAPIST,
        now=WRITTEN + timedelta(days=2),
        reason="Agreed at the next visit",
    )
    return SessionNoteExport(
        id="n1",
        therapist_id=THERAPIST,
        therapist_name="Tess Therapist",
        revisions=[revision_export(r) for r in history],
    )


def diary_entry(**changes: object) -> DiaryExport:
    values: dict[str, object] = {
        "id": "d1",
        "recorded_at": datetime(2025, 3, 4, 8, 0, tzinfo=UTC),
        "leg_pain": 5,
        "back_pain": 3,
        "stretches": ["knee_to_chest", "nerve_glide"],
        "massage": ["swedish"],
        "heat": True,
        "note": "Slept badly, sore after the drive",
    }
    values.update(changes)
    return DiaryExport(**values)  # type: ignore[arg-type]


def an_export() -> ClientExport:
    return ClientExport(
        generated_at=datetime(2025, 3, 10, 9, 0, tzinfo=UTC),
        account=AccountExport("c1", "alice@example.org", "Alice", "client", WRITTEN),
        assessments=[
            AssessmentExport(
                "a1", WRITTEN, {"leg_pain": 6}, {"triage": {"level": "self_care"}}, "kb1"
            )
        ],
        diary=[diary_entry()],
        sbi=[SbiExport(date(2025, 3, 3), {"leg_pain": 3, "weakness": 0}, 9)],
        session_notes=[a_note()],
        sharing=[ConsentExport(THERAPIST, "Tess Therapist", ["diary", "notes"], WRITTEN)],
        audit=[
            AuditExport(
                WRITTEN, "Tess Therapist", "therapist", "read", "diary_entry", "d1", "GET /x"
            )
        ],
    )


def test_the_json_export_holds_every_part_of_the_record() -> None:
    document = json.loads(export_json(an_export()))
    assert document["format"] == "sciatica-care-export"
    assert document["generated_at"] == "2025-03-10T09:00:00+00:00"
    assert set(document) >= {
        "account",
        "assessments",
        "diary",
        "sbi",
        "session_notes",
        "sharing",
        "audit",
    }
    assert document["account"]["email"] == "alice@example.org"
    assert document["assessments"][0]["result"]["triage"]["level"] == "self_care"
    assert document["sbi"][0]["week_of"] == "2025-03-03"
    assert document["sharing"][0]["scopes"] == ["diary", "notes"]
    assert document["audit"][0]["route"] == "GET /x"


def test_the_json_export_keeps_every_revision_of_a_note() -> None:
    [note] = export_document(an_export())["session_notes"]
    first, amended = note["revisions"]
    assert first["kind"] == "original" and first["fields"]["plan"] == ""
    assert amended["kind"] == "amendment" and amended["reason"] == "Agreed at the next visit"
    assert amended["fields"]["plan"] == "Weekly, 4 weeks"


def test_times_are_written_in_utc_iso_8601() -> None:
    paris = timezone(timedelta(hours=1))
    entry = diary_entry(recorded_at=datetime(2025, 3, 4, 9, 30, tzinfo=paris))
    [row] = rows(diary_csv([entry]))
    assert row["recorded_at"] == "2025-03-04T08:30:00+00:00"


def test_a_naive_time_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        diary_csv([diary_entry(recorded_at=datetime(2025, 3, 4, 8, 0))])


def test_the_diary_csv_has_a_header_and_one_row_per_entry_oldest_first() -> None:
    later = diary_entry(id="d2", recorded_at=datetime(2025, 3, 5, 8, 0, tzinfo=UTC), note="")
    text = diary_csv([later, diary_entry()])
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header) == DIARY_COLUMNS
    table = rows(text)
    assert [r["id"] for r in table] == ["d1", "d2"]
    assert table[0]["stretches"] == "knee_to_chest;nerve_glide"
    assert table[0]["heat"] == "true" and table[0]["cold"] == "false"
    assert table[0]["walk_minutes"] == ""


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2 points", "'-2 points"),
        ("@cmd", "'@cmd"),
        ("\tindent", "'\tindent"),
        ("Better today", "Better today"),
        ("a = b", "a = b"),
        (None, ""),
        (3, "3"),
        (["a", "b"], "a;b"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_prefixed_with_a_quote(
    value: object, cell: str
) -> None:
    assert safe_cell(value) == cell


def test_free_text_survives_a_csv_round_trip_with_quotes_commas_and_new_lines() -> None:
    tricky = 'He said "ouch", then\nsat down; later -- fine, @home'
    [row] = rows(diary_csv([diary_entry(note=tricky)]))
    assert row["note"] == tricky
    [row] = rows(diary_csv([diary_entry(note="=1+1")]))
    assert row["note"] == "'=1+1"


def test_the_sessions_csv_shows_the_current_version_of_each_note() -> None:
    text = sessions_csv([a_note()])
    assert tuple(next(csv.reader(io.StringIO(text)))) == SESSION_COLUMNS
    [row] = rows(text)
    assert row["therapist"] == "Tess Therapist"
    assert row["session_at"] == "2025-03-03T17:00:00+00:00"
    assert row["techniques"] == "myofascial_release;swedish"
    assert row["areas_worked"] == "buttock:left;lower_back"
    assert row["leg_pain_before"] == "6" and row["leg_pain_after"] == "4"
    assert row["back_pain_after"] == ""
    assert row["plan"] == "Weekly, 4 weeks"
    assert row["subjective"] == '\'=HYPERLINK("http://evil")'
    assert row["version"] == "2" and row["amendments"] == "1"
    assert row["written_at"] == "2025-03-03T17:00:00+00:00"


def test_empty_exports_still_have_their_header() -> None:
    assert rows(diary_csv([])) == []
    assert diary_csv([]).splitlines() == [",".join(DIARY_COLUMNS)]
    assert sessions_csv([]).splitlines() == [",".join(SESSION_COLUMNS)]
