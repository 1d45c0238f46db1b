"""Shared helpers for the page tests: an app on a temp SQLite file and a form-filling client.

(Imported by the other ``test_pages_*`` modules; it holds no tests of its own.)
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.domain.vocabulary import RED_FLAGS
from sciatica_care.web.app import create_app

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def pages(tmp_path: Path, migrated_sqlite_template: Path) -> Iterator[TestClient]:
    """A client for the whole app on a fresh SQLite database (a copy of the run's migrated
    one: the same schema as migrating at start, without running Alembic for every test)."""
    shutil.copyfile(migrated_sqlite_template, tmp_path / "pages.db")
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path}/pages.db",
        environment="test",
        secret_key="page-tests-secret-key-0123456789abcdefgh",  # type: ignore[arg-type]
        migrate_on_start=False,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrftoken" value="([^"]*)"', html)
    assert match, "every form carries a CSRF token"
    return match.group(1)


def wizard_answers(**changes: Any) -> dict[str, Any]:
    """A complete, calm set of wizard answers (as the form posts them); change what you test."""
    form: dict[str, Any] = {
        "back_pain": "3",
        "leg_pain": "5",
        "side": "left",
        "area": ["buttock:left", "calf_back:left"],
        "duration": "8",
        "duration_unit": "weeks",
        "trend": "stable",
        "first_episode": "no",
        "seen_clinician": "yes",
        "diagnosis": "unknown",
        "age": "35",
        "pregnant": "no",
        "pressure_preference": "medium",
        "goals": ["pain_relief"],
        **{f"rf_{flag}": "no" for flag in RED_FLAGS},
    }
    form.update(changes)
    return form


def post_form(client: TestClient, page: str, action: str, form: dict[str, Any]) -> Any:
    """Open ``page``, then post ``form`` to ``action`` with that page's CSRF token."""
    token = csrf_of(client.get(page).text)
    return client.post(action, data={**form, "csrftoken": token}, follow_redirects=True)
