"""The SQLite file and the data dir the app makes are private to their owner (issue 11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade


@pytest.fixture(autouse=True)
def _permissive_umask() -> object:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_sqlite_file_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'care.db'}"
    upgrade(url)
    database = Database(url)
    database.dispose()
    assert (tmp_path / "new" / "care.db").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new").stat().st_mode & 0o077 == 0


def test_the_default_data_dir_is_not_world_readable(tmp_path: Path) -> None:
    settings = Settings(environment="test", data_dir=tmp_path / "data")
    url = settings.resolved_database_url()
    Database(url).dispose()
    assert (tmp_path / "data").stat().st_mode & 0o077 == 0
    assert (tmp_path / "data" / "sciatica-care.db").stat().st_mode & 0o777 == 0o600
