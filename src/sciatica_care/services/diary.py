"""The pain diary: record, correct, delete and list check-ins, and the trend read-out."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sciatica_care.db.id_lists import one_of
from sciatica_care.db.read_commits import bookkeeping_only
from sciatica_care.db.tables import (
    AssessmentRecord,
    DiaryEntry,
    User,
    new_id,
    utcnow,
)
from sciatica_care.domain.diary import (
    ROLLING_DAYS,
    DiaryChanges,
    DiaryInput,
    PainPoint,
    TrendReadout,
    readout_of,
    series_of,
)
from sciatica_care.domain.follow_up import RecheckReason, mean_before, recheck_due
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services.access import get_client_record, require_client_access
from sciatica_care.services.actors import Actor
from sciatica_care.services.diary_days import daily_totals
from sciatica_care.services.errors import FieldProblem, InvalidInput
from sciatica_care.services.kept_trends import kept_trends

MAX_LIST = 2000

log = logging.getLogger(__name__)


@cache
def stretch_ids() -> frozenset[str]:
    """The stretches a check-in may name: the knowledge base's stretch items."""
    return knowledge_base().stretch_ids()


def _check_stretches(stretches: Sequence[str] | None) -> None:
    unknown = [s for s in stretches or () if s not in stretch_ids()]
    if unknown:
        allowed = ", ".join(sorted(stretch_ids()))
        raise InvalidInput(
            [FieldProblem("stretches", f"unknown stretch {unknown[0]!r}; one of {allowed}")]
        )


def record_entry(db: Session, *, actor: Actor, entry: DiaryInput) -> DiaryEntry:
    """Add a check-in to the actor's diary (several a day are fine). When the safety re-check
    is due (:func:`domain.follow_up.recheck_due`), ``safety_reason`` says why; the answers are
    recorded by ``services.follow_up``."""
    _check_stretches(entry.stretches)
    now = utcnow()
    row = DiaryEntry(
        id=new_id(),
        clinic_id=actor.clinic_id,
        user_id=actor.user_id,
        created_at=now,
        updated_at=now,
        **entry.model_dump(exclude={"recorded_at", "safety_check"}),
        recorded_at=entry.recorded_at or now,
    )
    row.areas = list(dict.fromkeys(row.areas))
    row.safety_reason = recheck_reason(
        db,
        clinic_id=actor.clinic_id,
        user_id=actor.user_id,
        now=now,
        at=row.recorded_at,
        leg_pain=row.leg_pain,
    )
    require_client_access(
        db,
        actor=actor,
        client_id=actor.user_id,
        action="create",
        record_type="diary_entry",
        record_id=row.id,
    )
    db.add(row)
    db.commit()
    log.info("diary entry %s recorded", row.id)
    return row


def last_safety_check_at(db: Session, *, clinic_id: str, user_id: str) -> datetime | None:
    """When the safety questions were last answered: a check-in's re-check or a whole
    assessment, whichever is later."""
    times = [
        db.scalar(
            select(func.max(DiaryEntry.safety_checked_at)).where(
                DiaryEntry.clinic_id == clinic_id, DiaryEntry.user_id == user_id
            )
        ),
        db.scalar(
            select(func.max(AssessmentRecord.created_at)).where(
                AssessmentRecord.clinic_id == clinic_id, AssessmentRecord.user_id == user_id
            )
        ),
    ]
    # func.max keeps the column's type, so these come back timezone-aware.
    return max((t for t in times if t is not None), default=None)


def recheck_reason(
    db: Session,
    *,
    clinic_id: str,
    user_id: str,
    now: datetime,
    at: datetime | None = None,
    leg_pain: int | None = None,
) -> RecheckReason | None:
    """Why a check-in at ``at`` with ``leg_pain`` asks the safety questions again (None: it
    need not). Without ``leg_pain``: whether it is due by the week alone."""
    mean = None
    if leg_pain is not None and at is not None:
        zone = zone_of(db, clinic_id=clinic_id, user_id=user_id)
        rows = db.execute(
            select(DiaryEntry.recorded_at, DiaryEntry.leg_pain, DiaryEntry.back_pain).where(
                DiaryEntry.clinic_id == clinic_id,
                DiaryEntry.user_id == user_id,
                DiaryEntry.recorded_at >= at - timedelta(days=ROLLING_DAYS + 1),
                DiaryEntry.recorded_at < at,
            )
        ).all()
        points = [PainPoint(at=r[0], leg=r[1], back=r[2]) for r in rows]
        mean = mean_before(points, at, zone=zone)
    return recheck_due(
        now=now,
        last_check_at=last_safety_check_at(db, clinic_id=clinic_id, user_id=user_id),
        leg_pain=leg_pain,
        leg_mean_7d=mean,
    )


def get_entry(db: Session, *, actor: Actor, entry_id: str) -> DiaryEntry:
    """One check-in; NotFound when it does not exist or is not the actor's to see."""
    row = get_client_record(db, actor=actor, model=DiaryEntry, record_id=entry_id, action="read")
    db.commit()
    return row


def update_entry(db: Session, *, actor: Actor, entry_id: str, changes: DiaryChanges) -> DiaryEntry:
    """Correct a check-in: only the fields given change. NotFound if not the actor's."""
    _check_stretches(changes.stretches)
    row = get_client_record(db, actor=actor, model=DiaryEntry, record_id=entry_id, action="update")
    for field in changes.model_fields_set:
        value = getattr(changes, field)
        nullable = field in {"walk_minutes", "sleep_quality"}
        if value is None and not nullable:
            raise InvalidInput([FieldProblem(field, "must not be null")])
        setattr(row, field, list(value) if isinstance(value, list) else value)
    row.updated_at = utcnow()
    db.commit()
    return row


def delete_entry(db: Session, *, actor: Actor, entry_id: str) -> None:
    """Delete a check-in. NotFound if not the actor's."""
    row = get_client_record(db, actor=actor, model=DiaryEntry, record_id=entry_id, action="delete")
    db.delete(row)
    db.commit()


def list_entries(
    db: Session,
    *,
    actor: Actor,
    client_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Sequence[DiaryEntry]:
    """A client's check-ins in a time range, newest first (default: the actor's own); ``offset``
    skips that many of the newest (a page further back)."""
    client_id = client_id or actor.user_id
    require_client_access(
        db, actor=actor, client_id=client_id, action="list", record_type="diary_entry"
    )
    rows = entries_of(
        db,
        clinic_id=actor.clinic_id,
        client_id=client_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    db.commit()
    return rows


def entries_of(
    db: Session,
    *,
    clinic_id: str,
    client_id: str,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Sequence[DiaryEntry]:
    """The check-ins query itself, newest first (the same time: the later id first, so that
    pages never skip or repeat one); callers have done the access check."""
    query = select(DiaryEntry).where(
        DiaryEntry.clinic_id == clinic_id, DiaryEntry.user_id == client_id
    )
    if since is not None:
        query = query.where(DiaryEntry.recorded_at >= since)
    if until is not None:
        query = query.where(DiaryEntry.recorded_at < until)
    return db.scalars(
        query.order_by(DiaryEntry.recorded_at.desc(), DiaryEntry.id.desc())
        .offset(max(0, offset))
        .limit(max(1, min(limit, MAX_LIST)))
    ).all()


def trend(
    db: Session, *, actor: Actor, client_id: str | None = None, days: int = 90
) -> TrendReadout:
    """The trend read-out over the last ``days`` days: daily and 7-day means, change from the
    first assessment, and the verdict against the 2-point / 30% change that matters."""
    client_id = client_id or actor.user_id
    bookkeeping_only(db)  # its writes: the audit row, a kept read-out (db/read_commits.py)
    require_client_access(db, actor=actor, client_id=client_id, action="read", record_type="trend")
    readout = trend_of(db, clinic_id=actor.clinic_id, client_id=client_id, days=days)
    db.commit()
    return readout


def zone_of(db: Session, *, clinic_id: str, user_id: str) -> tzinfo:
    """The account holder's time zone (UTC when unset): their diary days are days there."""
    name = db.scalar(select(User.time_zone).where(User.clinic_id == clinic_id, User.id == user_id))
    return zone_named(name)


def trend_of(
    db: Session, *, clinic_id: str, client_id: str, days: int, zone: tzinfo | None = None
) -> TrendReadout:
    """The trend query itself; callers have done the access check. Days are calendar days in
    ``zone``, by default the client's own time zone."""
    if zone is None:
        zone = zone_of(db, clinic_id=clinic_id, user_id=client_id)
    return trends_of(db, clinic_id=clinic_id, zones={client_id: zone}, days=days)[client_id]


def trends_of(
    db: Session,
    *,
    clinic_id: str,
    zones: Mapping[str, tzinfo],
    days: int,
    series: bool = True,
    firsts: Mapping[str, datetime | None] | None = None,
) -> dict[str, TrendReadout]:
    """The trend of each client in ``zones`` (client id -> their zone) over the last ``days``
    days: kept read-outs where they still fit, made by :func:`made_trends` where not
    (``services/kept_trends.py``). ``series=False``: without the daily series, only the days
    the follow-up read-out compares (the client list). ``firsts``: as kept_trends takes it."""
    days = max(1, min(days, 3660))
    now = utcnow()
    return kept_trends(
        db,
        clinic_id=clinic_id,
        zones=zones,
        days=days,
        since=now - timedelta(days=days),
        now=now,
        make=made_trends,
        series=series,
        firsts=firsts,
    )


def made_trends(
    db: Session, clinic_id: str, zones: Mapping[str, tzinfo], since: datetime
) -> dict[str, TrendReadout]:
    """The trend of each client in ``zones`` from ``since``, in two queries: the database sums
    each local day; the baseline is each client's first assessment."""
    totals = daily_totals(db, clinic_id=clinic_id, zones=zones, since=since)
    baselines = first_assessment_inputs(db, clinic_id=clinic_id, client_ids=list(zones))
    out = {}
    for client_id, sums in totals.items():
        first = baselines.get(client_id)
        out[client_id] = readout_of(
            series_of(sums),
            baseline_leg=int(first["leg_pain"]) if first else None,
            baseline_back=int(first["back_pain"]) if first else None,
        )
    return out


def first_assessment_inputs(
    db: Session, *, clinic_id: str, client_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Each client's first assessment's answers (the trend's baseline), in one query."""
    return edge_assessments(
        db, clinic_id=clinic_id, client_ids=client_ids, latest=False, what=AssessmentRecord.input
    )


def edge_assessments(
    db: Session, *, clinic_id: str, client_ids: list[str], latest: bool, what: Any
) -> dict[str, Any]:
    """``what`` (a column, the whole record, or a tuple of columns: a tuple of values) of each
    client's first or latest assessment, in one query; a client without one is missing."""
    if not client_ids:
        return {}
    pick = func.max if latest else func.min
    edge = (
        select(AssessmentRecord.user_id, pick(AssessmentRecord.created_at).label("at"))
        .where(AssessmentRecord.clinic_id == clinic_id)
        .where(one_of(AssessmentRecord.user_id, client_ids))
        .group_by(AssessmentRecord.user_id)
        .subquery()
    )
    columns = what if isinstance(what, tuple) else (what,)
    rows = db.execute(
        select(AssessmentRecord.user_id, *columns)
        .join(
            edge,
            (AssessmentRecord.user_id == edge.c.user_id)
            & (AssessmentRecord.created_at == edge.c.at),
        )
        .where(AssessmentRecord.clinic_id == clinic_id)
    ).all()
    if isinstance(what, tuple):
        return {row[0]: tuple(row[1:]) for row in rows}
    return {client_id: value for client_id, value in rows}
