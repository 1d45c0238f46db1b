"""The diary's days, summed by the database: for each client, each calendar day's pain sums
and check-in count, a day being a day in that client's own time zone.

Portable SQL (SQLite and PostgreSQL give the same answer): a check-in's local day number is
``(seconds since 1970 + the zone's UTC offset at that moment) // 86400``. The offset is a CASE
over the zone's offset spans in the queried time range (a zone changes its offset a few times a
year; :func:`offset_spans` finds when), so the database needs no time zone tables. The sums are
integers, so the means computed from them (:func:`domain.diary.series_of`) are exactly those of
:func:`domain.diary.daily_series` over every row, which stays the reference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import pairwise
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from sciatica_care.db.id_lists import one_of
from sciatica_care.db.tables import DiaryEntry, utcnow
from sciatica_care.domain.diary import DayTotals
from sciatica_care.domain.time_bounds import LATEST_FILTER
from sciatica_care.domain.time_zones import local_time

DAY_SECONDS = 86_400
EPOCH_DAY = date(1970, 1, 1)
#: How far past now the offset spans reach (a check-in may be a few minutes ahead of now).
AHEAD = timedelta(days=2)


class epoch_seconds(FunctionElement[int]):
    """Whole seconds since 1970-01-01 UTC of a stored (UTC) timestamp."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_seconds(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


@compiles(epoch_seconds, "sqlite")
def _epoch_seconds_sqlite(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    # SQLite keeps UTC timestamps as text; strftime('%s') reads them as UTC.
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


def _offset(at: datetime, zone: tzinfo) -> int:
    delta = local_time(at, zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def offset_spans(zone: tzinfo, since: datetime, until: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offsets (seconds) from ``since`` to ``until``: (start, offset) pairs, the
    first starting at or before ``since`` (at a UTC midnight), each lasting until the next."""
    return _spans(zone, since.date(), until.date() + timedelta(days=1))


@lru_cache(maxsize=512)
def _spans(zone: tzinfo, first: date, last: date) -> list[tuple[datetime, int]]:
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    spans = [(start, _offset(start, zone))]
    if isinstance(zone, timezone):  # a fixed offset (UTC among them) never changes
        return spans
    end = datetime(last.year, last.month, last.day, tzinfo=UTC)
    day = timedelta(days=1)
    low = start
    while low < end:
        high = low + day
        if _offset(high, zone) != spans[-1][1]:
            # Offsets change on a whole second: halve the day down to it.
            while high - low > timedelta(seconds=1):
                middle = (low + (high - low) // 2).replace(microsecond=0)
                if _offset(middle, zone) == spans[-1][1]:
                    low = middle
                else:
                    high = middle
            spans.append((high, _offset(high, zone)))
        low = high
    return spans


def local_day_number(
    zones: Mapping[str, tzinfo], since: datetime, until: datetime
) -> ColumnElement[int]:
    """SQL for a diary entry's calendar day (days since 1970-01-01) in its keeper's zone;
    ``zones`` maps each client id queried to their zone."""
    by_zone: dict[tzinfo, list[str]] = defaultdict(list)
    for client_id, zone in zones.items():
        by_zone[zone].append(client_id)
    whens: list[tuple[ColumnElement[bool], int]] = []
    for zone, client_ids in by_zone.items():
        spans = offset_spans(zone, since, until)
        who = one_of(DiaryEntry.user_id, client_ids)
        for (_, offset), (end, _) in pairwise(spans):
            whens.append((who & (DiaryEntry.recorded_at < end), offset))
        whens.append((who, spans[-1][1]))
    shift: ColumnElement[int] = (
        literal(whens[0][1], BigInteger) if len(whens) == 1 else case(*whens, else_=0)
    )
    return (epoch_seconds(DiaryEntry.recorded_at) + shift) // DAY_SECONDS


def daily_totals(
    db: Session, *, clinic_id: str, zones: Mapping[str, tzinfo], since: datetime
) -> dict[str, dict[date, DayTotals]]:
    """For each client in ``zones`` (client id -> their zone), each local day's pain sums and
    check-in count from ``since`` on, in one query; a client without check-ins maps to {}."""
    out: dict[str, dict[date, DayTotals]] = {client_id: {} for client_id in zones}
    if not zones:
        return out
    until = max(utcnow(), since) + AHEAD
    entries = (
        select(
            DiaryEntry.user_id.label("user_id"),
            local_day_number(zones, since, until).label("day"),
            DiaryEntry.leg_pain.label("leg"),
            DiaryEntry.back_pain.label("back"),
        )
        .where(DiaryEntry.clinic_id == clinic_id, one_of(DiaryEntry.user_id, zones))
        .where(DiaryEntry.recorded_at >= since, DiaryEntry.recorded_at < LATEST_FILTER)
        .subquery()
    )
    rows = db.execute(
        select(
            entries.c.user_id,
            entries.c.day,
            func.sum(entries.c.leg),
            func.sum(entries.c.back),
            func.count(),
        ).group_by(entries.c.user_id, entries.c.day)
    ).all()
    for client_id, number, leg, back, count in rows:
        out[client_id][EPOCH_DAY + timedelta(days=int(number))] = (int(leg), int(back), count)
    return out
