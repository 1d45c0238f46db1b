"""A stored assessment is encoded once (``services/assessments.run_assessment``): the row's JSON
text and the API's answer are made from the same text. Both must be what encoding the models'
dicts made before, byte for byte, on SQLite and PostgreSQL, for the whole vocabulary; and the
audit row goes in the same transaction as the assessment."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic_core import to_json
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import AssessmentRecord, AuditEvent
from sciatica_care.db.tables.records import at_a_glance
from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.services.actors import Actor
from sciatica_care.services.assessments import run_assessment
from sciatica_care.web.api.assessments import answer_json, assessment_out
from tests.conftest import baseline
from tests.unit.test_properties import assessment_data


def _row_text(database: Database, record_id: str) -> tuple[str, str, Any]:
    """The row's answers and result as the database holds them (``json`` keeps the text on
    PostgreSQL), and its at-a-glance."""
    with database.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT CAST(input AS TEXT), CAST(result AS TEXT), at_a_glance"
                " FROM assessments WHERE id = :id"
            ),
            {"id": record_id},
        ).one()
    glance = row[2]
    if isinstance(glance, str):
        glance = database.engine.dialect._json_deserializer(glance)  # type: ignore[attr-defined]
    return str(row[0]), str(row[1]), glance


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=assessment_data())
def test_the_row_and_the_answer_are_the_text_the_dicts_made(
    database: Database, actor: Actor, data: dict[str, Any]
) -> None:
    assessment = parse_assessment(data)
    with database.session() as db:
        outcome = run_assessment(db, actor=actor, assessment=assessment)
    assert outcome.id is not None and outcome.stored_text is not None
    answers, result, glance = _row_text(database, outcome.id)
    answers_dict = outcome.assessment.model_dump(mode="json")
    result_dict = outcome.result.model_dump(mode="json")
    # What the column's encoder made of the dicts before (PostgreSQL's json keeps the text).
    assert answers == to_json(answers_dict).decode()
    assert result == to_json(result_dict).decode()
    assert glance == at_a_glance(result_dict)
    # The API's answer: what encoding the whole answer model makes.
    unstored = dataclasses.replace(outcome, stored_text=None)
    assert answer_json(outcome) == assessment_out(unstored).model_dump_json()
    assert answer_json(unstored) == assessment_out(unstored).model_dump_json()


def test_the_audit_row_and_the_assessment_share_one_commit(
    database: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = parse_assessment(baseline())
    with database.session() as db:
        first = run_assessment(db, actor=actor, assessment=assessment)
    # A second write whose INSERT fails (the same id) after its audit row went in: neither
    # stays.
    monkeypatch.setattr("sciatica_care.services.assessments.new_id", lambda: first.id)
    with database.session() as db, pytest.raises(IntegrityError):
        run_assessment(db, actor=actor, assessment=assessment)
    with database.session() as db:
        audit = db.scalars(select(AuditEvent).where(AuditEvent.record_id == first.id)).all()
        assert [(a.action, a.subject_user_id) for a in audit] == [("create", actor.user_id)]
        assert db.scalar(select(func.count()).select_from(AssessmentRecord)) == 1
