"""Time zones: which IANA names an account may choose, and the zone behind a name.

Times are stored in UTC; a person's days and the times they read are in their own zone.
The server never guesses a zone: an account starts in UTC until its holder chooses one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIME_ZONE = "UTC"


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone name the system knows, sorted (UTC among them)."""
    return tuple(sorted(available_timezones() | {DEFAULT_TIME_ZONE}))


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is a known IANA time zone name, e.g. "Europe/London"."""
    return name in _zone_name_set()


@cache
def _zone_name_set() -> frozenset[str]:
    return frozenset(time_zone_names())


def zone(name: str | None) -> tzinfo:
    """The zone behind a name; UTC for None, an empty or an unknown name."""
    if not name or name == DEFAULT_TIME_ZONE or not is_time_zone(name):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_time(at: datetime, where: tzinfo) -> datetime:
    """``at`` as a time in the zone ``where``. Never raises: when that time would fall off the
    calendar (before year 1 or after 9999, e.g. 9999-12-31 23:00 UTC in UTC+14), ``at`` is
    given as it is (stored times are UTC), so any stored value can be shown."""
    try:
        return at.astimezone(where)
    except (OverflowError, ValueError):
        return at


def local_day(at: datetime, where: tzinfo) -> date:
    """The calendar day of ``at`` in the zone ``where`` (never raises, see local_time)."""
    return local_time(at, where).date()
