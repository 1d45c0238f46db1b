"""A therapist's free slots, as the public sees them: the slot maths over their stored hours,
exceptions, rules and bookings (see services/schedule.py), for one session length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from sciatica_care.db.tables import utcnow
from sciatica_care.domain.booking import Slot, free_slots
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import N_
from sciatica_care.services import schedule
from sciatica_care.services.errors import FieldProblem, InvalidInput

#: The widest span one slot search may cover (the horizon limits it further).
MAX_SEARCH_DAYS = 366
#: Where the next few slots are looked for first.
FIRST_LOOK_DAYS = 14

#: A session length the therapist does not offer.
ONE_OF_LENGTHS = N_("must be one of {offered} minutes")


@dataclass(frozen=True, slots=True)
class FreeSlots:
    """Free slots (UTC) of ``length`` minutes; ``time_zone`` is the therapist's."""

    time_zone: str
    length: int | None
    lengths: tuple[int, ...]
    takes_bookings: bool
    slots: list[Slot]


def free_slots_of(
    db: Session,
    *,
    clinic_id: str,
    therapist_id: str,
    length: int | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> FreeSlots:
    """The therapist's free slots of ``length`` minutes (default: their shortest session)
    between ``first_day`` and ``last_day`` (their zone; default: all within the horizon).
    InvalidInput names ``length`` when it is not offered and ``to`` when the days run
    backwards. Callers have checked that the therapist exists."""
    now = now or utcnow()
    zone_name = schedule.therapist_zone_name(db, clinic_id=clinic_id, therapist_id=therapist_id)
    row = schedule.booking_settings(db, clinic_id=clinic_id, therapist_id=therapist_id)
    if first_day is not None and last_day is not None and last_day < first_day:
        raise InvalidInput([FieldProblem("to", "must be on or after from")])
    if row is None:
        return FreeSlots(zone_name, length, (), False, [])
    rules = schedule.rules_of(row)
    if length is None:
        length = rules.session_lengths[0]
    elif length not in rules.session_lengths:
        offered = ", ".join(str(n) for n in rules.session_lengths)
        raise InvalidInput([FieldProblem("length", ONE_OF_LENGTHS.format(offered=offered))])
    where = zone_named(zone_name)
    first = max(first_day or date.min, local_day(now, where))
    last = min(last_day or date.max, first + timedelta(days=MAX_SEARCH_DAYS))
    ids = {"clinic_id": clinic_id, "therapist_id": therapist_id}
    hours = schedule.weekly_hours(db, **ids)
    # The next few slots are usually within a fortnight: look there before the whole horizon.
    found: list[Slot] = []
    for end in sorted({min(last, first + timedelta(days=FIRST_LOOK_DAYS)), last}):
        if limit is None and end != last:
            continue
        start_at = datetime.combine(first, time(), tzinfo=where)
        end_at = datetime.combine(end + timedelta(days=1), time(), tzinfo=where)
        found = free_slots(
            zone=where,
            hours=hours,
            changes=schedule.day_changes(db, **ids, first=start_at, last=end_at),
            rules=rules,
            booked=schedule.booked_slots(db, **ids, first=start_at, last=end_at, now=now),
            length=length,
            now=now,
            first_day=first,
            last_day=end,
        )
        if limit is not None and len(found) >= limit:
            break
    return FreeSlots(zone_name, length, rules.session_lengths, True, found[:limit])
