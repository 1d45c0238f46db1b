"""Shared fixtures: the knowledge base and a baseline assessment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import accounts

POSTGRES_ENV = "SCIATICA_CARE_TEST_POSTGRES_URL"


# The app's own password hashing (argon2 at its recommended cost, about 0.26 CPU-s a hash), kept
# for the test that pins it (tests/unit/test_password_cost.py).
APP_PASSWORD_HASH = accounts.password_hash
CHEAP_PASSWORD_HASH = PasswordHash((Argon2Hasher(memory_cost=1024),))


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2 at a small memory cost for the whole run: most web tests make an account and sign
    in (two hashes each), which at the recommended cost was the largest part of the suite's
    time. Still argon2id through pwdlib, so hashing, verifying and the login checks run as in
    the app; only its cost is smaller. A hash made at either cost verifies with the other."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "password_hash", CHEAP_PASSWORD_HASH)
        yield


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return knowledge_base()


def baseline(**changes: Any) -> dict[str, Any]:
    """A calm assessment that triages to self_care; tests change only what they test."""
    data: dict[str, Any] = {
        "age": 35,
        "back_pain": 3,
        "leg_pain": 4,
        "side": "left",
        "duration_weeks": 8,
        "seen_clinician": True,
        "first_episode": False,
    }
    data.update(changes)
    return data


# The app's rate limits count per client address, and every test client has the same one:
# tests run with limits no test reaches. The limits themselves are tested with their own
# settings (tests/web/test_rate_limits.py), which win over these.
GENEROUS_LIMITS = {
    "SCIATICA_CARE_RATE_LIMIT_SIGN_IN": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_SIGN_IN_ALL": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_ASSESSMENT": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_EXPORT": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_REPORT": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_SLOTS": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_BOOKING": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_SERIES": "100000/minute",
    "SCIATICA_CARE_RATE_LIMIT_CALENDAR": "100000/minute",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, value in GENEROUS_LIMITS.items():
        os.environ.setdefault(name, value)
    own_postgres_database_per_worker()


def own_postgres_database_per_worker() -> None:
    """Under pytest-xdist each worker process gets a PostgreSQL database of its own.

    The URL in SCIATICA_CARE_TEST_POSTGRES_URL names the base database (CI creates it); a worker
    rewrites the variable to the same server with its id appended (``..._test_gw0``), so every
    fixture, test and server subprocess that reads the variable uses the worker's database. The
    fixtures create it when it is missing (``ensure_postgres_database``). Nothing changes
    without xdist.
    """
    from sqlalchemy.engine import make_url

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get(POSTGRES_ENV)
    if not worker or not url:
        return
    base = make_url(url)
    suffix = f"_{worker}"
    if base.database and not base.database.endswith(suffix):
        own = base.set(database=base.database + suffix)
        os.environ[POSTGRES_ENV] = own.render_as_string(hide_password=False)
