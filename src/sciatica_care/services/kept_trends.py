"""Trend read-outs kept between requests (``db.tables.KeptTrend``): the dashboard and the client
list read a kept read-out instead of summing a year of diary on every view.

A kept read-out is used only while it is exactly what a fresh one would be:
- the person's ``diary_version`` is the one it was made at (every change to their diary moves
  it, in the same transaction: ``db/record_versions.py``);
- their first assessment (the baseline) is the one it was made with;
- the days are counted in the same zone;
- no check-in has left the window since it was made (``valid_until``: the oldest check-in in
  the window, plus the window);
- it was made by the same computation (``MADE_BY``).

The first assessment, then the version (with the kept read-out, in one statement), are read
before the diary, so a read-out is never kept under a newer key than the data it was made
from (at worst under an older one, which the next reader rebuilds). Storing an assessment
writes nothing else: only a first one changes a trend. ``tests/integration/test_kept_trends.py``
checks a kept read-out equals a fresh one after every kind of change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

from sqlalchemy import JSON, ColumnElement, Select, and_, bindparam, func, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import BindParameter

from sciatica_care.db.id_lists import ids_parameter, one_of
from sciatica_care.db.tables import AssessmentRecord, DiaryEntry, KeptTrend, User
from sciatica_care.domain.diary import Change, DayPoint, TrendReadout, describe_change
from sciatica_care.domain.follow_up import settling_days
from sciatica_care.domain.time_bounds import LATEST_FILTER
from sciatica_care.services import held

#: The windows kept (the pages' and the client list's; other windows are made afresh each time,
#: so that an API caller asking for every window cannot store thousands of copies).
KEPT_WINDOWS = frozenset({7, 30, 90, 365, 3660})

#: How read-outs are made: raise it with any change to how a trend is computed (the daily and
#: 7-day means, rounding, the baseline, the change that matters), so that read-outs kept by the
#: earlier code are made again rather than shown.
MADE_BY = 1

MakeTrends = Callable[[Session, str, Mapping[str, tzinfo], datetime], dict[str, TrendReadout]]


def zone_key(zone: tzinfo) -> str:
    """The zone's name as kept (``Europe/London``; ``UTC``)."""
    return str(getattr(zone, "key", None) or zone)


def _day_row(point: DayPoint) -> list[Any]:
    return [
        point.day.toordinal(),
        point.leg,
        point.back,
        point.entries,
        point.leg_7d,
        point.back_7d,
    ]


def _changes(readout: TrendReadout) -> dict[str, Any]:
    return {
        "leg": [readout.leg.baseline, readout.leg.current],
        "back": [readout.back.baseline, readout.back.current],
        "source": readout.baseline_source,
        "made_by": MADE_BY,
        "settling": [_day_row(d) for d in settling_days(readout.days)],
    }


#: The changes said so far, by measure and the ``repr`` of baseline and current (``5`` is not
#: ``5.0``): a change is a value (frozen), and a list of 200 clients says the same ones again on
#: every view until their diaries change. Emptied when it grows past :data:`_SAID_AT_MOST`.
_SAID: dict[tuple[str, str, str], Change] = {}
_SAID_AT_MOST = 4096
held.holds("changes said", _SAID)


def _change(measure: Literal["leg", "back"], baseline: Any, current: Any) -> Change:
    """``describe_change(measure, baseline, current)``, said once for each distinct one."""
    key = (measure, repr(baseline), repr(current))
    said = _SAID.get(key)
    if said is None:
        if len(_SAID) >= _SAID_AT_MOST:
            _SAID.clear()
        said = _SAID[key] = describe_change(measure, baseline, current)
    return said


def _readout(changes: dict[str, Any], series: list[Any] | None) -> TrendReadout:
    """A kept read-out: with every day (``series``), or with only the days the follow-up
    read-out compares (None)."""
    days = changes["settling"] if series is None else series
    day = date.fromordinal
    return TrendReadout(
        # Each as _day_row wrote it (a year is 365 of them: no call per day).
        days=[DayPoint(day(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in days],
        leg=_change("leg", *changes["leg"]),
        back=_change("back", *changes["back"]),
        baseline_source=changes["source"],
    )


#: Read-outs lately made from kept rows, by (account, window): the row's changes and days they
#: were made from, and the read-out. Used again only for a row equal to those (a comparison
#: of the decoded values, some microseconds for a year of days, where making a year's 365 days
#: again cost about 0.3 ms a view). Bounded: the least recently used drops out.
_MADE: held.Kept[tuple[str, int], tuple[dict[str, Any], list[Any], TrendReadout]] = held.Kept(
    "trend read-outs", 64
)


def _readout_kept(
    client_id: str, days: int, changes: dict[str, Any], series: list[Any]
) -> TrendReadout:
    """``_readout(changes, series)``, the same read-out again when the row is unchanged."""
    key = (client_id, days)
    made = _MADE.get(key)
    if made is not None and made[0] == changes and made[1] == series:
        return made[2]
    readout = _readout(changes, series)
    _MADE.put(key, (changes, series, readout))
    return readout


def kept_trends(
    db: Session,
    *,
    clinic_id: str,
    zones: Mapping[str, tzinfo],
    days: int,
    since: datetime,
    now: datetime,
    make: MakeTrends,
    series: bool = True,
    firsts: Mapping[str, datetime | None] | None = None,
) -> dict[str, TrendReadout]:
    """Each client's read-out over the window from ``since``: kept where it still fits, made
    by ``make`` (and kept) where it does not. ``series=False``: read-outs with only the days
    the follow-up read-out compares (the client list), which reads less. ``firsts``: when
    each client's first assessment was made (None or missing: none), when the caller has read
    it already (before the diary, as here)."""
    if days not in KEPT_WINDOWS or not zones:
        return make(db, clinic_id, zones, since)
    ids = list(zones)
    # The trend's baseline is the first assessment: read before the versions and the diary.
    baselines = _baselines(_first_assessments(db, clinic_id, ids) if firsts is None else firsts)
    keys = {"clinic_id": clinic_id, "ids": ids, "days": days}
    # Each account's diary version with its kept read-out (if any), in one statement.
    rows = db.execute(_KEPT if series else _KEPT_BRIEF, keys).all()
    versions = {row[0]: row[1] for row in rows}
    out: dict[str, TrendReadout] = {}
    for client_id, version, kept_at, zone, valid_until, changes, days_kept in rows:
        if (
            changes is not None
            and kept_at == version
            and changes.get("made_by") == MADE_BY
            and changes.get("baseline_at") == baselines.get(client_id)
            and zone == zone_key(zones[client_id])
            and (valid_until is None or now < valid_until)
        ):
            out[client_id] = (
                _readout_kept(client_id, days, changes, days_kept)
                if series
                else _readout(changes, None)
            )
    missing = {c: zones[c] for c in ids if c not in out and c in versions}
    if missing:
        made = make(db, clinic_id, missing, since)
        _keep(db, clinic_id, missing, versions, baselines, days, since, made)
        out.update(made if series else {c: _brief(r) for c, r in made.items()})
    unknown = {c: zones[c] for c in ids if c not in versions}  # no such account: nothing kept
    if unknown:
        out.update(make(db, clinic_id, unknown, since))
    return out


_CLINIC: BindParameter[str] = bindparam("clinic_id")
_IDS = ids_parameter("ids")


def _kept(series: ColumnElement[Any] | InstrumentedAttribute[Any]) -> Select[Any]:
    """Each account's id and diary version, and its kept read-out over ``days`` (the version
    it was made at, its zone, until when it holds, its changes and ``series``; None: none)."""
    return (
        select(
            User.id,
            User.diary_version,
            KeptTrend.diary_version,
            KeptTrend.zone,
            KeptTrend.valid_until,
            KeptTrend.changes,
            series,
        )
        .select_from(User)
        .outerjoin(
            KeptTrend,
            and_(
                KeptTrend.clinic_id == User.clinic_id,
                KeptTrend.user_id == User.id,
                KeptTrend.days == bindparam("days"),
            ),
        )
        .where(User.clinic_id == _CLINIC, one_of(User.id, _IDS))
    )


#: Built once (each view would otherwise build and key them again); the client list reads no
#: series: it stays in the database.
_KEPT = _kept(KeptTrend.series)
_KEPT_BRIEF = _kept(literal(None, JSON))


def _first_assessments(db: Session, clinic_id: str, ids: list[str]) -> dict[str, datetime]:
    """When each client's first assessment (the trend's baseline) was made; none: missing."""
    rows = db.execute(
        select(AssessmentRecord.user_id, func.min(AssessmentRecord.created_at))
        .where(AssessmentRecord.clinic_id == clinic_id, one_of(AssessmentRecord.user_id, ids))
        .group_by(AssessmentRecord.user_id)
    ).all()
    return {client_id: at for client_id, at in rows if at is not None}


def _baselines(firsts: Mapping[str, datetime | None]) -> dict[str, str]:
    """Each first assessment's time as a kept read-out records it (its ``baseline_at``)."""
    return {client_id: at.isoformat() for client_id, at in firsts.items() if at is not None}


def _brief(readout: TrendReadout) -> TrendReadout:
    return replace(readout, days=settling_days(readout.days))


def _keep(
    db: Session,
    clinic_id: str,
    zones: Mapping[str, tzinfo],
    versions: Mapping[str, int],
    firsts: Mapping[str, str],
    days: int,
    since: datetime,
    made: Mapping[str, TrendReadout],
) -> None:
    oldest = dict(
        db.execute(
            select(DiaryEntry.user_id, func.min(DiaryEntry.recorded_at))
            .where(DiaryEntry.clinic_id == clinic_id, one_of(DiaryEntry.user_id, zones))
            .where(DiaryEntry.recorded_at >= since, DiaryEntry.recorded_at < LATEST_FILTER)
            .group_by(DiaryEntry.user_id)
        ).all()
    )
    window = timedelta(days=days)
    # In one order (the client id's): two views keeping overlapping clients in different orders
    # (two therapists' lists) would otherwise lock each other's rows, a deadlock on PostgreSQL.
    rows = [
        {
            "clinic_id": clinic_id,
            "user_id": client_id,
            "days": days,
            "diary_version": versions[client_id],
            "zone": zone_key(zone),
            "valid_until": oldest[client_id] + window if client_id in oldest else None,
            "changes": _changes(made[client_id]) | {"baseline_at": firsts.get(client_id)},
            "series": [_day_row(d) for d in made[client_id].days],
        }
        for client_id, zone in sorted(zones.items())
    ]
    insert = sqlite_insert if db.get_bind().dialect.name == "sqlite" else postgresql_insert
    statement = insert(KeptTrend)
    newer = statement.excluded
    db.execute(
        statement.on_conflict_do_update(
            index_elements=["clinic_id", "user_id", "days"],
            set_={
                "diary_version": newer.diary_version,
                "zone": newer.zone,
                "valid_until": newer.valid_until,
                "changes": newer.changes,
                "series": newer.series,
            },
            # A read-out made at an older version never replaces a newer one.
            where=KeptTrend.diary_version <= newer.diary_version,
        ),
        rows,
    )
