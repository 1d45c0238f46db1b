"""iCalendar (RFC 5545) documents of bookings: a private feed, or one booking as a file.

The builders are pure: the services map bookings to the plain records below (already worded,
with no health data: "Massage appointment with Alex", the therapist's city) and get back the
bytes of a VCALENDAR.

- Times carry the therapist's zone as ``TZID`` and the calendar has the matching VTIMEZONE, so a
  09:00 London session stays 09:00 in London whatever the viewer's zone or the season.
- A series is one VEVENT with ``RRULE:FREQ=WEEKLY;INTERVAL=n;COUNT=c``; an occurrence that
  was cancelled (or never made) is an ``EXDATE``; one that was moved, or differs from the
  series (tentative, changed), is its own VEVENT with the series' UID and a ``RECURRENCE-ID``.
- Cancelled bookings are left out of feeds: a calendar app that polls a subscription removes an
  event that is gone in every app, whereas ``STATUS:CANCELLED`` is shown as a live event by some
  (Google Calendar's subscriptions). A single downloaded ``.ics`` of a cancelled booking says
  ``STATUS:CANCELLED`` with a higher SEQUENCE, which importing apps apply to the copy they hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from icalendar import Calendar, Event, vRecur

from sciatica_care.domain.time_zones import zone as zone_named

#: Neither names the app: a calendar shared with others must not hint at a health condition.
PRODID = "-//Massage bookings//EN"
UID_DOMAIN = "massage-bookings"
MARGIN = timedelta(days=366)

Status = Literal["CONFIRMED", "TENTATIVE", "CANCELLED"]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One session as a calendar shows it (times UTC, aware)."""

    starts_at: datetime
    ends_at: datetime
    status: Status
    sequence: int
    stamp: datetime
    summary: str
    location: str = ""
    url: str = ""
    #: For an occurrence of a series: the start the series' rule gives it (its RECURRENCE-ID).
    recurrence_id: datetime | None = None


@dataclass(frozen=True, slots=True)
class SeriesEvent:
    """A weekly series: the rule, and the occurrences that differ from it."""

    uid: str
    time_zone: str
    first: Occurrence
    every_weeks: int
    count: int
    excluded: Sequence[datetime] = ()
    changed: Sequence[Occurrence] = ()


@dataclass(frozen=True, slots=True)
class SingleEvent:
    uid: str
    time_zone: str
    occurrence: Occurrence


@dataclass(frozen=True, slots=True)
class CalendarDocument:
    name: str
    events: Sequence[SingleEvent | SeriesEvent] = field(default_factory=tuple)


def uid(kind: str, record_id: str) -> str:
    """A stable UID: the same booking (or series) keeps it across every fetch."""
    return f"{kind}-{record_id}@{UID_DOMAIN}"


def _local(at: datetime, time_zone: str) -> datetime:
    """``at`` on the wall clock of ``time_zone`` (an aware datetime whose tzinfo names it)."""
    return at.astimezone(zone_named(time_zone))


def _event(event_uid: str, time_zone: str, occurrence: Occurrence) -> Event:
    event = Event()
    event.add("uid", event_uid)
    event.add("dtstamp", occurrence.stamp.astimezone(UTC))
    event.add("dtstart", _local(occurrence.starts_at, time_zone))
    event.add("dtend", _local(occurrence.ends_at, time_zone))
    event.add("summary", occurrence.summary)
    event.add("status", occurrence.status)
    event.add("sequence", occurrence.sequence)
    event.add("transp", "OPAQUE")
    if occurrence.location:
        event.add("location", occurrence.location)
    if occurrence.url:
        event.add("url", occurrence.url)
    if occurrence.recurrence_id is not None:
        event.add("recurrence-id", _local(occurrence.recurrence_id, time_zone))
    return event


def _series(series: SeriesEvent) -> list[Event]:
    master = _event(series.uid, series.time_zone, series.first)
    master.add("rrule", vRecur(freq="WEEKLY", interval=series.every_weeks, count=series.count))
    if series.excluded:
        master.add("exdate", [_local(at, series.time_zone) for at in sorted(series.excluded)])
    return [master, *(_event(series.uid, series.time_zone, c) for c in series.changed)]


def calendar(document: CalendarDocument, *, method: str | None = None) -> Calendar:
    """The VCALENDAR of ``document`` with a VTIMEZONE for every zone its events use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", document.name)
    cal.add("name", document.name)
    for item in document.events:
        events: Iterable[Event] = (
            _series(item)
            if isinstance(item, SeriesEvent)
            else [_event(item.uid, item.time_zone, item.occurrence)]
        )
        for event in events:
            cal.add_component(event)
    first, last = _span(document.events)
    cal.add_missing_timezones(first_date=first, last_date=last)
    return cal


def _span(events: Sequence[SingleEvent | SeriesEvent]) -> tuple[date, date]:
    """The days the VTIMEZONEs must cover: the events' span with a year either side (the
    generated zone data then stays small)."""
    starts: list[datetime] = []
    for item in events:
        if isinstance(item, SeriesEvent):
            weeks = timedelta(weeks=item.every_weeks * item.count)
            starts += [item.first.starts_at, item.first.ends_at + weeks]
            starts += [c.ends_at for c in item.changed]
        else:
            starts += [item.occurrence.starts_at, item.occurrence.ends_at]
    if not starts:
        today = datetime.now(UTC).date()
        return today, today + MARGIN
    return min(starts).date() - MARGIN, max(starts).date() + MARGIN


def ics_bytes(document: CalendarDocument, *, method: str | None = None) -> bytes:
    """The calendar as the bytes of a ``text/calendar`` body (CRLF line ends, folded)."""
    body: bytes = calendar(document, method=method).to_ical()
    return body
