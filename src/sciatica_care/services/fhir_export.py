"""The FHIR R4 export of a client's record: the rows, through the access check, mapped to
:mod:`sciatica_care.reports.fhir`'s dataclasses, which build the bundle.

- The client exports their own record (the policy's ``export`` resource; audited as an export).
- A therapist the client shared with gets the parts the consent covers, each part checked and
  audited as the workspace's client page does: assessments (the Condition, medicines and the
  assessments' pain ratings), the diary (check-in pain ratings and the outcome measures, which
  are shared with the diary) and session notes (the massage sessions). The therapist's bundle
  names the client but leaves out their email.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, OutcomeMeasure, User, utcnow
from sciatica_care.domain.assessment import Assessment
from sciatica_care.reports import fhir
from sciatica_care.services import outcomes
from sciatica_care.services.access import allows, is_record_id, require_client_access, require_role
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import NotFound
from sciatica_care.services.session_notes import NoteView, notes_of

log = logging.getLogger(__name__)

#: Every session note of the client (the notes query's limit, set high: an export is whole).
ALL_NOTES = 100_000


def _assessments(db: Session, clinic_id: str, client_id: str) -> list[fhir.AssessmentFacts]:
    rows = db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == clinic_id, AssessmentRecord.user_id == client_id)
        .order_by(AssessmentRecord.created_at)
    ).all()
    return [
        fhir.AssessmentFacts(
            id=r.id,
            created_at=r.created_at,
            answers=Assessment.model_validate(r.input, strict=False),
        )
        for r in rows
    ]


def _diary(db: Session, clinic_id: str, client_id: str) -> list[fhir.PainFacts]:
    rows = db.execute(
        select(DiaryEntry.id, DiaryEntry.recorded_at, DiaryEntry.leg_pain, DiaryEntry.back_pain)
        .where(DiaryEntry.clinic_id == clinic_id, DiaryEntry.user_id == client_id)
        .order_by(DiaryEntry.recorded_at)
    ).all()
    return [fhir.PainFacts(i, at, leg, back) for i, at, leg, back in rows]


def answered(row: OutcomeMeasure) -> datetime | date:
    """When a questionnaire was answered: the PSFS and global rating keep the day (which may
    be earlier than the day it was entered); an SBI the time it was entered if that falls in
    its week, else the week's Monday."""
    if row.measure != outcomes.SBI:
        return row.week_of
    entered = row.created_at.astimezone(UTC)
    if row.week_of <= entered.date() < row.week_of + timedelta(days=7):
        return entered
    return row.week_of


def _outcomes(db: Session, clinic_id: str, client_id: str) -> list[fhir.OutcomeFacts]:
    rows = [
        row
        for measure in outcomes.MEASURES
        for row in outcomes.measures_of(
            db, clinic_id=clinic_id, client_id=client_id, measure=measure
        )
    ]
    return [
        fhir.OutcomeFacts(
            id=r.id,
            measure=r.measure,
            answered=answered(r),
            items=list(r.items),
            activities=list(r.activities or ()),
        )
        for r in rows
    ]


def _session(view: NoteView) -> fhir.SessionFacts:
    return fhir.SessionFacts(
        id=view.id,
        session_at=view.session_at,
        therapist_name=view.therapist_name,
        note=view.current,
    )


def _sessions(db: Session, clinic_id: str, client_id: str) -> list[fhir.SessionFacts]:
    views = notes_of(db, clinic_id=clinic_id, client_id=client_id, limit=ALL_NOTES)
    return [_session(v) for v in reversed(views)]


def _patient(db: Session, clinic_id: str, client_id: str, *, with_email: bool) -> fhir.PatientFacts:
    user = db.get(User, (clinic_id, client_id))
    if user is None:
        raise NotFound("client")
    return fhir.PatientFacts(
        user_id=user.id,
        display_name=user.display_name or "",
        email=user.email if with_email else "",
    )


def own_record(db: Session, *, actor: Actor) -> fhir.FhirRecord:
    """Everything about the actor, for the FHIR export (the export access check, audited)."""
    require_client_access(
        db, actor=actor, client_id=actor.user_id, action="export", record_type="export"
    )
    clinic_id, client_id = actor.clinic_id, actor.user_id
    record = fhir.FhirRecord(
        patient=_patient(db, clinic_id, client_id, with_email=True),
        generated_at=utcnow(),
        assessments=_assessments(db, clinic_id, client_id),
        diary=_diary(db, clinic_id, client_id),
        outcomes=_outcomes(db, clinic_id, client_id),
        sessions=_sessions(db, clinic_id, client_id),
    )
    db.commit()
    return record


def shared_record(db: Session, *, actor: Actor, client_id: str) -> fhir.FhirRecord:
    """What a therapist's consent covers of a client's record, part by part (each checked and
    audited); NotFound for anyone but a therapist the client shares with."""
    require_role(actor, "therapist")
    if not is_record_id(client_id):
        raise NotFound("client")
    who = require_client_access(
        db, actor=actor, client_id=client_id, action="read", record_type="client"
    )
    if who.relation != "shared_therapist":
        raise NotFound("client")
    clinic_id = actor.clinic_id
    parts: dict[str, Any] = {}
    if allows(who, "read", "assessments"):
        require_client_access(
            db, actor=actor, client_id=client_id, action="list", record_type="assessment"
        )
        parts["assessments"] = _assessments(db, clinic_id, client_id)
    if allows(who, "read", "diary"):
        require_client_access(
            db, actor=actor, client_id=client_id, action="list", record_type="diary_entry"
        )
        parts["diary"] = _diary(db, clinic_id, client_id)
    if allows(who, "read", "outcomes"):
        require_client_access(
            db, actor=actor, client_id=client_id, action="list", record_type="outcome_measure"
        )
        parts["outcomes"] = _outcomes(db, clinic_id, client_id)
    if allows(who, "read", "notes"):
        require_client_access(
            db, actor=actor, client_id=client_id, action="list", record_type="session_note"
        )
        parts["sessions"] = _sessions(db, clinic_id, client_id)
    record = fhir.FhirRecord(
        patient=_patient(db, clinic_id, client_id, with_email=False),
        generated_at=utcnow(),
        **parts,
    )
    db.commit()
    return record


def as_text(record: fhir.FhirRecord) -> str:
    """The bundle as FHIR JSON text."""
    bundle = fhir.bundle_json(record)
    log.info("FHIR bundle of %d entries made", len(bundle.get("entry", [])))
    return json.dumps(bundle, ensure_ascii=False, indent=2)


def own_bundle(db: Session, *, actor: Actor) -> str:
    """The actor's own record as a FHIR R4 Bundle (JSON text)."""
    return as_text(own_record(db, actor=actor))


def shared_bundle(db: Session, *, actor: Actor, client_id: str) -> str:
    """A client's record, as far as their consent to the therapist goes (JSON text)."""
    return as_text(shared_record(db, actor=actor, client_id=client_id))
