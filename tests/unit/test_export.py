"""The client's export: one JSON document with everything, and CSV files a person can read
(local times in their zone, labels in words, a README explaining every column), safe to open in
a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sciatica_care.domain.session_notes import revise, write_note
from sciatica_care.reports.export import (
    AccountExport,
    AssessmentExport,
    AuditExport,
    ClientExport,
    ConsentExport,
    DiaryExport,
    GlobalRatingExport,
    PsfsActivityExport,
    PsfsExport,
    Readable,
    SbiExport,
    SessionNoteExport,
    column_keys,
    csv_zip,
    diary_csv,
    export_document,
    export_json,
    headers,
    outcomes_csv,
    readme_text,
    revision_export,
    safe_cell,
    sessions_csv,
)

WRITTEN = datetime(2025, 3, 3, 17, 0, tzinfo=UTC)
THERAPIST = "therapist-tess"
LONDON = Readable(
    "Europe/London", {"knee_to_chest": "Knee to chest", "nerve_glide": "Sciatic nerve glide"}
)
SEOUL = Readable("Asia/Seoul")


def rows(text: str, name: str = "diary.csv") -> list[dict[str, str]]:
    """The rows of a readable CSV file, keyed by column key (the headers are words)."""
    reader = csv.reader(io.StringIO(text))
    next(reader)
    return [dict(zip(column_keys(name), row, strict=True)) for row in reader]


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


def test_json_times_are_written_in_utc_iso_8601() -> None:
    paris = timezone(timedelta(hours=1))
    entry = diary_entry(recorded_at=datetime(2025, 3, 4, 9, 30, tzinfo=paris))
    data = ClientExport(generated_at=WRITTEN, account=an_export().account, diary=[entry])
    assert export_document(data)["diary"][0]["recorded_at"] == "2025-03-04T08:30:00+00:00"


def test_csv_times_are_local_times_in_the_persons_zone_named_in_the_header() -> None:
    summer = diary_entry(recorded_at=datetime(2025, 7, 1, 23, 30, tzinfo=UTC))
    [row] = rows(diary_csv([summer], LONDON))
    assert row["recorded_at"] == "2025-07-02 00:30"  # British Summer Time
    [row] = rows(diary_csv([summer], SEOUL))
    assert row["recorded_at"] == "2025-07-02 08:30"
    assert headers("diary.csv", "Asia/Seoul")[0] == "Checked in at (Asia/Seoul)"
    [session] = rows(sessions_csv([a_note()], SEOUL), "sessions.csv")
    assert (
        session["session_at"] == "2025-03-04 02:00" and session["written_at"] == "2025-03-04 02:00"
    )


def test_a_naive_time_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        diary_csv([diary_entry(recorded_at=datetime(2025, 3, 4, 8, 0))])


def test_the_diary_csv_has_a_header_in_words_and_one_row_per_entry_oldest_first() -> None:
    later = diary_entry(id="d2", recorded_at=datetime(2025, 3, 5, 8, 0, tzinfo=UTC), note="")
    text = diary_csv([later, diary_entry()], LONDON)
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header) == headers("diary.csv", "Europe/London")
    assert header[:3] == ["Checked in at (Europe/London)", "Leg pain (0-10)", "Back pain (0-10)"]
    table = rows(text)
    assert [r["id"] for r in table] == ["d1", "d2"]
    assert table[0]["walk_minutes"] == ""


def test_the_diary_csv_says_labels_in_words_not_ids() -> None:
    entry = diary_entry(
        areas=["buttock", "calf_back"],
        soreness_48h=True,
        safety_yes=["calf_swelling"],
        safety_checked_at=datetime(2025, 3, 4, 8, 5, tzinfo=UTC),
    )
    [row] = rows(diary_csv([entry], LONDON))
    assert row["stretches"] == "Knee to chest; Sciatic nerve glide"
    assert row["areas"] == "Buttock; Back of the calf"
    assert row["massage"] == "Swedish massage"
    assert row["heat"] == "yes" and row["cold"] == "no" and row["soreness_48h"] == "yes"
    assert "calf_swelling" not in row["safety_yes"] and "calf" in row["safety_yes"].lower()
    assert row["safety_checked_at"] == "2025-03-04 08:05"


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
        (-2, "-2"),
        (4.5, "4.5"),
        (["a", "b"], "a;b"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_prefixed_with_a_quote(
    value: object, cell: str
) -> None:
    assert safe_cell(value) == cell


def test_free_text_survives_a_csv_round_trip_with_quotes_commas_and_new_lines() -> None:
    tricky = 'He said "ouch", then\nsat down; later -- fine, @home'
    [row] = rows(diary_csv([diary_entry(note=tricky)], LONDON))
    assert row["note"] == tricky
    [row] = rows(diary_csv([diary_entry(note="=1+1")]))
    assert row["note"] == "'=1+1"


def test_the_sessions_csv_shows_the_current_version_of_each_note_in_words() -> None:
    text = sessions_csv([a_note()], LONDON)
    assert tuple(next(csv.reader(io.StringIO(text)))) == headers("sessions.csv", "Europe/London")
    [row] = rows(text, "sessions.csv")
    assert row["therapist"] == "Tess Therapist"
    assert row["session_at"] == "2025-03-03 17:00"
    assert row["techniques"] == "Myofascial release; Swedish massage"
    assert row["areas_worked"] == "Buttock (left leg); Lower back"
    assert row["pressure"] == "Medium"
    assert row["leg_pain_before"] == "6" and row["leg_pain_after"] == "4"
    assert row["back_pain_after"] == ""
    assert row["plan"] == "Weekly, 4 weeks"
    assert row["subjective"] == '\'=HYPERLINK("http://evil")'
    assert row["version"] == "2" and row["amendments"] == "1"
    assert row["written_at"] == "2025-03-03 17:00"
    assert row["last_changed_at"] == "2025-03-05 17:00"


def test_the_outcomes_csv_holds_every_questionnaire_in_words_oldest_first() -> None:
    text = outcomes_csv(
        [SbiExport(date(2025, 3, 3), {"leg_pain": 3, "weakness": 0}, 9)],
        [
            PsfsExport(
                date(2025, 3, 4),
                [PsfsActivityExport("Sitting at work", 3), PsfsActivityExport("=cmd", 6)],
                4.5,
            )
        ],
        [GlobalRatingExport(date(2025, 3, 1), -2, "worse")],
        LONDON,
    )
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["Questionnaire", "Day", "Score"]
    rating, sbi, psfs = rows(text, "outcomes.csv")
    assert rating["measure"].startswith("Overall change")
    assert (rating["day"], rating["score"], rating["answer"]) == ("2025-03-01", "-2", "worse")
    assert sbi["measure"].startswith("Sciatica Bothersomeness Index") and sbi["score"] == "9"
    assert sbi["details"] == "Leg pain: 3; Weakness in the leg or foot: 0"
    assert psfs["score"] == "4.5" and "higher is better" in psfs["scale"]
    assert psfs["details"] == "Sitting at work: 3;' =cmd: 6"


def test_the_readme_explains_every_column_of_every_file() -> None:
    text = readme_text(SEOUL, generated_at=WRITTEN)
    assert "Asia/Seoul" in text and "Made 2025-03-04 02:00 (Asia/Seoul)" in text
    for name in ("diary.csv", "sessions.csv", "outcomes.csv"):
        assert name in text
        for header in headers(name, "Asia/Seoul"):
            assert f"- {header}: " in text, header


def test_the_zip_holds_the_files_as_utf8() -> None:
    data = csv_zip(
        {"README.txt": "Read me", "outcomes.csv": "Questionnaire\nHwang Min-jun 황민준\n"}
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["README.txt", "outcomes.csv"]
        assert "황민준" in archive.read("outcomes.csv").decode("utf-8")


def test_empty_exports_still_have_their_header() -> None:
    assert rows(diary_csv([], LONDON)) == []
    assert diary_csv([], LONDON).splitlines() == [",".join(headers("diary.csv", "Europe/London"))]
    assert len(sessions_csv([], LONDON).splitlines()) == 1
    assert len(outcomes_csv([], [], [], LONDON).splitlines()) == 1
