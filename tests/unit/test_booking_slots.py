"""The slot maths: hours, exceptions, buffers, notice, horizon and daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.domain.booking import (
    BookingRules,
    DayChange,
    Hours,
    Slot,
    free_slots,
    open_hours,
    refusal,
    series_starts,
)

LONDON = ZoneInfo("Europe/London")
SEOUL = ZoneInfo("Asia/Seoul")
MONDAY = date(2026, 6, 1)
NOW = datetime(2026, 5, 25, 8, 0, tzinfo=UTC)  # a week before MONDAY
WEEKDAYS_9_TO_5 = [Hours(d, time(9), time(17)) for d in range(5)]
RULES = BookingRules(session_lengths=(60, 90), buffer_after=15, min_notice_hours=24)


def slots(day: date = MONDAY, **changes: object) -> list[Slot]:
    options: dict[str, object] = {
        "zone": LONDON,
        "hours": WEEKDAYS_9_TO_5,
        "changes": [],
        "rules": RULES,
        "booked": [],
        "length": 60,
        "now": NOW,
        "first_day": day,
        "last_day": day,
    }
    options.update(changes)
    return free_slots(**options)  # type: ignore[arg-type]


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def local_starts(found: list[Slot], zone: ZoneInfo = LONDON) -> list[str]:
    return [s.starts.astimezone(zone).strftime("%H:%M") for s in found]


def test_a_free_day_offers_every_half_hour_that_fits_before_closing() -> None:
    starts = local_starts(slots())
    assert starts[0] == "09:00" and starts[-1] == "16:00" and len(starts) == 15


def test_a_weekend_without_hours_offers_nothing() -> None:
    assert slots(date(2026, 6, 6)) == []


def test_a_length_not_offered_has_no_slots() -> None:
    assert slots(length=45) == []


def test_a_booking_and_its_buffer_take_their_time() -> None:
    booked = [Slot(london(MONDAY, 10), london(MONDAY, 11))]
    starts = local_starts(slots(booked=booked))
    # 09:00 would end at 10:00 + 15 min buffer, overlapping the 10:00 booking; 11:00 starts
    # inside the 15 minutes after it; 11:30 is the first free start after it.
    assert "09:00" not in starts and "10:00" not in starts and "11:00" not in starts
    assert "08:30" not in starts and "11:30" in starts


def test_a_buffer_before_keeps_a_gap_before_each_session() -> None:
    rules = BookingRules(session_lengths=(60,), buffer_before=30, buffer_after=0)
    booked = [Slot(london(MONDAY, 10), london(MONDAY, 11))]
    starts = local_starts(slots(rules=rules, booked=booked))
    assert "11:00" not in starts and "11:30" in starts and "08:30" not in starts


def test_time_off_removes_hours_and_a_whole_day_off_removes_the_day() -> None:
    lunch = DayChange(MONDAY, "off", time(12), time(13))
    starts = local_starts(slots(changes=[lunch]))
    assert "11:30" not in starts and "12:00" not in starts and "13:00" in starts
    assert slots(changes=[DayChange(MONDAY, "off")]) == []


def test_extra_hours_open_a_closed_day() -> None:
    saturday = date(2026, 6, 6)
    extra = DayChange(saturday, "extra", time(10), time(12))
    assert local_starts(slots(saturday, changes=[extra])) == ["10:00", "10:30", "11:00"]


def test_minimum_notice_and_horizon() -> None:
    now = london(MONDAY, 8)
    assert local_starts(slots(now=now)) == []  # all of Monday is within 24 h
    tuesday = MONDAY + timedelta(days=1)
    assert local_starts(slots(tuesday, now=now))[0] == "09:00"
    far = MONDAY + timedelta(days=RULES.horizon_days + 1)
    while far.weekday() > 4:
        far += timedelta(days=1)
    assert slots(far, now=now) == []


def test_a_zone_ahead_of_utc_counts_its_own_days() -> None:
    found = slots(zone=SEOUL)
    assert local_starts(found, SEOUL)[0] == "09:00"
    assert found[0].starts == datetime(2026, 6, 1, 0, 0, tzinfo=UTC)


def test_slots_keep_wall_clock_hours_across_the_clocks_going_forward() -> None:
    before, after = date(2026, 3, 27), date(2026, 3, 30)  # London springs forward 29 March
    now = datetime(2026, 3, 20, tzinfo=UTC)
    assert local_starts(slots(before, now=now))[0] == "09:00"
    assert local_starts(slots(after, now=now))[0] == "09:00"
    assert slots(before, now=now)[0].starts.hour == 9  # GMT
    assert slots(after, now=now)[0].starts.hour == 8  # BST


def test_a_weekly_0900_series_across_daylight_saving_stays_0900_local() -> None:
    first = datetime(2026, 3, 16, 9, 0, tzinfo=LONDON)
    starts = series_starts(first, zone=LONDON, every_weeks=1, count=4)
    assert [s.astimezone(LONDON).strftime("%d %H:%M") for s in starts] == [
        "16 09:00",
        "23 09:00",
        "30 09:00",
        "06 09:00",
    ]
    assert [s.hour for s in starts] == [9, 9, 8, 8]  # UTC moves, wall clock does not


def test_a_fortnightly_series_skips_a_week() -> None:
    first = datetime(2026, 10, 19, 9, 0, tzinfo=LONDON)
    starts = series_starts(first, zone=LONDON, every_weeks=2, count=3)
    assert [s.astimezone(LONDON).date().day for s in starts] == [19, 2, 16]
    assert all(s.astimezone(LONDON).hour == 9 for s in starts)


def test_refusal_names_why_a_slot_cannot_be_booked() -> None:
    args = {"zone": LONDON, "hours": WEEKDAYS_9_TO_5, "changes": [], "rules": RULES}
    ten = Slot(london(MONDAY, 10), london(MONDAY, 11))
    assert refusal(ten, booked=[], now=NOW, **args) is None  # type: ignore[arg-type]
    assert refusal(ten, booked=[ten], now=NOW, **args) == "taken"  # type: ignore[arg-type]
    odd = Slot(ten.starts, ten.starts + timedelta(minutes=45))
    assert refusal(odd, booked=[], now=NOW, **args) == "length_not_offered"  # type: ignore[arg-type]
    late = Slot(london(MONDAY, 16, 30), london(MONDAY, 17, 30))
    assert refusal(late, booked=[], now=NOW, **args) == "outside_hours"  # type: ignore[arg-type]
    soon = london(MONDAY, 9)
    assert refusal(ten, booked=[], now=soon, **args) == "too_soon"  # type: ignore[arg-type]
    assert refusal(ten, booked=[], now=soon, check_notice=False, **args) is None  # type: ignore[arg-type]


def test_open_hours_merge_overlapping_stretches() -> None:
    hours = [Hours(0, time(9), time(12)), Hours(0, time(11), time(14))]
    assert open_hours(MONDAY, hours, []) == [(time(9), time(14))]


@given(
    st.lists(st.integers(min_value=0, max_value=7 * 24 * 4), max_size=12),
    st.sampled_from([60, 90]),
)
def test_no_offered_slot_overlaps_a_booking_or_its_buffers(
    quarters: list[int], length: int
) -> None:
    base = london(MONDAY, 0)
    booked = [
        Slot(base + timedelta(minutes=15 * q), base + timedelta(minutes=15 * q + 60))
        for q in quarters
    ]
    found = free_slots(
        zone=LONDON,
        hours=WEEKDAYS_9_TO_5,
        changes=[],
        rules=RULES,
        booked=booked,
        length=length,
        now=NOW,
        first_day=MONDAY,
        last_day=MONDAY + timedelta(days=6),
    )
    gap = timedelta(minutes=RULES.buffer_after + RULES.buffer_before)
    for slot in found:
        assert slot.ends - slot.starts == timedelta(minutes=length)
        for b in booked:
            assert slot.ends + gap <= b.starts or b.ends + gap <= slot.starts
        common = {"zone": LONDON, "hours": WEEKDAYS_9_TO_5, "changes": [], "rules": RULES}
        assert refusal(slot, booked=booked, now=NOW, **common) is None  # type: ignore[arg-type]
