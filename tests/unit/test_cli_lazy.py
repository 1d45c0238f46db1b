"""Only the command run is made into a click command; help, errors and suggestions still name
every command, in the same order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sciatica_care.cli import app, lazy
from tests.conftest import baseline

COMMANDS = ["assess", "techniques", "serve", "worker", "demo", "db", "admin", "mail"]


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the commands and sub-apps made into click commands during a test."""
    names: list[str] = []
    command, group = lazy.get_command_from_info, lazy.get_group_from_info

    def spy_command(info, **settings):  # type: ignore[no-untyped-def]
        names.append(info.callback.__name__)
        return command(info, **settings)

    def spy_group(info, **settings):  # type: ignore[no-untyped-def]
        names.append(info.name)
        return group(info, **settings)

    monkeypatch.setattr(lazy, "get_command_from_info", spy_command)
    monkeypatch.setattr(lazy, "get_group_from_info", spy_group)
    return names


def test_a_run_makes_only_the_command_it_runs(tmp_path: Path, made: list[str]) -> None:
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps(baseline()))
    assert CliRunner().invoke(app, ["assess", "-i", str(path)]).exit_code == 0
    assert made == ["assess"]
    assert CliRunner().invoke(app, ["db", "upgrade", "--help"]).exit_code == 0
    assert made == ["assess", "db"]


def test_help_lists_every_command_in_order(made: list[str]) -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    words = [line.strip("│ ").split(" ")[0] for line in result.stdout.splitlines()]
    assert [word for word in words if word in COMMANDS] == COMMANDS
    assert sorted(made) == sorted(
        ["assess", "techniques", "serve", "worker", "demo", *COMMANDS[5:]]
    )


def test_an_unknown_command_is_refused_with_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["asess"])
    assert result.exit_code == 2
    assert "No such command 'asess'. Did you mean 'assess'?" in result.stderr


def test_importing_the_entry_point_does_not_import_typer() -> None:
    # main() turns the cyclic collector off before Typer and the commands are imported.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from sciatica_care.cli import main; print('typer' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "False\n"
