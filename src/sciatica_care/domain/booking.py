"""Slot maths for booking: when a therapist is free, in their own time zone.

Working hours and exceptions are wall-clock times in the therapist's IANA zone; bookings and
slots are absolute times (UTC). A slot is offered when
- it lies inside the day's open hours (weekly hours, minus time off, plus extra hours);
- it starts no sooner than the minimum notice and no later than the booking horizon;
- its occupancy (the session with the buffer before and after it) does not overlap the
  occupancy of a booking already in the diary. Two sessions are therefore at least
  ``buffer_after + buffer_before`` minutes apart; buffers may lie outside working hours.
Slots start on a grid of ``slot_step`` minutes from the start of each open stretch, counted in
wall-clock time, so a 09:00 slot stays 09:00 across a daylight-saving change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

Refusal = Literal["length_not_offered", "too_soon", "too_far", "outside_hours", "taken"]


@dataclass(frozen=True)
class Hours:
    """Open from ``starts`` to ``ends`` (wall clock) every ``weekday`` (0 = Monday)."""

    weekday: int
    starts: time
    ends: time


@dataclass(frozen=True)
class DayChange:
    """One day's exception: ``off`` (the whole day when ``starts`` is None) or ``extra``."""

    day: date
    kind: Literal["off", "extra"]
    starts: time | None = None
    ends: time | None = None


@dataclass(frozen=True)
class BookingRules:
    """A therapist's booking rules (minutes unless named otherwise)."""

    session_lengths: tuple[int, ...] = (60,)
    buffer_before: int = 0
    buffer_after: int = 15
    min_notice_hours: int = 24
    horizon_days: int = 60
    slot_step: int = 30


@dataclass(frozen=True, order=True)
class Slot:
    """An absolute span of time (UTC, timezone-aware)."""

    starts: datetime
    ends: datetime


def _at(day: date, clock: time, zone: tzinfo) -> datetime:
    """``clock`` on ``day`` in ``zone`` as UTC. A time that does not exist (skipped by a
    daylight-saving change) is read with the offset before the change, i.e. moved later."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def _merge(spans: Iterable[tuple[time, time]]) -> list[tuple[time, time]]:
    merged: list[tuple[time, time]] = []
    for starts, ends in sorted(s for s in spans if s[0] < s[1]):
        if merged and starts <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
        else:
            merged.append((starts, ends))
    return merged


def _subtract(spans: list[tuple[time, time]], cut: tuple[time, time]) -> list[tuple[time, time]]:
    kept: list[tuple[time, time]] = []
    for starts, ends in spans:
        if cut[1] <= starts or cut[0] >= ends:
            kept.append((starts, ends))
            continue
        if starts < cut[0]:
            kept.append((starts, cut[0]))
        if cut[1] < ends:
            kept.append((cut[1], ends))
    return kept


def open_hours(
    day: date, hours: Sequence[Hours], changes: Sequence[DayChange]
) -> list[tuple[time, time]]:
    """The wall-clock stretches open on ``day``: weekly hours, plus extra, minus time off."""
    todays = [c for c in changes if c.day == day]
    spans = [(h.starts, h.ends) for h in hours if h.weekday == day.weekday()]
    spans += [(c.starts, c.ends) for c in todays if c.kind == "extra" and c.starts and c.ends]
    merged = _merge(spans)
    for change in todays:
        if change.kind != "off":
            continue
        if change.starts is None or change.ends is None:
            return []
        merged = _subtract(merged, (change.starts, change.ends))
    return merged


def occupancy(slot: Slot, rules: BookingRules) -> Slot:
    """The time a session takes from the diary: the session with its buffers."""
    return Slot(
        slot.starts - timedelta(minutes=rules.buffer_before),
        slot.ends + timedelta(minutes=rules.buffer_after),
    )


class Diary:
    """The therapist's booked time (occupancies, sorted) for fast overlap checks."""

    def __init__(self, booked: Iterable[Slot], rules: BookingRules) -> None:
        spans = sorted(occupancy(b, rules) for b in booked)
        self.starts = [s.starts for s in spans]
        self.spans = spans
        self.rules = rules
        # The longest occupancy bounds how far back an overlapping span can start.
        self.longest = max((s.ends - s.starts for s in spans), default=timedelta(0))

    def clashes(self, slot: Slot) -> list[Slot]:
        """The booked occupancies that overlap ``slot``'s occupancy (touching is allowed)."""
        wanted = occupancy(slot, self.rules)
        first = bisect_left(self.starts, wanted.starts - self.longest)
        found = []
        for span in self.spans[first:]:
            if span.starts >= wanted.ends:
                break
            if span.ends > wanted.starts:
                found.append(span)
        return found


def _window(now: datetime, rules: BookingRules) -> tuple[datetime, datetime]:
    return (
        now + timedelta(hours=rules.min_notice_hours),
        now + timedelta(days=rules.horizon_days),
    )


def free_slots(
    *,
    zone: tzinfo,
    hours: Sequence[Hours],
    changes: Sequence[DayChange],
    rules: BookingRules,
    booked: Iterable[Slot],
    length: int,
    now: datetime,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[Slot]:
    """Every slot of ``length`` minutes a client may book, soonest first (UTC).

    ``first_day``/``last_day`` (in the therapist's zone) narrow the search; the notice and the
    horizon always apply. A length the therapist does not offer has no slots.
    """
    if length not in rules.session_lengths:
        return []
    earliest, latest = _window(now, rules)
    diary = Diary(booked, rules)
    day = max(first_day or date.min, earliest.astimezone(zone).date())
    end_day = min(last_day or date.max, latest.astimezone(zone).date())
    step, span = timedelta(minutes=rules.slot_step), timedelta(minutes=length)
    slots: list[Slot] = []
    while day <= end_day:
        for opens, closes in open_hours(day, hours, changes):
            close_at = _at(day, closes, zone)
            local = datetime.combine(day, opens)
            while local.date() == day and local.time() < closes:
                starts = _at(day, local.time(), zone)
                slot = Slot(starts, starts + span)
                if slot.ends > close_at:
                    break
                if earliest <= starts <= latest and not diary.clashes(slot):
                    slots.append(slot)
                local += step
        day += timedelta(days=1)
    return sorted(set(slots))


def refusal(
    slot: Slot,
    *,
    zone: tzinfo,
    hours: Sequence[Hours],
    changes: Sequence[DayChange],
    rules: BookingRules,
    booked: Iterable[Slot],
    now: datetime,
    check_notice: bool = True,
) -> Refusal | None:
    """Why ``slot`` cannot be booked, or None when it can. The therapist themself may book
    inside the notice period (``check_notice=False``); the other rules always apply."""
    length = round((slot.ends - slot.starts).total_seconds() / 60)
    if length not in rules.session_lengths:
        return "length_not_offered"
    earliest, latest = _window(now, rules)
    if check_notice and slot.starts < earliest:
        return "too_soon"
    if slot.starts < now:
        return "too_soon"
    if slot.starts > latest:
        return "too_far"
    day = slot.starts.astimezone(zone).date()
    inside = any(
        _at(day, opens, zone) <= slot.starts and slot.ends <= _at(day, closes, zone)
        for opens, closes in open_hours(day, hours, changes)
    )
    if not inside:
        return "outside_hours"
    if Diary(booked, rules).clashes(slot):
        return "taken"
    return None


def series_starts(first: datetime, *, zone: tzinfo, every_weeks: int, count: int) -> list[datetime]:
    """The starts (UTC) of ``count`` sessions every ``every_weeks`` weeks from ``first``, at the
    same wall-clock time in ``zone``: a weekly 09:00 stays 09:00 across daylight saving."""
    wall = first.astimezone(zone).replace(tzinfo=None)
    return [
        (wall + timedelta(weeks=k * every_weeks)).replace(tzinfo=zone).astimezone(UTC)
        for k in range(count)
    ]
