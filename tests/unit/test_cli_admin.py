"""``sciatica-care admin create`` makes an admin account (issue 11: none could be made but in
code); ``mail send`` delivers the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sciatica_care.cli import app
from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.tables import User
from sciatica_care.notifications.outbox import enqueue
from sciatica_care.services.accounts import password_hash

runner = CliRunner()


def _database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    return url


def test_admin_create_reads_the_password_from_stdin_for_scripts(tmp_path: Path) -> None:
    url = _database(tmp_path)
    done = runner.invoke(
        app,
        [
            "admin",
            "create",
            "--email",
            "Ada@Example.org",
            "--password-stdin",
            "--database-url",
            url,
        ],
        input="a long admin passphrase\n",
    )
    assert done.exit_code == 0, done.output
    database = Database(url)
    with database.session() as db:
        user = db.scalars(select(User)).one()
    database.dispose()
    assert (user.email, user.role) == ("ada@example.org", "admin")
    assert password_hash.verify("a long admin passphrase", user.password_hash)
    assert "a long admin passphrase" not in done.output


def test_admin_create_asks_twice_and_refuses_a_mismatch(tmp_path: Path) -> None:
    url = _database(tmp_path)
    args = ["admin", "create", "--email", "ada@example.org", "--database-url", url]
    differ = runner.invoke(app, args, input="first passphrase\nsecond passphrase\n")
    assert differ.exit_code == 2
    same = runner.invoke(app, args, input="same passphrase\nsame passphrase\n")
    assert same.exit_code == 0, same.output
    assert "same passphrase" not in same.output
    taken = runner.invoke(app, args, input="same passphrase\nsame passphrase\n")
    assert taken.exit_code == 2


def test_admin_create_refuses_a_short_password(tmp_path: Path) -> None:
    url = _database(tmp_path)
    args = ["admin", "create", "--email", "ada@example.org", "--password-stdin"]
    short = runner.invoke(app, [*args, "--database-url", url], input="short\n")
    assert short.exit_code == 2
    assert "password" in short.output


def test_mail_send_delivers_the_outbox_into_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _database(tmp_path)
    database = Database(url)
    with database.session() as db:
        enqueue(
            db, clinic_id="default", to="a@example.org", kind="password_changed", reset_link="x"
        )
        db.commit()
    database.dispose()
    monkeypatch.setenv("SCIATICA_CARE_DATABASE_URL", url)
    monkeypatch.setenv("SCIATICA_CARE_DATA_DIR", str(tmp_path / "data"))
    done = runner.invoke(app, ["mail", "send"])
    assert done.exit_code == 0 and "1 sent" in done.output, done.output
    (written,) = (tmp_path / "data" / "mail").glob("*.eml")
    assert written.stat().st_mode & 0o077 == 0
    assert runner.invoke(app, ["mail", "send"]).output.strip() == "0 sent"
