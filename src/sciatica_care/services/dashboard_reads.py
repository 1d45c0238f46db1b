"""The dashboard's own reads, each one statement built once (at import) with bound parameters.

The dashboard's API view used to send 16 statements, each built in Python on every view: three
for the outcome measures, four about the assessments (the latest, how many, the latest time,
the first time), three about the diary (the recent check-ins, the last safety answers, the
check-in waiting) and one for when the person started. Here (8 in all, with sign-in, the audit
row, what helped and the kept trend's two):

- :func:`assessments_of`: the latest assessment with the number of assessments and when the
  first was made (window functions over the same rows); the latest one's time is the latest
  time an assessment answered the safety questions.
- :func:`recent_and_marks`: the latest check-ins, with when the safety questions were last
  answered in a check-in, the first check-in's time, and the latest check-in whose safety
  questions wait for answers.
- :func:`measures_of`: the SBI, PSFS and global-rating rows in one query.

Each gives exactly what the separate queries gave (``tests/web/test_dashboard_queries.py``
counts the statements; ``bench/dashboard_identical.py`` compares the answers byte for byte).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased, defer
from sqlalchemy.sql.elements import BindParameter

from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, OutcomeMeasure
from sciatica_care.services.outcomes import MEASURES

_CLINIC: BindParameter[str] = bindparam("clinic_id")
_USER: BindParameter[str] = bindparam("user_id")

_ASSESSMENTS_OF_PERSON = (AssessmentRecord.clinic_id == _CLINIC, AssessmentRecord.user_id == _USER)
_COUNTED = aliased(AssessmentRecord, name="counted")
_COUNTED_OF_PERSON = (_COUNTED.clinic_id == _CLINIC, _COUNTED.user_id == _USER)
#: The count and the first time as scalar subqueries, each answered from the index on (clinic,
#: person, created_at). Window functions over the person's rows (``count() over ()``) would make
#: the database gather every one of their assessments, answers and result included, before
#: keeping the newest: a view then cost 0.17 ms more for each assessment ever stored.
_LATEST_ASSESSMENT = (
    select(
        AssessmentRecord,
        select(func.count()).select_from(_COUNTED).where(*_COUNTED_OF_PERSON).scalar_subquery(),
        select(func.min(_COUNTED.created_at)).where(*_COUNTED_OF_PERSON).scalar_subquery(),
    )
    .where(*_ASSESSMENTS_OF_PERSON)
    .order_by(AssessmentRecord.created_at.desc())
    .limit(1)
    # The answers and the result are read (each by its own statement) only when the process
    # has not validated this record's yet (services/assessments.py: outcome_of): decoding a
    # stored result's JSON on every view made some 2,000 objects for nothing.
    .options(
        defer(AssessmentRecord.input),
        defer(AssessmentRecord.result),
        defer(AssessmentRecord.at_a_glance),
    )
)


#: The diary's marks, each one value, asked alongside the recent check-ins (a copy of the table
#: of their own, not correlated with the check-ins' rows): when a check-in's safety questions
#: were last answered, the first check-in, and the latest check-in still waiting for answers
#: (its id, and when it was made: the latest such time is the waiting one's).
_MARKED = aliased(DiaryEntry, name="marked")
_OF_PERSON = (_MARKED.clinic_id == _CLINIC, _MARKED.user_id == _USER)
_WAITING = (_MARKED.safety_reason.is_not(None), _MARKED.safety_answers.is_(None))
_RECENT_AND_MARKS = (
    select(
        DiaryEntry,
        select(func.max(_MARKED.safety_checked_at)).where(*_OF_PERSON).scalar_subquery(),
        select(func.min(_MARKED.recorded_at)).where(*_OF_PERSON).scalar_subquery(),
        select(_MARKED.id)
        .where(*_OF_PERSON, *_WAITING)
        .order_by(_MARKED.created_at.desc())
        .limit(1)
        .scalar_subquery(),
        select(func.max(_MARKED.created_at)).where(*_OF_PERSON, *_WAITING).scalar_subquery(),
    )
    .where(DiaryEntry.clinic_id == _CLINIC, DiaryEntry.user_id == _USER)
    # As diary.entries_of: newest first, the same time the later id first.
    .order_by(DiaryEntry.recorded_at.desc(), DiaryEntry.id.desc())
    .limit(bindparam("recent"))
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


def recent_and_marks(
    db: Session, *, clinic_id: str, user_id: str, recent: int
) -> tuple[list[DiaryEntry], DiaryMarks]:
    """The ``recent`` latest check-ins (at least one; newest first) and the diary's marks, in
    one query; callers have done the access check. No check-in: no marks either."""
    rows = db.execute(
        _RECENT_AND_MARKS, {"clinic_id": clinic_id, "user_id": user_id, "recent": max(1, recent)}
    ).all()
    if not rows:
        return [], DiaryMarks(None, None, None, None)
    _, checked, first, waiting_id, waiting_at = rows[0]
    return [row[0] for row in rows], DiaryMarks(checked, first, waiting_id, waiting_at)


def measures_of(
    db: Session, *, clinic_id: str, client_id: str
) -> dict[str, Sequence[OutcomeMeasure]]:
    """Each measure's rows (SBI, PSFS, global rating), oldest first, in one query; callers
    have done the access check."""
    out: dict[str, list[OutcomeMeasure]] = {measure: [] for measure in MEASURES}
    for row in db.scalars(_MEASURES, {"clinic_id": clinic_id, "user_id": client_id}):
        out[row.measure].append(row)
    return dict(out)
