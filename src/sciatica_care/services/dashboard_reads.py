"""The dashboard's own reads, each one statement built once (at import) with bound parameters.

The dashboard used to ask three outcome-measure queries, four assessment queries and four diary
queries, building each statement in Python on every view. Here:

- :func:`assessments_of`: the latest assessment with the number of assessments and when the
  first was made (window functions over the same rows); the latest one's time is the latest
  time an assessment answered the safety questions.
- :func:`diary_marks_of`: when the safety questions were last answered in a check-in, the
  first check-in's time, and the latest check-in whose safety questions wait for answers.
- :func:`measures_of`: the SBI, PSFS and global-rating rows in one query.

Each gives exactly what the separate queries gave (``tests/web/test_dashboard_queries.py``
counts the statements; ``bench/dashboard_identical.py`` compares the answers byte for byte).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, func, select, true
from sqlalchemy.orm import Session

from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, OutcomeMeasure
from sciatica_care.services.outcomes import MEASURES

_CLINIC = bindparam("clinic_id")
_USER = bindparam("user_id")

_LATEST_ASSESSMENT = (
    select(
        AssessmentRecord,
        func.count().over(),
        func.min(AssessmentRecord.created_at).over(),
    )
    .where(AssessmentRecord.clinic_id == _CLINIC, AssessmentRecord.user_id == _USER)
    .order_by(AssessmentRecord.created_at.desc())
    .limit(1)
)


def _of_person() -> ColumnElement[bool]:
    return and_(DiaryEntry.clinic_id == _CLINIC, DiaryEntry.user_id == _USER)


_PENDING = (
    select(DiaryEntry.id.label("id"), DiaryEntry.created_at.label("at"))
    .where(_of_person())
    .where(DiaryEntry.safety_reason.is_not(None), DiaryEntry.safety_answers.is_(None))
    .order_by(DiaryEntry.created_at.desc())
    .limit(1)
    .subquery()
)
_MARKS = select(
    select(func.max(DiaryEntry.safety_checked_at))
    .where(_of_person())
    .scalar_subquery()
    .label("checked"),
    select(func.min(DiaryEntry.recorded_at)).where(_of_person()).scalar_subquery().label("first"),
).subquery()
_DIARY_MARKS = select(_MARKS.c.checked, _MARKS.c.first, _PENDING.c.id, _PENDING.c.at).select_from(
    _MARKS.outerjoin(_PENDING, true())
)

_MEASURES = (
    select(OutcomeMeasure)
    .where(
        OutcomeMeasure.clinic_id == _CLINIC,
        OutcomeMeasure.user_id == _USER,
        OutcomeMeasure.measure.in_(MEASURES),
    )
    .order_by(OutcomeMeasure.week_of, OutcomeMeasure.created_at)
)


@dataclass(frozen=True, slots=True)
class Assessments:
    """The latest assessment (None before the first), how many, and when the first was made."""

    latest: AssessmentRecord | None
    count: int
    first_at: datetime | None


def assessments_of(db: Session, *, clinic_id: str, user_id: str) -> Assessments:
    """The person's latest assessment, their number of assessments and the first one's time,
    in one query; callers have done the access check."""
    row = db.execute(_LATEST_ASSESSMENT, {"clinic_id": clinic_id, "user_id": user_id}).first()
    if row is None:
        return Assessments(None, 0, None)
    return Assessments(row[0], int(row[1]), row[2])


@dataclass(frozen=True, slots=True)
class DiaryMarks:
    """When a check-in's safety questions were last answered, the first check-in's time, and
    the latest check-in whose safety questions wait for answers (with when it was made)."""

    last_checked_at: datetime | None
    first_at: datetime | None
    waiting_id: str | None
    waiting_at: datetime | None

    def pending_after(self, answered: datetime | None) -> str | None:
        """The check-in still waiting for answers unless they were answered since
        (``answered``): the latest waiting one made after ``answered``. When the latest
        waiting one was made before, every earlier one was too."""
        if self.waiting_id is None or self.waiting_at is None:
            return None
        return self.waiting_id if answered is None or self.waiting_at > answered else None


def diary_marks_of(db: Session, *, clinic_id: str, user_id: str) -> DiaryMarks:
    """:class:`DiaryMarks` in one query; callers have done the access check."""
    row = db.execute(_DIARY_MARKS, {"clinic_id": clinic_id, "user_id": user_id}).one()
    return DiaryMarks(row[0], row[1], row[2], row[3])


def measures_of(
    db: Session, *, clinic_id: str, client_id: str
) -> dict[str, Sequence[OutcomeMeasure]]:
    """Each measure's rows (SBI, PSFS, global rating), oldest first, in one query; callers
    have done the access check."""
    out: dict[str, list[OutcomeMeasure]] = {measure: [] for measure in MEASURES}
    for row in db.scalars(_MEASURES, {"clinic_id": clinic_id, "user_id": client_id}):
        out[row.measure].append(row)
    return dict(out)
