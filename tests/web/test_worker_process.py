"""The worker as a real process: ``sciatica-care worker`` on its own, and inside
``sciatica-care serve``; each sends a due reminder through a real SMTP server and stops
cleanly on Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from sciatica_care.config import Settings
from sciatica_care.db.tables import utcnow
from sciatica_care.worker.jobs import Jobs
from tests.web.mailbox import SmtpInbox, smtp_inbox, subject  # noqa: F401  (fixture)
from tests.web.test_booking_mail import CLIENT, make_booking, make_cast

CLI = Path(sys.executable).with_name("sciatica-care")
STOP_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def due_reminder(
    tmp_path: Path,
    smtp_inbox: SmtpInbox,  # noqa: F811
    migrated_sqlite_template: Path,
) -> dict[str, str]:
    """A SQLite database (a copy of the run's migrated one) with a session in an hour (its
    reminder is due), and the environment of a process that uses it and sends mail to
    ``smtp_inbox``."""
    data_dir = tmp_path / "data"
    shutil.copyfile(migrated_sqlite_template, tmp_path / "worker.db")
    url = f"sqlite:///{tmp_path}/worker.db"
    settings = Settings(environment="test", database_url=url, data_dir=data_dir)
    jobs = Jobs(settings)
    try:
        make_booking(jobs, make_cast(jobs), utcnow() + timedelta(hours=1))
    finally:
        jobs.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCIATICA_CARE_")}
    env.update(
        SCIATICA_CARE_ENVIRONMENT="development",
        SCIATICA_CARE_DATA_DIR=str(data_dir),
        SCIATICA_CARE_DATABASE_URL=url,
        SCIATICA_CARE_SMTP_URL=smtp_inbox.url,
        SCIATICA_CARE_JOB_QUEUE_FILE=str(tmp_path / "jobs.db"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(CLI), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(process: subprocess.Popen[str]) -> str:
    """Ctrl-C, then the whole output; the process must end by itself, with status 0."""
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"the process did not stop on SIGINT:\n{output}")
    assert process.returncode == 0, output
    return output


def test_the_worker_runs_as_its_own_process(
    due_reminder: dict[str, str],
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    process = _start(["worker"], due_reminder)
    try:
        [reminder] = smtp_inbox.wait_for(CLIENT)
    finally:
        output = _stop(process)
    assert subject(reminder).startswith("Reminder: massage appointment with Tess")
    assert "Background worker: running" in output


def test_serve_starts_the_worker_and_stops_it(
    due_reminder: dict[str, str],
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    process = _start(["serve", "--port", str(_free_port())], due_reminder)
    try:
        smtp_inbox.wait_for(CLIENT)
    finally:
        output = _stop(process)
    assert "Background worker: running" in output
    assert "Background worker: stopped" in output


def test_serve_leaves_the_worker_off_when_told(due_reminder: dict[str, str]) -> None:
    # One app process: what is tested is the worker left off (the default processes, two on
    # two cores, start and stop in the test above).
    env = {**due_reminder, "SCIATICA_CARE_EMBEDDED_WORKER": "false", "SCIATICA_CARE_WORKERS": "1"}
    port = _free_port()
    process = _start(["serve", "--port", str(port)], env)
    try:
        _wait_for_port(port, process)
    finally:
        output = _stop(process)
    assert "Background worker" not in output


def _wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    """Wait until the server listens (or fail if it exits first)."""
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("the server did not start listening")
