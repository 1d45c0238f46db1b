"""The iCalendar documents of bookings, read back with icalendar and expanded with
recurring-ical-events: zones, series across daylight saving, cancelled and moved occurrences."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from sciatica_care.domain.booking import series_starts
from sciatica_care.reports import ics

LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def occurrence(starts: datetime, **changes: object) -> ics.Occurrence:
    values: dict[str, object] = {
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "status": "CONFIRMED",
        "sequence": 0,
        "stamp": STAMP,
        "summary": "Massage appointment with Alex",
        "location": "Cardiff",
    }
    values.update(changes)
    return ics.Occurrence(**values)  # type: ignore[arg-type]


def weekly_london(count: int = 6) -> list[datetime]:
    """Weekly 09:00 London sessions from 9 March 2026 (the clocks go forward on 29 March)."""
    first = datetime(2026, 3, 9, 9, 0, tzinfo=LONDON).astimezone(UTC)
    return series_starts(first, zone=LONDON, every_weeks=1, count=count)


def parse(document: ics.CalendarDocument) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(ics.ics_bytes(document))


def expand(cal: icalendar.Calendar) -> list[icalendar.Event]:
    found = recurring_ical_events.of(cal).between(date(2026, 1, 1), date(2027, 1, 1))
    return sorted(found, key=lambda e: e["DTSTART"].dt)


def test_a_weekly_0900_london_series_stays_0900_local_across_the_march_change() -> None:
    starts = weekly_london()
    series = ics.SeriesEvent(
        "series-1@massage-bookings", "Europe/London", occurrence(starts[0]), 1, 6
    )
    cal = parse(ics.CalendarDocument("Massage appointments", [series]))
    events = expand(cal)
    assert len(events) == 6
    assert [e["DTSTART"].dt.astimezone(LONDON).time() for e in events] == [time(9, 0)] * 6
    # In UTC the sessions move an hour earlier after 29 March: 09:00 GMT, then 08:00 UTC (BST).
    utc_hours = [e["DTSTART"].dt.astimezone(UTC).hour for e in events]
    assert utc_hours == [9, 9, 9, 8, 8, 8]
    master = next(c for c in cal.walk("VEVENT"))
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and master["RRULE"]["COUNT"] == [6]
    assert master["DTSTART"].params["TZID"] == "Europe/London"


def test_the_calendar_carries_a_vtimezone_for_the_zone_it_uses() -> None:
    starts = weekly_london(1)
    single = ics.SingleEvent("booking-1@massage-bookings", "Europe/London", occurrence(starts[0]))
    cal = parse(ics.CalendarDocument("Massage", [single]))
    zones = [tz["TZID"] for tz in cal.walk("VTIMEZONE")]
    assert zones == ["Europe/London"]
    kinds = {c.name for c in cal.walk("VTIMEZONE")[0].subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}
    event = cal.walk("VEVENT")[0]
    assert event["UID"] == "booking-1@massage-bookings"
    assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
    assert event["DTSTAMP"].dt == STAMP
    assert event["DTSTART"].dt == datetime(2026, 3, 9, 9, 0, tzinfo=LONDON)


def test_a_cancelled_occurrence_is_an_exdate_and_a_moved_one_an_override() -> None:
    starts = weekly_london()
    moved = occurrence(
        starts[4] + timedelta(hours=2), status="TENTATIVE", sequence=1, recurrence_id=starts[4]
    )
    series = ics.SeriesEvent(
        "series-1@massage-bookings",
        "Europe/London",
        occurrence(starts[0]),
        1,
        6,
        excluded=[starts[1]],
        changed=[moved],
    )
    cal = parse(ics.CalendarDocument("Massage", [series]))
    events = expand(cal)
    local = [e["DTSTART"].dt.astimezone(LONDON) for e in events]
    assert len(events) == 5
    assert datetime(2026, 3, 16, 9, 0, tzinfo=LONDON) not in local  # cancelled
    assert datetime(2026, 4, 6, 11, 0, tzinfo=LONDON) in local  # moved from 09:00 to 11:00
    override = next(e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e)
    assert override["RECURRENCE-ID"].dt == datetime(2026, 4, 6, 9, 0, tzinfo=LONDON)
    assert override["STATUS"] == "TENTATIVE" and override["SEQUENCE"] == 1
    assert override["UID"] == "series-1@massage-bookings"


def test_every_other_week_is_interval_two() -> None:
    first = datetime(2026, 10, 5, 17, 30, tzinfo=LONDON).astimezone(UTC)
    series = ics.SeriesEvent("s@x", "Europe/London", occurrence(first), 2, 4)
    events = expand(parse(ics.CalendarDocument("Massage", [series])))
    days = [e["DTSTART"].dt.astimezone(LONDON) for e in events]
    assert [d.date() for d in days] == [
        date(2026, 10, 5),
        date(2026, 10, 19),
        date(2026, 11, 2),  # after the October change: still 17:30 local
        date(2026, 11, 16),
    ]
    assert {d.time() for d in days} == {time(17, 30)}


def test_an_empty_calendar_is_still_valid() -> None:
    cal = parse(ics.CalendarDocument("Massage sessions"))
    assert cal["X-WR-CALNAME"] == "Massage sessions"
    assert list(cal.walk("VEVENT")) == []
