"""The command line in Korean (``--lang ko`` before or after the command): the result's words
and clinical texts in Korean with the emergency first, JSON with Korean texts and English keys,
errors naming the field in Korean, and English unchanged by default."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from sciatica_care.cli import app
from tests.conftest import baseline

runner = CliRunner()
NOT_REVIEWED = "아직 한국 임상의의 검토를 받지 않았습니다"


def run(*args: str, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=input)


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_assess_in_korean_says_the_emergency_first_with_119(tmp_path: Path) -> None:
    source = write(tmp_path, baseline(red_flags=["saddle_numbness"]))
    result = run("assess", "--input", source, "--lang", "ko")
    assert result.exit_code == 0, result.output
    out = result.stdout
    lines = out.splitlines()
    assert lines[1] == "!! 응급: 지금 바로 응급실로 가세요."
    assert "119에 전화하세요" in out
    assert out.index("응급실") < out.index("이 답변에 대해")
    assert NOT_REVIEWED in out
    for english in ("EMERGENCY", "Why", "What to say", "About this answer", "Knowledge base"):
        assert english not in out, english


def test_a_calm_result_in_korean_has_its_plan_and_wide_lines_fit(tmp_path: Path) -> None:
    source = write(tmp_path, baseline(areas=["buttock"]))
    result = run("--lang", "ko", "assess", "-i", source)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "마사지 계획" in out and "스웨디시 마사지" in out and "출처" in out
    assert "Your massage plan" not in out and "Self-care" not in out
    # A Hangul letter takes two columns: no line is wider than the 78 columns asked for.
    from sciatica_care.reports.text import columns

    assert max(columns(line) for line in out.splitlines()) <= 78


def test_json_in_korean_keeps_english_keys_and_readable_korean(tmp_path: Path) -> None:
    source = write(tmp_path, baseline(red_flags=["saddle_numbness"]))
    result = run("assess", "-i", source, "-f", "json", "--lang", "ko")
    assert result.exit_code == 0, result.output
    assert "지금 바로 응급실로 가세요." in result.stdout  # not \\u escapes
    data = json.loads(result.stdout)
    assert data["triage"]["level"] == "emergency"
    assert data["triage"]["first_action"] == "지금 바로 응급실로 가세요."


def test_an_error_in_korean_names_the_field_and_keeps_its_key(tmp_path: Path) -> None:
    data = baseline()
    data["age"] = 5
    result = run("assess", "-i", write(tmp_path, data), "--lang", "ko")
    assert result.exit_code == 2
    assert result.stdout == ""
    line = result.stderr.strip()
    assert line.startswith("error: 나이 (age): 12 이상이어야 합니다")
    assert "must be" not in line
    data["age"] = "forty"  # a value of the wrong kind: what it must be, in Korean too
    result = run("assess", "-i", write(tmp_path, data), "--lang", "ko")
    assert result.stderr.strip() == "error: 나이 (age): 정수여야 합니다 (입력값 'forty')"
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = run("assess", "-i", str(broken), "--lang", "ko")
    assert result.exit_code == 2 and "올바른 JSON이 아닙니다" in result.stderr


def test_techniques_in_korean(tmp_path: Path) -> None:
    listed = run("techniques", "--lang", "ko")
    assert listed.exit_code == 0, listed.output
    assert "스웨디시 마사지" in listed.stdout and "근거" in listed.stdout
    shown = run("techniques", "swedish", "--lang", "ko")
    assert "방법:" in shown.stdout and "How:" not in shown.stdout
    unknown = run("techniques", "reiki", "--lang", "ko")
    assert unknown.exit_code == 2 and "알 수 없는 기법" in unknown.stderr


def test_english_stays_the_default_after_a_korean_run(tmp_path: Path) -> None:
    source = write(tmp_path, baseline(red_flags=["saddle_numbness"]))
    run("assess", "-i", source, "--lang", "ko")
    result = run("assess", "-i", source)
    assert result.stdout.splitlines()[1].startswith("!! EMERGENCY: ")
    assert NOT_REVIEWED not in result.stdout
    bad = run("--lang", "fr", "techniques")
    assert bad.exit_code == 2


def test_the_environment_chooses_korean_and_english_loads_no_babel(tmp_path: Path) -> None:
    source = write(tmp_path, baseline())
    code = (
        "import sys; from sciatica_care.cli import app; "
        f"app(['assess', '-i', {source!r}], standalone_mode=False); "
        "print('BABEL' if 'babel' in sys.modules else 'NO-BABEL')"
    )
    english = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert english.stdout.rstrip().endswith("NO-BABEL")
    korean = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "SCIATICA_CARE_LANG": "ko"},
    )
    assert "마사지 계획" in korean.stdout


def test_the_questions_are_asked_in_korean_and_take_korean_yes_and_no() -> None:
    from tests.unit.test_cli import NO_RED_FLAGS, PREFERENCES, UP_TO_SAFETY, answers

    korean_no = ["아니요"] * len(NO_RED_FLAGS)
    result = run("assess", "--lang", "ko", input=answers(*UP_TO_SAFETY, *korean_no, *PREFERENCES))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "나이가 몇 살인가요?" in out and "안전 질문." in out
    assert "How old are you" not in out and "Please answer y or n." not in out
    assert out.index("안전 질문.") < out.index("마사지 계획")
    emergency = run("assess", "--lang", "ko", input=answers(*UP_TO_SAFETY, "예"))
    shown = emergency.stdout[emergency.stdout.index("질문을 여기서 멈춥니다") :]
    assert "응급" in shown and "마사지 계획" not in shown
