"""Shared fixtures: the knowledge base and a baseline assessment."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from typing import Any

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import accounts
from tests.app_parts import one_event_loop_for_test_clients, routes_built_once

POSTGRES_ENV = "SCIATICA_CARE_TEST_POSTGRES_URL"


# The app's own password hashing (argon2 at its recommended cost, about 0.26 CPU-s a hash), kept
# for the test that pins it (tests/unit/test_password_cost.py).
APP_PASSWORD_HASH = accounts.password_hash
APP_DUMMY_HASH = accounts._DUMMY_HASH
# One pass over 64 KiB on one lane: 0.04 ms of CPU a hash, where 1 MiB on four lanes (four
# threads) took 2.7 ms, twice per sign-in.
CHEAP_PASSWORD_HASH = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=64, parallelism=1),))


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2 at a small cost for the whole run: most web tests make an account and sign in
    (two hashes each), which at the recommended cost was the largest part of the suite's
    time. Still argon2id through pwdlib, so hashing, verifying and the login checks run as in
    the app; only its cost is smaller. A hash made at either cost verifies with the other. The
    stand-in hash an unknown email is checked against is made at the small cost too (at the
    recommended one each such sign-in cost a quarter of a CPU-second)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "password_hash", CHEAP_PASSWORD_HASH)
        patch.setattr(accounts, "_DUMMY_HASH", CHEAP_PASSWORD_HASH.hash("not-a-real-password"))
        yield


@pytest.fixture(scope="session", autouse=True)
def shared_app_parts() -> Iterator[None]:
    """One event loop for every TestClient and one build of each route for every app of the
    run (tests/app_parts.py): what a test's new app and clients would otherwise make again."""
    with one_event_loop_for_test_clients(), routes_built_once():
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


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is alive once the tests are collected (the app, its libraries, the collected
    tests: millions of objects) is set aside from the garbage collector for the run, as
    ``gc.freeze`` is meant for: each full collection walked all of it again, a fifth of a web
    test's CPU time. Garbage made before it is collected first; what the tests make is
    collected as before."""
    gc.collect()
    gc.freeze()


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


# The longest tests, costliest first (node-id prefixes): under pytest-xdist each worker starts
# with its share of them, so none is left to start last while the other workers stand idle.
LONG_FIRST = (
    "tests/web/browser/test_accessibility.py",
    "tests/web/test_api_schema.py",
    "tests/web/test_fuzz_forms.py",
    "tests/web/test_stored_extreme_times.py",
    "tests/integration/test_durability.py",
    "tests/integration/test_booking_http_race.py",
    "tests/web/browser/",
    "tests/web/test_worker_process.py",
    "tests/web/test_report.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``--dist worksteal`` with N workers, worker k is first sent the k-th of N equal
    slices of the collection, and idle workers later take the tail half of the busiest one's
    queue. Each slice here begins with its share of the long tests (dealt in turn, costliest
    first); the other tests keep their order (so a module's tests stay together), split across
    the slices to fill them. Every worker collects the same order; without xdist nothing moves.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers < 2 or len(items) < workers:
        return

    def rank(item: pytest.Item) -> int:
        return next(
            (i for i, prefix in enumerate(LONG_FIRST) if item.nodeid.startswith(prefix)), -1
        )

    long = sorted((item for item in items if rank(item) >= 0), key=rank)  # stable
    rest = [item for item in items if rank(item) < 0]
    lanes: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for i, item in enumerate(long):
        turn, step = divmod(i, workers)
        lanes[step if turn % 2 == 0 else workers - 1 - step].append(item)
    # The slice sizes worksteal sends: len // N to the first, then of the rest, and so on.
    left = len(items)
    for k, lane in enumerate(lanes):
        size = left // (workers - k)
        left -= size
        take = max(0, size - len(lane))
        lane.extend(rest[:take])
        del rest[:take]
    lanes[-1].extend(rest)
    items[:] = [item for lane in lanes for item in lane]
