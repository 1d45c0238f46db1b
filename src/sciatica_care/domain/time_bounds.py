"""How far back and ahead a time someone gives may lie.

No time before 1900; a diary entry or a session that took place no later than a few minutes from
now (clocks drift); a booked next session at most two years ahead. The checks take ``now`` when
the caller has it; the pydantic types below read the clock when they validate.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
#: A time that has happened may be this far ahead of "now" (clocks on phones and tablets drift).
CLOCK_SLACK = timedelta(minutes=5)
#: A next session may be booked at most this far ahead.
BOOKING_HORIZON = timedelta(days=2 * 366)
#: A filter (``since``, ``until``) may reach this far; beyond it nothing is stored anyway.
LATEST_FILTER = datetime(3000, 1, 1, tzinfo=UTC)


def usable(at: datetime) -> bool:
    """Whether a stored time can take part in the day-by-day maths (from 1900 to before 3000).
    A time outside (stored before the bounds, or by hand) is still shown, but counts for
    nothing: a day or a week away from it may not even be on the calendar."""
    return EARLIEST <= at < LATEST_FILTER


def time_problem(value: datetime, *, now: datetime, ahead: timedelta) -> str | None:
    """What is wrong with ``value`` (timezone-aware), or None when it lies from 1900 to
    ``ahead`` after ``now``. Never raises, however far out ``value`` is."""
    if value < EARLIEST:
        return "must not be before 1900"
    if value > now + ahead:
        if ahead <= CLOCK_SLACK:
            return "must not be in the future"
        return f"must be at most {ahead.days // 365} years ahead"
    return None


def _checked(value: datetime, *, ahead: timedelta) -> datetime:
    problem = time_problem(value, now=datetime.now(UTC), ahead=ahead)
    if problem:
        raise ValueError(problem)
    return value.astimezone(UTC)


def _filter_time(value: datetime) -> datetime:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if not EARLIEST <= aware < LATEST_FILTER:
        raise ValueError("must be from 1900 to 2999")
    return aware.astimezone(UTC)


def day_problem(value: date, *, today: date) -> str | None:
    """What is wrong with a day someone gives (the week of a weekly score), or None when it lies
    from 1900 to tomorrow (tomorrow: somewhere it already is)."""
    if value < EARLIEST.date():
        return "must not be before 1900"
    if value > today + timedelta(days=1):
        return "must not be in the future"
    return None


def _checked_day(value: date) -> date:
    problem = day_problem(value, today=datetime.now(UTC).date())
    if problem:
        raise ValueError(problem)
    return value


#: A time that has happened (a check-in, a session): from 1900 to a few minutes from now; in UTC.
PastTime = Annotated[AwareDatetime, AfterValidator(partial(_checked, ahead=CLOCK_SLACK))]
#: A time that is booked: from 1900 to two years from now; in UTC.
BookingTime = Annotated[AwareDatetime, AfterValidator(partial(_checked, ahead=BOOKING_HORIZON))]
#: One end of a time range to list (a time without a zone is UTC): from 1900 to 2999.
FilterTime = Annotated[datetime, AfterValidator(_filter_time)]
#: A day that has come: from 1900 to tomorrow.
PastDay = Annotated[date, AfterValidator(_checked_day)]
