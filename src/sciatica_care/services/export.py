"""The client's export: everything about them as JSON; their diary, sessions and questionnaire
scores as CSV a person can read (local times in their account's time zone, labels in words),
alone or together with a README in a zip.

The rows are mapped to :mod:`sciatica_care.reports.export`'s dataclasses, which build the
documents (CSV injection guarded there). Only the client themself may export (the policy's
``export`` resource); each export is audited.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import (
    AssessmentRecord,
    AuditEvent,
    DiaryEntry,
    OutcomeMeasure,
    Share,
    User,
    utcnow,
)
from sciatica_care.domain.outcomes import SBI_ITEMS, global_rating_label, psfs_mean
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.reports import export as documents
from sciatica_care.services import booking_export
from sciatica_care.services.access import require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import NotFound
from sciatica_care.services.outcomes import GLOBAL_RATING, PSFS, SBI
from sciatica_care.services.session_notes import NoteView, notes_of

JSON_FILENAME = "sciatica-care-export.json"
DIARY_FILENAME = documents.DIARY_FILENAME
SESSIONS_FILENAME = documents.SESSIONS_FILENAME
OUTCOMES_FILENAME = documents.OUTCOMES_FILENAME
ZIP_FILENAME = "sciatica-care-export.zip"
BOOKINGS_FILENAME = documents.BOOKINGS_FILENAME


def _diary(db: Session, actor: Actor) -> list[documents.DiaryExport]:
    rows = db.scalars(
        select(DiaryEntry)
        .where(DiaryEntry.clinic_id == actor.clinic_id, DiaryEntry.user_id == actor.user_id)
        .order_by(DiaryEntry.recorded_at)
    ).all()
    return [
        documents.DiaryExport(
            id=r.id,
            recorded_at=r.recorded_at,
            leg_pain=r.leg_pain,
            back_pain=r.back_pain,
            areas=list(r.areas),
            stretches=list(r.stretches),
            heat=r.heat,
            cold=r.cold,
            massage=list(r.massage),
            walk_minutes=r.walk_minutes,
            medicine=r.medicine,
            sleep_quality=r.sleep_quality,
            note=r.note,
            soreness_48h=r.soreness_48h,
            safety_checked_at=r.safety_checked_at,
            safety_yes=[q for q, yes in (r.safety_answers or {}).items() if yes],
            safety_assessment_id=r.safety_assessment_id,
        )
        for r in rows
    ]


def _note(view: NoteView) -> documents.SessionNoteExport:
    return documents.SessionNoteExport(
        id=view.id,
        therapist_id=view.therapist_id,
        therapist_name=view.therapist_name,
        revisions=[documents.revision_export(r) for r in view.history],
    )


def _notes(db: Session, actor: Actor) -> list[documents.SessionNoteExport]:
    views = notes_of(db, clinic_id=actor.clinic_id, client_id=actor.user_id, limit=100_000)
    return [_note(v) for v in reversed(views)]


def _measures(db: Session, actor: Actor) -> list[OutcomeMeasure]:
    return list(
        db.scalars(
            select(OutcomeMeasure)
            .where(
                OutcomeMeasure.clinic_id == actor.clinic_id,
                OutcomeMeasure.user_id == actor.user_id,
            )
            .order_by(OutcomeMeasure.week_of, OutcomeMeasure.created_at)
        ).all()
    )


def _sbi(row: OutcomeMeasure) -> documents.SbiExport:
    return documents.SbiExport(
        week_of=row.week_of, items=dict(zip(SBI_ITEMS, row.items, strict=False)), total=row.total
    )


def _psfs(row: OutcomeMeasure) -> documents.PsfsExport:
    names = row.activities or []
    return documents.PsfsExport(
        answered_on=row.week_of,
        activities=[
            documents.PsfsActivityExport(activity=name, score=score)
            for name, score in zip(names, row.items, strict=False)
        ],
        mean=round(psfs_mean(row.items), 2),
    )


def _global_rating(row: OutcomeMeasure) -> documents.GlobalRatingExport:
    rating = row.items[0]
    return documents.GlobalRatingExport(
        answered_on=row.week_of, rating=rating, label=global_rating_label(rating)
    )


def _check(db: Session, actor: Actor, what: str) -> None:
    require_client_access(
        db, actor=actor, client_id=actor.user_id, action="export", record_type="export"
    )
    if db.get(User, (actor.clinic_id, actor.user_id)) is None:
        raise NotFound(what)


def export_data(db: Session, *, actor: Actor) -> documents.ClientExport:
    """Everything about the actor, as the export's dataclasses."""
    _check(db, actor, "account")
    user = db.get(User, (actor.clinic_id, actor.user_id))
    assert user is not None
    clinic_id = actor.clinic_id
    assessments = db.scalars(
        select(AssessmentRecord)
        .where(AssessmentRecord.clinic_id == clinic_id, AssessmentRecord.user_id == user.id)
        .order_by(AssessmentRecord.created_at)
    ).all()
    measures = _measures(db, actor)
    shares = db.scalars(
        select(Share)
        .where(Share.clinic_id == clinic_id, Share.client_id == user.id)
        .order_by(Share.granted_at)
    ).all()
    audit = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.clinic_id == clinic_id, AuditEvent.subject_user_id == user.id)
        .order_by(AuditEvent.at)
    ).all()
    names = booking_export.display_names(
        db,
        clinic_id,
        {s.therapist_id for s in shares} | {a.actor_user_id for a in audit if a.actor_user_id},
    )
    data = documents.ClientExport(
        generated_at=utcnow(),
        account=documents.AccountExport(
            user_id=user.id,
            email=user.email,
            display_name=user.display_name,
            role=user.role,
            created_at=user.created_at,
        ),
        assessments=[
            documents.AssessmentExport(
                id=a.id,
                created_at=a.created_at,
                answers=a.input,
                result=a.result,
                knowledge_version=a.kb_version,
            )
            for a in assessments
        ],
        diary=_diary(db, actor),
        sbi=[_sbi(m) for m in measures if m.measure == SBI],
        psfs=[_psfs(m) for m in measures if m.measure == PSFS],
        global_ratings=[_global_rating(m) for m in measures if m.measure == GLOBAL_RATING],
        session_notes=_notes(db, actor),
        bookings=booking_export.bookings(db, actor),
        booking_series=booking_export.series(db, actor),
        waitlist=booking_export.waitlist(db, actor),
        sharing=[
            documents.ConsentExport(
                therapist_id=s.therapist_id,
                therapist_name=names.get(s.therapist_id, "a deleted account"),
                scopes=list(s.scopes),
                granted_at=s.granted_at,
                revoked_at=s.revoked_at,
                revoked_by=s.ended_by,
            )
            for s in shares
        ],
        audit=[
            documents.AuditExport(
                at=a.at,
                actor_name=names.get(a.actor_user_id or "", "a deleted account"),
                actor_role=a.actor_role,
                action=a.action,
                record_type=a.record_type,
                record_id=a.record_id,
                route=a.route,
            )
            for a in audit
        ],
    )
    db.commit()
    return data


def export_json(db: Session, *, actor: Actor) -> str:
    """Everything about the actor as one JSON document (text)."""
    return documents.export_json(export_data(db, actor=actor))


def _readable(db: Session, actor: Actor) -> documents.Readable:
    """How the CSV files are written for the actor: their account's time zone, stretch names."""
    user = db.get(User, (actor.clinic_id, actor.user_id))
    zone_name = (user.time_zone if user is not None else None) or actor.time_zone
    names = {s.id: s.title for s in knowledge_base().self_care}
    return documents.Readable(zone_name=zone_name or "UTC", stretch_names=names)


def _outcomes_text(db: Session, actor: Actor, how: documents.Readable) -> str:
    measures = _measures(db, actor)
    return documents.outcomes_csv(
        [_sbi(m) for m in measures if m.measure == SBI],
        [_psfs(m) for m in measures if m.measure == PSFS],
        [_global_rating(m) for m in measures if m.measure == GLOBAL_RATING],
        how,
    )


def diary_csv(db: Session, *, actor: Actor) -> str:
    """The actor's diary as CSV, oldest first (local times, labels in words)."""
    _check(db, actor, "diary")
    text = documents.diary_csv(_diary(db, actor), _readable(db, actor))
    db.commit()
    return text


def sessions_csv(db: Session, *, actor: Actor) -> str:
    """The session notes about the actor as CSV (current version of each), oldest first."""
    _check(db, actor, "sessions")
    text = documents.sessions_csv(_notes(db, actor), _readable(db, actor))
    db.commit()
    return text


def outcomes_csv(db: Session, *, actor: Actor) -> str:
    """The actor's questionnaire scores (SBI, PSFS, global rating) as CSV, oldest first."""
    _check(db, actor, "outcomes")
    text = _outcomes_text(db, actor, _readable(db, actor))
    db.commit()
    return text


def csv_zip(db: Session, *, actor: Actor) -> bytes:
    """The CSV files (diary, sessions, outcomes, bookings) and a README.txt explaining every
    column, as one zip."""
    _check(db, actor, "account")
    how = _readable(db, actor)
    files = {
        documents.README_FILENAME: documents.readme_text(how, generated_at=utcnow()),
        DIARY_FILENAME: documents.diary_csv(_diary(db, actor), how),
        SESSIONS_FILENAME: documents.sessions_csv(_notes(db, actor), how),
        OUTCOMES_FILENAME: _outcomes_text(db, actor, how),
        documents.BOOKINGS_FILENAME: documents.bookings_csv(
            booking_export.bookings(db, actor), how
        ),
    }
    db.commit()
    return documents.csv_zip(files)
