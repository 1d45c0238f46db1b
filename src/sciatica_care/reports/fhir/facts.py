"""What the FHIR export is built from: plain dataclasses the services fill from database rows.

:func:`.bundle.bundle_json` turns a :class:`FhirRecord` into the Bundle; the other modules of
the package each turn one kind of fact into its resources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.session_notes import SessionNoteInput


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """What the account holds about the person (no more)."""

    user_id: str
    display_name: str
    email: str


@dataclass(frozen=True, slots=True)
class AssessmentFacts:
    id: str
    created_at: datetime
    answers: Assessment


@dataclass(frozen=True, slots=True)
class PainFacts:
    """One diary check-in's pain ratings (a rating not given is None: no Observation)."""

    id: str
    recorded_at: datetime
    leg_pain: int | None
    back_pain: int | None


@dataclass(frozen=True, slots=True)
class OutcomeFacts:
    """One answered outcome questionnaire: ``measure`` is sbi, psfs or grc; ``items`` the
    scores in the instrument's order (PSFS: one per activity, named in ``activities``; global
    rating of change: one value, -3 to +3). ``answered`` is when, or the day, it was answered."""

    id: str
    measure: str
    answered: datetime | date
    items: Sequence[int]
    activities: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """A massage session: the current version of its note."""

    id: str
    session_at: datetime
    therapist_name: str
    note: SessionNoteInput


@dataclass(frozen=True, slots=True)
class FhirRecord:
    """Everything the export holds, oldest first in each list."""

    patient: PatientFacts
    generated_at: datetime
    assessments: Sequence[AssessmentFacts] = ()
    diary: Sequence[PainFacts] = ()
    outcomes: Sequence[OutcomeFacts] = ()
    sessions: Sequence[SessionFacts] = ()
