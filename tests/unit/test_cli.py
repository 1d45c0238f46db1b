"""The command line, driven as a person or a script would: answers on stdin, JSON in, text out."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from sciatica_care import __version__, assess
from sciatica_care.cli import app
from sciatica_care.domain.condition_groups import CONDITION_GROUPS
from sciatica_care.domain.vocabulary import RED_FLAGS, TECHNIQUES
from tests.conftest import baseline

runner = CliRunner()


def run(*args: str, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=input)


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# The questions in order: age, sex, pregnant, back pain, leg pain, side, areas, symptoms,
# weeks, trend, first episode, worse with, seen a clinician, (cause), then the 18 safety
# questions, conditions, pressure, goals, massage before.
UP_TO_SAFETY = ["40", "1", "n", "3", "5", "1", "2,5", "6", "6", "", "y", "1", "y", ""]
NO_RED_FLAGS = ["n"] * len(RED_FLAGS)
PREFERENCES = ["", "", "", "n"]
CALM = answers(*UP_TO_SAFETY, *NO_RED_FLAGS, *PREFERENCES)


#: The console script's entry point, as a fresh process.
MAIN = [sys.executable, "-c", "from sciatica_care.cli import main; main()"]


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps(data))
    return str(path)


def assert_one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


class TestTheInteractiveQuestionnaire:
    def test_a_calm_person_gets_a_ranked_plan_with_self_care_and_evidence(self) -> None:
        result = run("assess", input=CALM)
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert "Massage may help" in out
        assert "Your massage plan" in out
        assert "Self-care between sessions" in out
        assert "What the evidence says" in out
        assert "Knowledge base version" in out
        assert out.index("Massage may help") < out.index("Your massage plan")

    def test_the_answers_are_saved_as_an_assessment(self, tmp_path: Path) -> None:
        saved = tmp_path / "answers.json"
        result = run("assess", "--save", str(saved), input=CALM)
        assert result.exit_code == 0, result.output
        data = json.loads(saved.read_text())
        assert data["age"] == 40
        assert data["areas"] == ["buttock", "thigh_back"]
        assert data["red_flags"] == []
        assess(data)

    def test_an_emergency_answer_stops_the_questions_and_is_shown_first(self) -> None:
        result = run("assess", input=answers(*UP_TO_SAFETY, "y"))
        assert result.exit_code == 0, result.output
        out = result.stdout
        shown = out[out.index("no more questions") :]
        assert "EMERGENCY" in shown
        assert shown.index("EMERGENCY") < shown.index("Do not drive yourself")
        assert shown.index("Do not drive yourself") < shown.index("What to say")
        assert "Your massage plan" not in out
        assert "Self-care" not in out
        assert "Do any of these apply to you" not in out

    def test_an_urgent_answer_also_stops_the_questions(self) -> None:
        # The safety questions in order; the 8th is fever (urgent).
        flags = ["n"] * RED_FLAGS.index("fever") + ["y"]
        result = run("assess", input=answers(*UP_TO_SAFETY, *flags))
        assert result.exit_code == 0, result.output
        out = result.stdout
        shown = out[out.index("no more questions") :]
        assert "URGENT" in shown
        assert "Your massage plan" not in out
        assert "Do any of these apply to you" not in out

    @pytest.mark.parametrize("bad", ["abc", "200", "7", ""])
    def test_a_bad_age_is_asked_again_with_the_reason(self, bad: str) -> None:
        result = run("assess", input=answers(bad, *UP_TO_SAFETY, *NO_RED_FLAGS, *PREFERENCES))
        assert result.exit_code == 0, result.output
        assert "Please try again." in result.stdout
        assert result.stdout.count("How old are you") == 2

    def test_a_number_off_the_list_is_asked_again(self) -> None:
        script = [*UP_TO_SAFETY[:6], "2,99", *UP_TO_SAFETY[6:], *NO_RED_FLAGS, *PREFERENCES]
        result = run("assess", input=answers(*script))
        assert result.exit_code == 0, result.output
        assert "99: not on the list" in result.stdout

    def test_a_safety_question_needs_an_explicit_yes_or_no(self) -> None:
        script = [*UP_TO_SAFETY, "", *NO_RED_FLAGS, *PREFERENCES]
        result = run("assess", input=answers(*script))
        assert result.exit_code == 0, result.output
        assert "Please answer y or n." in result.stdout

    def test_first_episode_and_seen_clinician_need_an_explicit_answer(self) -> None:
        script = [*UP_TO_SAFETY[:10], "", "y", *UP_TO_SAFETY[11:], *NO_RED_FLAGS, *PREFERENCES]
        result = run("assess", input=answers(*script))
        assert result.exit_code == 0, result.output
        assert result.stdout.count("Is this your first episode of sciatica?") == 2

    def test_conditions_are_grouped_and_the_v2_ones_explained(self, tmp_path: Path) -> None:
        saved = tmp_path / "answers.json"
        conditions = CONDITION_GROUPS[0].conditions  # the medicines, numbered first
        picks = ",".join(str(n) for n in range(1, len(conditions) + 1))
        script = [*UP_TO_SAFETY, *NO_RED_FLAGS, picks, *PREFERENCES[1:]]
        result = run("assess", "--save", str(saved), input=answers(*script))
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert out.index("Medicines") < out.index("Aspirin or clopidogrel")
        assert "Antidepressants such as sertraline" in out
        assert "cancer team's follow-up" in out
        assert json.loads(saved.read_text())["conditions"] == list(conditions)

    def test_end_of_input_stops_cleanly_with_code_1(self) -> None:
        result = run("assess", input=answers("40", "1"))
        assert result.exit_code == 1
        assert "Stopped. Nothing was saved." in result.stdout
        assert result.exception is None or isinstance(result.exception, SystemExit)

    def test_the_brief_can_follow_the_questions(self) -> None:
        result = run("assess", "--brief", input=CALM)
        assert result.exit_code == 0, result.output
        assert "THERAPIST BRIEF" in result.stdout


class TestAssessFromAFile:
    def test_json_output_is_exactly_the_result_contract(self, tmp_path: Path) -> None:
        data = baseline(areas=["buttock"])
        result = run("assess", "--input", write(tmp_path, data), "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == assess(data).model_dump(mode="json")

    def test_stdin_is_read_with_a_dash(self) -> None:
        data = baseline()
        result = run("assess", "--input", "-", "--format", "json", input=json.dumps(data))
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["triage"]["level"] == "self_care"

    @pytest.mark.parametrize(("fmt", "first"), [("text", "Massage may help"), ("markdown", "## ")])
    def test_text_and_markdown_start_with_the_safety_message(
        self, tmp_path: Path, fmt: str, first: str
    ) -> None:
        result = run("assess", "-i", write(tmp_path, baseline()), "-f", fmt)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(first)
        assert "Your massage plan" in result.stdout
        assert "Sources" in result.stdout

    def test_text_is_the_default_format(self, tmp_path: Path) -> None:
        result = run("assess", "-i", write(tmp_path, baseline()))
        assert result.stdout.startswith("Massage may help")

    def test_an_urgent_case_leads_with_the_urgent_message(self, tmp_path: Path) -> None:
        data = baseline(red_flags=["fever"])
        result = run("assess", "-i", write(tmp_path, data))
        assert result.stdout.splitlines()[1].startswith("!! URGENT")
        assert "Your massage plan" not in result.stdout

    @pytest.mark.parametrize(
        ("data", "first"),
        [
            (baseline(red_flags=["clot_symptoms"]), "Call 999 or go to A&E now."),
            (baseline(conditions=["active_cancer"]), "Call your cancer team's 24-hour number"),
            (
                baseline(conditions=["recent_spinal_surgery"], red_flags=["foot_drop"]),
                "Contact your surgical team now.",
            ),
        ],
    )
    def test_a_rule_with_its_own_instruction_says_it_first_in_every_format(
        self, tmp_path: Path, data: dict[str, Any], first: str
    ) -> None:
        path = write(tmp_path, data)
        triage = json.loads(run("assess", "-i", path, "-f", "json").stdout)["triage"]
        assert triage["first_action"].startswith(first)
        assert triage["advice"].startswith(triage["first_action"])
        assert first in run("assess", "-i", path).stdout.splitlines()[1]
        assert first in run("assess", "-i", path, "-f", "markdown").stdout.splitlines()[0]
        brief = run("assess", "-i", path, "--brief").stdout
        assert brief.index("SAFETY") < brief.index("CLIENT")
        assert first in " ".join(brief.split())

    @pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
    def test_the_brief_is_printed_in_every_format(self, tmp_path: Path, fmt: str) -> None:
        result = run("assess", "-i", write(tmp_path, baseline()), "-f", fmt, "--brief")
        assert result.exit_code == 0, result.output
        if fmt == "json":
            assert json.loads(result.stdout)["age"] == 35
        else:
            assert "herapist brief" in result.stdout.lower()

    def test_save_writes_the_validated_answers(self, tmp_path: Path) -> None:
        saved = tmp_path / "saved.json"
        run("assess", "-i", write(tmp_path, baseline()), "--save", str(saved))
        assert json.loads(saved.read_text())["age"] == 35


class TestBadInput:
    @pytest.mark.parametrize(
        ("data", "words"),
        [
            (baseline(age=7), ["age: must be at least 12 (got 7)"]),
            (baseline(side="middle"), ["side: must be one of"]),
            (baseline(colour="blue"), ["colour: is not a field"]),
            (baseline(age=7, leg_pain=11), ["age:", "leg_pain:"]),
            ({"age": 40}, ["back_pain: is required"]),
            ([1, 2], ["must be a JSON object"]),
            ("just a string", ["must be a JSON object"]),
        ],
    )
    def test_a_wrong_field_is_named_on_one_line(
        self, tmp_path: Path, data: Any, words: list[str]
    ) -> None:
        assert_one_line_error(run("assess", "-i", write(tmp_path, data)), *words)

    def test_invalid_json_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "broken.json"
        path.write_text('{"age": 40,\n "side": }')
        assert_one_line_error(run("assess", "-i", str(path)), "not valid JSON", "line 2")

    def test_invalid_json_on_stdin_is_refused(self) -> None:
        assert_one_line_error(run("assess", "-i", "-", input="nope"), "stdin is not valid JSON")

    def test_a_missing_file_is_refused(self, tmp_path: Path) -> None:
        missing = str(tmp_path / "nope.json")
        assert_one_line_error(run("assess", "-i", missing), "cannot read", "nope.json")

    def test_a_binary_file_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "binary.json"
        path.write_bytes(b"\xff\xfe\x00")
        assert_one_line_error(run("assess", "-i", str(path)), "not UTF-8")

    def test_a_directory_is_refused(self, tmp_path: Path) -> None:
        assert_one_line_error(run("assess", "-i", str(tmp_path)), "cannot read")

    def test_the_installed_command_prints_no_traceback(self, tmp_path: Path) -> None:
        path = write(tmp_path, baseline(age=7))
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from sciatica_care.cli import main; main()",
                "assess",
                "-i",
                path,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2
        assert done.stderr == "error: age: must be at least 12 (got 7)\n"
        assert done.stdout == ""

    @pytest.mark.parametrize("fmt", ["text", "json"])
    def test_the_installed_command_ends_with_the_same_answer_and_code(
        self, tmp_path: Path, fmt: str
    ) -> None:
        # The console script ends an assess run without tearing the interpreter down: the
        # answer, the error and the exit code are still those of the command run in-process.
        for data, code in ((baseline(), 0), (baseline(side="middle"), 2)):
            path = write(tmp_path, data)
            done = subprocess.run(
                [*MAIN, "assess", "-i", path, "-f", fmt],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "SCIATICA_CARE_CACHE_DIR": str(tmp_path / "cache")},
            )
            inside = run("assess", "-i", path, "-f", fmt)
            assert (done.returncode, done.stdout, done.stderr) == (
                code,
                inside.stdout,
                inside.stderr,
            )

    def test_running_in_another_program_leaves_its_collector_and_plugins_alone(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
        assert run("assess", "-i", write(tmp_path, baseline())).exit_code == 0
        assert gc.isenabled()
        assert "PYDANTIC_DISABLE_PLUGINS" not in os.environ


class TestTechniques:
    def test_the_list_names_all_five_with_pressure_and_grade(self) -> None:
        result = run("techniques")
        assert result.exit_code == 0, result.output
        for technique in TECHNIQUES:
            assert technique in result.stdout
        assert "low" in result.stdout

    def test_one_technique_is_shown_with_its_precautions_and_full_sources(self) -> None:
        result = run("techniques", "deep_tissue")
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert out.startswith("Deep tissue massage (deep_tissue)")
        for part in ("How:", "Pressure:", "Session length:", "Fits:", "Evidence (low)"):
            assert part in out
        assert "Do not use when:" in out
        assert "Blood thinners" in out
        assert "Cherkin" in out or "Majchrzycki" in out

    def test_an_unknown_technique_names_the_valid_ids(self) -> None:
        result = run("techniques", "reiki")
        assert_one_line_error(result, "reiki", *TECHNIQUES)


def test_version_names_the_package_and_the_knowledge_base() -> None:
    from sciatica_care import knowledge_version

    result = run("--version")
    assert result.exit_code == 0
    expected = f"sciatica-care {__version__} (knowledge base {knowledge_version()})"
    assert result.stdout.strip() == expected
