"""Migrations: an empty database upgrades to the tables the code declares, on SQLite and
PostgreSQL; the default clinic exists; SQLite runs in WAL mode with foreign keys on."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text

from sciatica_care.db.engine import make_engine
from sciatica_care.db.migrate import downgrade, include_object, upgrade
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, AssessmentRecord, Base
from sciatica_care.db.tables.records import at_a_glance
from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.knowledge.loader import knowledge_base
from tests.integration.databases import ensure_postgres_database, postgres_url, reset_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    url = postgres_url()
    if url is None:
        pytest.skip("SCIATICA_CARE_TEST_POSTGRES_URL is not set")
    ensure_postgres_database(url)
    reset_postgres(url)
    request.addfinalizer(lambda: (reset_postgres(url), upgrade(url)))
    return url


def test_an_empty_database_upgrades_to_what_the_code_declares(empty_database: str) -> None:
    upgrade(empty_database)
    engine = create_engine(empty_database)
    with engine.connect() as conn:
        differences = compare_metadata(
            MigrationContext.configure(conn, opts={"include_object": include_object}),
            Base.metadata,
        )
        clinic = conn.scalar(text("SELECT id FROM clinics"))
    engine.dispose()
    assert differences == []
    assert clinic == DEFAULT_CLINIC_ID


def test_every_tenant_table_has_the_clinic_first_in_its_primary_key(empty_database: str) -> None:
    upgrade(empty_database)
    engine = create_engine(empty_database)
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if table.name == "clinics":
            continue
        key = inspector.get_pk_constraint(table.name)["constrained_columns"]
        assert key[0] == "clinic_id", table.name
    engine.dispose()


def test_migrations_go_down_and_up_again(empty_database: str) -> None:
    upgrade(empty_database)
    downgrade(empty_database, "base")
    upgrade(empty_database)
    engine = create_engine(empty_database)
    assert "diary_entries" in inspect(engine).get_table_names()
    engine.dispose()


def test_upgrading_twice_changes_nothing(empty_database: str) -> None:
    upgrade(empty_database)
    upgrade(empty_database)


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
        assert conn.scalar(text("PRAGMA busy_timeout")) >= 5000
    engine.dispose()


def test_stored_assessments_get_their_result_at_a_glance(empty_database: str) -> None:
    """0019 fills ``assessments.at_a_glance`` of the assessments stored before it."""
    upgrade(empty_database, "0018")
    answers = {"age": 50, "back_pain": 3, "leg_pain": 7, "side": "left", "areas": ["buttock"]}
    answers |= {"duration_weeks": 3, "seen_clinician": False, "conditions": ["anticoagulants"]}
    stored = evaluate(parse_assessment(answers), knowledge_base()).model_dump(mode="json")
    row = {"clinic": DEFAULT_CLINIC_ID, "user": "a" * 32, "at": datetime.now(UTC)}
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (clinic_id, id, email, password_hash, role, display_name, "
                "created_at) VALUES (:clinic, :user, 'a@example.org', 'x', 'client', '', :at)"
            ),
            row,
        )
        conn.execute(
            text(
                "INSERT INTO assessments (clinic_id, id, user_id, input, result, triage_level, "
                "kb_version, created_at) VALUES (:clinic, :id, :user, :input, :result, :level, "
                "'x', :at)"
            ),
            row
            | {
                "id": "b" * 32,
                "input": json.dumps(answers),
                "result": json.dumps(stored),
                "level": stored["triage"]["level"],
            },
        )
    upgrade(empty_database)
    with engine.connect() as conn:
        glance = conn.execute(select(AssessmentRecord.at_a_glance)).scalar_one()
    engine.dispose()
    assert glance == at_a_glance(stored)
    assert glance["excluded"] and glance["rules_fired"], "a result that excludes techniques"
