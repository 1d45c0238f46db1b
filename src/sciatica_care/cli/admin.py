"""``sciatica-care admin create``: make an admin account (the only way besides code)."""

from __future__ import annotations

import sys

import typer

from sciatica_care.cli.errors import fail


def read_password(*, from_stdin: bool) -> str:
    """The password from one line of stdin, or asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first: str = typer.prompt("Password", hide_input=True)
    second: str = typer.prompt("Password again", hide_input=True)
    if first != second:
        fail("the two passwords differ", code=2)
    return first


def create_admin(*, email: str, display_name: str, password: str, database_url: str | None) -> str:
    """Create the admin account (its email counts as verified); returns its id."""
    from sciatica_care.config import load_settings
    from sciatica_care.db.engine import Database
    from sciatica_care.db.tables import utcnow
    from sciatica_care.services.accounts import create_user
    from sciatica_care.services.errors import Conflict, InvalidInput

    url = database_url or load_settings().resolved_database_url()
    database = Database(url)
    try:
        with database.session() as db:
            try:
                user = create_user(
                    db, email=email, password=password, role="admin", display_name=display_name
                )
            except (InvalidInput, Conflict) as exc:
                fail(str(exc), code=2)
            user.email_verified_at = utcnow()  # the operator vouches for it
            db.commit()
            return user.id
    finally:
        database.dispose()
