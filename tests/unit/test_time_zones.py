"""Time zones: a person's diary days are days where they live, and times are shown there."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sciatica_care.domain.diary import PainPoint, daily_series, trend_readout
from sciatica_care.domain.learning import DiaryPain, SessionOutcome, what_helped
from sciatica_care.domain.time_zones import is_time_zone, time_zone_names, zone
from sciatica_care.web.templating import when

NEW_YORK = ZoneInfo("America/New_York")
# 23:30 on 10 March in New York is 03:30 UTC on 11 March (daylight saving time started on 8 March).
LATE_EVENING = datetime(2026, 3, 10, 23, 30, tzinfo=NEW_YORK).astimezone(UTC)


def test_a_late_evening_check_in_counts_for_the_local_day_not_the_utc_day() -> None:
    assert LATE_EVENING.date() == date(2026, 3, 11)
    points = [PainPoint(LATE_EVENING, 8, 4), PainPoint(datetime(2026, 3, 10, 14, tzinfo=UTC), 4, 2)]
    in_new_york = daily_series(points, zone=NEW_YORK)
    assert [(d.day, d.leg, d.entries) for d in in_new_york] == [(date(2026, 3, 10), 6.0, 2)]
    in_utc = daily_series(points)
    assert [d.day for d in in_utc] == [date(2026, 3, 10), date(2026, 3, 11)]


def test_the_trend_read_out_groups_days_in_the_zone_it_is_given() -> None:
    readout = trend_readout(
        [PainPoint(LATE_EVENING, 8, 4)], baseline_leg=8, baseline_back=4, zone=NEW_YORK
    )
    assert readout.days[0].day == date(2026, 3, 10)


def test_the_next_day_after_a_session_is_the_next_local_day() -> None:
    session_at = datetime(2026, 3, 9, 18, tzinfo=NEW_YORK)
    sessions = [SessionOutcome(session_at, ["myofascial_release"], 7, 5, 4, 3) for _ in range(3)]
    diary = [DiaryPain(recorded_at=LATE_EVENING, leg=3, back=2)]
    local = what_helped(sessions, diary, zone=NEW_YORK).techniques[0]
    utc = what_helped(sessions, diary).techniques[0]
    assert local.leg_next_day.sessions == 3 and local.leg_next_day.mean_change == -4.0
    assert utc.leg_next_day.sessions == 0


def test_only_iana_names_are_time_zones_and_an_unknown_one_falls_back_to_utc() -> None:
    assert is_time_zone("Europe/London") and is_time_zone("UTC")
    assert not is_time_zone("Mars/Olympus") and not is_time_zone("")
    assert list(time_zone_names()) == sorted(time_zone_names())
    assert zone("Mars/Olympus") is UTC and zone(None) is UTC


def test_times_are_shown_in_the_zone_asked_for_and_dates_as_they_are() -> None:
    assert when(LATE_EVENING) == "11 Mar 2026, 03:30"
    assert when(LATE_EVENING, "America/New_York") == "10 Mar 2026, 23:30"
    assert when(LATE_EVENING, NEW_YORK) == "10 Mar 2026, 23:30"
    assert when(date(2026, 3, 10), "Asia/Tokyo") == "10 Mar 2026"
    assert when(None, "Europe/London") == ""
