"""``sciatica-care serve --workers``: how many app processes, and how uvicorn is asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sciatica_care.cli import app as cli
from sciatica_care.web import listeners, server
from tests.integration.server_process import free_port


def test_the_default_is_one_process_per_core_for_postgresql_and_up_to_two_for_sqlite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for cores, sqlite in ((1, 1), (2, 2), (8, 2)):
        monkeypatch.setattr(server, "cores", lambda cores=cores: cores)
        assert server.default_workers("sqlite:////tmp/x.db") == sqlite
        assert server.default_workers("postgresql+psycopg://u@h/db") == cores


@pytest.mark.parametrize(
    ("argv", "env", "cores", "expected"),
    [
        ([], {}, 1, 1),
        ([], {}, 4, 2),
        (["--workers", "3"], {}, 1, 3),
        ([], {"SCIATICA_CARE_WORKERS": "1"}, 4, 1),
    ],
)
def test_serve_starts_the_processes_asked_for(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    cores: int,
    expected: int,
) -> None:
    monkeypatch.setattr(server, "cores", lambda: cores)
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    supervised = _Supervisors()
    monkeypatch.setattr(server, "Multiprocess", supervised)
    monkeypatch.setenv("SCIATICA_CARE_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'app.db'}"
    # Set here so that what serve sets for its workers is undone after the test.
    monkeypatch.setenv("SCIATICA_CARE_DATABASE_URL", url)
    monkeypatch.setenv("SCIATICA_CARE_MIGRATE_ON_START", "true")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    port = str(free_port())
    result = CliRunner().invoke(cli, ["serve", "--database-url", url, "--port", port, *argv])
    assert result.exit_code == 0, result.output
    assert f"{expected} app process" in result.output
    if expected == 1:  # the app itself, built here
        [(app, options)] = calls
        assert not isinstance(app, str) and "workers" not in options
    else:  # each process builds it from the environment this process set up
        assert not calls
        [(config, sockets)] = supervised.started
        assert (config.app, config.factory, config.workers) == (server.APP_FACTORY, True, expected)
        # Linux: uvicorn's supervisor is handed the reservation of the address, which each
        # process gets as a socket of its own (tests/web/test_serve_listeners.py).
        [reservation] = sockets
        assert isinstance(reservation, listeners.Reservation)
        assert reservation.fileno() == -1  # released once the supervisor has ended
        assert server.os.environ["SCIATICA_CARE_DATABASE_URL"] == url
        assert server.os.environ["SCIATICA_CARE_MIGRATE_ON_START"] == "false"
    assert (tmp_path / "secret-key").exists()  # made once, before any worker starts


class _Supervisors:
    """A stand-in for uvicorn's ``Multiprocess``: records what it was given, serves nothing."""

    def __init__(self) -> None:
        self.started: list[tuple[Any, list[Any]]] = []

    def __call__(self, config: Any, sockets: list[Any]) -> _Supervisors:
        self.started.append((config, sockets))
        return self

    def run(self) -> None:
        [(_, [reservation])] = self.started
        assert reservation.getsockname()[1] > 0  # bound while the processes run


def test_elsewhere_the_processes_share_uvicorns_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.setattr(server.listeners, "own_sockets_possible", lambda port: False)
    server.serve_processes(host="127.0.0.1", port=8123, count=3, log_level="warning")
    assert calls == [
        {"factory": True, "host": "127.0.0.1", "port": 8123, "workers": 3, "log_level": "warning"}
    ]


def test_a_bad_worker_count_is_refused_naming_the_option() -> None:
    result = CliRunner().invoke(cli, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output


def test_a_bad_setting_is_named_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: pytest.fail("served"))
    monkeypatch.setenv("SCIATICA_CARE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SCIATICA_CARE_LOG_LEVEL", "loud")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "SCIATICA_CARE_LOG_LEVEL" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # not raised
