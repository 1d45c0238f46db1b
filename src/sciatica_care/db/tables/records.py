"""A client's health records: assessments, diary entries, outcome measures, and the audit
log of who touched them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sciatica_care.db.tables.base import Base, fk_to_user, new_id, new_ordered_id, utcnow

#: A check-in whose safety questions wait for answers (``services/dashboard_reads.py``).
WAITING = "safety_reason IS NOT NULL AND safety_answers IS NULL"


class AssessmentRecord(Base):
    """A stored assessment: the answers, the result, and the knowledge-base version used."""

    __tablename__ = "assessments"
    __table_args__ = (
        fk_to_user(),
        Index("ix_assessments_user_created", "clinic_id", "user_id", "created_at"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    input: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]
    triage_level: Mapped[str] = mapped_column(String(32))
    kb_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: What the therapist's client list shows of the result, taken from it when the row is
    #: written (:func:`at_a_glance`): the list reads this instead of the whole result.
    at_a_glance: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=lambda context: at_a_glance(context.get_current_parameters()["result"])
    )


def at_a_glance(result: dict[str, Any]) -> dict[str, Any]:
    """The parts of a stored result the client list shows: whether massage waits for a doctor,
    the knowledge-base rows that fired, and the techniques to avoid."""
    return {
        "massage_hold": bool(result["triage"]["massage_hold"]),
        "rules_fired": list(result["rules_fired"]),
        "excluded": [e["technique"] for e in result["excluded"]],
    }


class DiaryEntry(Base):
    """One check-in: pain now, what was done, sleep and a note. Several a day are fine."""

    __tablename__ = "diary_entries"
    __table_args__ = (
        fk_to_user(),
        # The time and the pains too: the trend's day sums read the index alone (PostgreSQL).
        Index(
            "ix_diary_entries_user_time_pain",
            "clinic_id",
            "user_id",
            "recorded_at",
            "leg_pain",
            "back_pain",
        ),
        # The last safety re-check (every dashboard asks) without reading the whole diary.
        Index("ix_diary_entries_user_checked", "clinic_id", "user_id", "safety_checked_at"),
        # The check-ins whose safety questions wait for answers (a few rows of the diary, if
        # any): the dashboard finds the latest without reading the person's whole diary.
        Index(
            "ix_diary_entries_user_waiting",
            "clinic_id",
            "user_id",
            "created_at",
            postgresql_where=text(WAITING),
            sqlite_where=text(WAITING),
        ),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime]
    leg_pain: Mapped[int] = mapped_column(Integer)
    back_pain: Mapped[int] = mapped_column(Integer)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    stretches: Mapped[list[str]] = mapped_column(JSON, default=list)
    massage: Mapped[list[str]] = mapped_column(JSON, default=list)
    heat: Mapped[bool] = mapped_column(Boolean, default=False)
    cold: Mapped[bool] = mapped_column(Boolean, default=False)
    walk_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    medicine: Mapped[bool] = mapped_column(Boolean, default=False)
    sleep_quality: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Still sore more than 48 hours after a massage (counts against that session's techniques).
    soreness_48h: Mapped[bool] = mapped_column(Boolean, default=False)
    # The safety re-check of this check-in (outcomes.md v2): why it was asked ("weekly",
    # "leg_pain_up"; None: not asked), the answers (question id -> yes/no; None: not answered
    # yet), when they were given, and the assessment stored from a yes.
    safety_reason: Mapped[str | None] = mapped_column(String(16), default=None)
    safety_answers: Mapped[dict[str, bool] | None] = mapped_column(JSON, default=None)
    safety_checked_at: Mapped[datetime | None] = mapped_column(default=None)
    safety_assessment_id: Mapped[str | None] = mapped_column(String(32), default=None)


class OutcomeMeasure(Base):
    """A completed outcome questionnaire: ``measure`` is "sbi" (the weekly Sciatica
    Bothersomeness Index, ``week_of`` its Monday), "psfs" (the Patient-Specific Functional
    Scale: ``items`` the 0-10 scores, ``activities`` their names in the same order, ``total``
    their sum) or "grc" (the global rating of change: ``items`` = [rating], -3..+3). For the PSFS
    and the global rating ``week_of`` is the local day it was answered."""

    __tablename__ = "outcome_measures"
    __table_args__ = (
        fk_to_user(),
        Index("ix_outcome_measures_user_measure", "clinic_id", "user_id", "measure", "week_of"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(String(16))
    week_of: Mapped[date] = mapped_column(Date)
    items: Mapped[list[int]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    activities: Mapped[list[str] | None] = mapped_column(JSON, nullable=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Append-only: who read or wrote which record, when, by which route. Never health data."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject_at", "clinic_id", "subject_user_id", "at"),
        ForeignKeyConstraint(["clinic_id"], ["clinics.id"]),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: Ordered by when made: each new row goes at the end of the primary key's index.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_ordered_id)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[str | None] = mapped_column(String(32))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(32))
    subject_user_id: Mapped[str | None] = mapped_column(String(32))
    route: Mapped[str] = mapped_column(String(200), default="")


class KeptTrend(Base):
    """A client's trend read-out over the last ``days`` days, kept between requests so that the
    dashboard and the client list need not sum a year of diary on every view.

    Derived data, never the record itself: it is rebuilt from the diary whenever it no longer
    fits, that is when the person's ``users.diary_version`` moved (a check-in was added,
    corrected or deleted), their first assessment (the baseline) is another, the zone the days
    are counted in changed, or the window's oldest check-in has left the window
    (``valid_until``). ``changes``: the baselines and
    current 7-day means, where the baseline came from, and the days the follow-up read-out
    compares; ``series``: every day of the series (``services/kept_trends.py``). It goes with
    the account; the export leaves it out (it holds nothing the diary does not)."""

    __tablename__ = "kept_trends"
    __table_args__ = (fk_to_user(),)
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    diary_version: Mapped[int] = mapped_column(Integer)
    zone: Mapped[str] = mapped_column(String(64))
    valid_until: Mapped[datetime | None] = mapped_column(default=None)
    changes: Mapped[dict[str, Any]]
    series: Mapped[list[Any]] = mapped_column(JSON)
