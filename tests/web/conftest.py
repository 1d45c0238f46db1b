"""Web fixtures: the app on a migrated database (SQLite and PostgreSQL), HTTP clients, and a
fixed cast: Alice and Bob are clients, Tess is a therapist, Ada is an admin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import utcnow
from sciatica_care.services.accounts import create_user
from sciatica_care.services.actors import Role
from sciatica_care.web.app import create_app
from tests.integration.databases import (  # noqa: F401  (fixtures)
    database_url,
    migrated_postgres,
    migrated_sqlite_template,
)
from tests.web.event_loop import StatementsOnTheLoop, watching_statements

TEST_SECRET = "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def _statements_watched() -> Iterator[StatementsOnTheLoop]:
    with watching_statements() as watch:
        yield watch


@pytest.fixture(autouse=True)
def no_statement_on_the_event_loop(_statements_watched: StatementsOnTheLoop) -> Iterator[None]:
    """Every web test fails if the app ran an SQL statement on the event loop's thread: there it
    holds up every other request of the process (a commit waits for the disk). Async routes
    read their form on the loop and do their database work in a thread (``in_unit_of_work``)."""
    _statements_watched.seen.clear()
    yield
    seen = sorted(set(_statements_watched.seen))
    assert not seen, "SQL run on the event loop:\n" + "\n".join(seen)


@pytest.fixture
def settings(
    database_url: str,  # noqa: F811
    tmp_path: Path,
) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key=TEST_SECRET,  # type: ignore[arg-type]
        migrate_on_start=False,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.database.dispose()


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """An anonymous visitor."""
    return TestClient(app)


def add_user(
    app: FastAPI,
    email: str,
    role: Role = "client",
    password: str = PASSWORD,
    *,
    verified: bool = True,
) -> str:
    """Create an account directly in the database (its email verified unless told not);
    returns its id."""
    database: Database = app.state.database
    with database.session() as db:
        user = create_user(db, email=email, password=password, role=role)
        if verified:
            user.email_verified_at = utcnow()
        db.commit()
        return user.id


def signed_in_client(app: FastAPI, email: str, password: str = PASSWORD) -> TestClient:
    """A client logged in through the API, sending its CSRF token on every request."""
    http = TestClient(app)
    response = http.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    http.headers["x-csrftoken"] = response.json()["csrf_token"]
    return http


SignIn = Callable[..., TestClient]


@pytest.fixture
def sign_in(app: FastAPI) -> SignIn:
    """Make an account (if needed) and return an HTTP client signed in as it."""
    made: set[str] = set()

    def _sign_in(email: str, role: Role = "client") -> TestClient:
        if email not in made:
            add_user(app, email, role)
            made.add(email)
        return signed_in_client(app, email)

    return _sign_in


@pytest.fixture
def alice(sign_in: SignIn) -> TestClient:
    return sign_in("alice@example.org")


@pytest.fixture
def bob(sign_in: SignIn) -> TestClient:
    return sign_in("bob@example.org")


@pytest.fixture
def tess(sign_in: SignIn) -> TestClient:
    return sign_in("tess@example.org", "therapist")


@pytest.fixture
def ada(sign_in: SignIn) -> TestClient:
    return sign_in("ada@example.org", "admin")
