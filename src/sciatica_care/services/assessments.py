"""Assessments: run one (anonymous: evaluated only; signed in: stored too), list and get them."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sciatica_care.db.engine import JSONText
from sciatica_care.db.tables import AssessmentRecord, new_id, utcnow
from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.recommendation import LearnedResponse
from sciatica_care.domain.result import Result
from sciatica_care.domain.vocabulary import TechniqueId
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import held, learning
from sciatica_care.services.access import get_client_record, require_client_access
from sciatica_care.services.actors import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AssessmentOutcome:
    """An evaluated assessment; ``id`` and ``created_at`` are None when it was not stored."""

    assessment: Assessment
    result: Result
    id: str | None = None
    created_at: datetime | None = None
    #: Just stored: the answers and the result as the JSON text the row holds (the API's
    #: answer carries the same text: it is encoded once).
    stored_text: tuple[str, str] | None = None


def fresh_outcome_of(
    db: Session,
    record: AssessmentRecord,
    learned: Mapping[TechniqueId, LearnedResponse] | None = None,
) -> AssessmentOutcome:
    """A stored assessment evaluated afresh with what has helped the client since (when
    something has); otherwise the result as it was stored. Callers have done the access check."""
    outcome = outcome_of(record)
    if learned is None:
        learned = learning.learned_for(db, clinic_id=record.clinic_id, client_id=record.user_id)
    if not learned:
        return outcome
    result = evaluate(outcome.assessment, knowledge_base(), learned=learned)
    return AssessmentOutcome(outcome.assessment, result, record.id, record.created_at)


#: Stored assessments lately read, validated: (id, made at, kb version) -> (answers, result).
#: A stored assessment is never changed (none is ever updated), and its models are frozen, so
#: the same record reads as the same models; validating a stored result again on every view
#: cost the dashboard about a millisecond (some 2,000 objects made). Asked only with a record
#: just read from the database, after its access check: the cache never answers for a record
#: that is gone. Bounded: the least recently read drops out.
_VALIDATED: held.Kept[tuple[str, datetime, str], tuple[Assessment, Result]] = held.Kept(
    "validated stored assessments", 64
)


def outcome_of(record: AssessmentRecord) -> AssessmentOutcome:
    """A stored assessment as answers plus result (as they were when it was made)."""
    key = (record.id, record.created_at, record.kb_version)
    kept = _VALIDATED.get(key)
    if kept is None:
        kept = (
            Assessment.model_validate(record.input, strict=False),
            Result.model_validate(record.result),
        )
        _VALIDATED.put(key, kept)
    return AssessmentOutcome(
        assessment=kept[0], result=kept[1], id=record.id, created_at=record.created_at
    )


def run_assessment(
    db: Session, *, actor: Actor | None, assessment: Assessment
) -> AssessmentOutcome:
    """Evaluate ``assessment``; store it (answers, result, kb version) when someone is signed in.

    For a signed-in client, what helped them in earlier sessions (their session notes and
    diary) is given weight: ``learned=`` of ``evaluate``."""
    if actor is None:
        return AssessmentOutcome(
            assessment=assessment, result=evaluate(assessment, knowledge_base())
        )
    learned = learning.learned_for(db, clinic_id=actor.clinic_id, client_id=actor.user_id)
    result = evaluate(assessment, knowledge_base(), learned=learned or None)
    record_id, created_at = new_id(), utcnow()
    # The answers and the result encoded once, as JSON text (the same text their dicts made),
    # for the row and for the API's answer; before the first write (the audit row's): on SQLite
    # the writer queue is held from there to the commit, and other writers wait.
    text = (assessment.model_dump_json(), result.model_dump_json())
    row = {
        "id": record_id,
        "created_at": created_at,
        "clinic_id": actor.clinic_id,
        "user_id": actor.user_id,
        "input": JSONText(text[0]),
        "result": JSONText(text[1]),
        "triage_level": result.triage.level,
        "kb_version": result.knowledge_version,
        "at_a_glance": at_a_glance_of(result),
    }
    require_client_access(
        db,
        actor=actor,
        client_id=actor.user_id,
        action="create",
        record_type="assessment",
        record_id=record_id,
    )
    # One INSERT on the transaction's connection: the unit of work's flush of a new object
    # (states, dependency sort, bookkeeping) cost more than the statement.
    db.connection().execute(_INSERT, row)
    db.commit()
    log.info("assessment %s stored", record_id)
    return AssessmentOutcome(assessment, result, record_id, created_at, text)


_INSERT = insert(AssessmentRecord)


def at_a_glance_of(result: Result) -> dict[str, Any]:
    """``at_a_glance`` of the stored result, taken from the model: what ``records.at_a_glance``
    (the column's default) takes from the result's dict, without making the dict
    (``tests/integration/test_stored_assessment_text.py`` compares the two)."""
    return {
        "massage_hold": result.triage.massage_hold,
        "rules_fired": list(result.rules_fired),
        "excluded": [e.technique for e in result.excluded],
    }


def list_assessments(
    db: Session, *, actor: Actor, client_id: str | None = None, limit: int = 100
) -> Sequence[AssessmentRecord]:
    """A client's assessments, newest first (default: the actor's own)."""
    client_id = client_id or actor.user_id
    require_client_access(
        db, actor=actor, client_id=client_id, action="list", record_type="assessment"
    )
    rows = db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == actor.clinic_id)
        .where(AssessmentRecord.user_id == client_id)
        .order_by(AssessmentRecord.created_at.desc())
        .limit(limit)
    ).all()
    db.commit()
    return rows


def get_assessment(db: Session, *, actor: Actor, assessment_id: str) -> AssessmentOutcome:
    """One stored assessment; NotFound when it does not exist or is not the actor's to see."""
    record = get_client_record(
        db, actor=actor, model=AssessmentRecord, record_id=assessment_id, action="read"
    )
    db.commit()
    return outcome_of(record)


def first_assessment(db: Session, *, actor: Actor, client_id: str) -> AssessmentRecord | None:
    """The client's earliest assessment (the diary's baseline), after the access check."""
    require_client_access(
        db, actor=actor, client_id=client_id, action="read", record_type="assessment"
    )
    return db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == actor.clinic_id)
        .where(AssessmentRecord.user_id == client_id)
        .order_by(AssessmentRecord.created_at.asc())
        .limit(1)
    ).first()
