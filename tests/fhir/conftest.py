"""The web fixtures (the app on SQLite and PostgreSQL, signed-in clients) for the FHIR tests."""

from tests.integration.databases import (  # noqa: F401  (fixtures)
    database_url,
    migrated_postgres,
    migrated_sqlite_template,
)
from tests.web.conftest import (  # noqa: F401  (fixtures)
    ada,
    alice,
    app,
    bob,
    client,
    settings,
    sign_in,
    tess,
)
