"""``sciatica-care serve --workers``: how many app processes, and how uvicorn is asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sciatica_care.cli import app as cli
from sciatica_care.web import server


def test_the_default_is_one_process_per_core_for_postgresql_and_one_for_sqlite() -> None:
    assert server.default_workers("sqlite:////tmp/x.db") == 1
    assert server.default_workers("postgresql+psycopg://u@h/db") == server.cores() >= 1


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [([], {}, 1), (["--workers", "3"], {}, 3), ([], {"SCIATICA_CARE_WORKERS": "2"}, 2)],
)
def test_serve_starts_the_processes_asked_for(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    expected: int,
) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("SCIATICA_CARE_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'app.db'}"
    # Set here so that what serve sets for its workers is undone after the test.
    monkeypatch.setenv("SCIATICA_CARE_DATABASE_URL", url)
    monkeypatch.setenv("SCIATICA_CARE_MIGRATE_ON_START", "true")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["serve", "--database-url", url, *argv])
    assert result.exit_code == 0, result.output
    assert f"{expected} app process" in result.output
    [(app, options)] = calls
    if expected == 1:  # the app itself, built here
        assert not isinstance(app, str) and "workers" not in options
    else:  # each process builds it from the environment this process set up
        assert (app, options["factory"], options["workers"]) == (server.APP_FACTORY, True, expected)
        assert server.os.environ["SCIATICA_CARE_DATABASE_URL"] == url
        assert server.os.environ["SCIATICA_CARE_MIGRATE_ON_START"] == "false"
    assert (tmp_path / "secret-key").exists()  # made once, before any worker starts


def test_a_bad_worker_count_is_refused_naming_the_option() -> None:
    result = CliRunner().invoke(cli, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output
