"""The booking lifecycle table: what each party may do, when; the cancellation window; and how
a booking's time reads in the viewer's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sciatica_care.domain.booking_lifecycle import (
    ACTIONS_OF,
    BookingState,
    allowed_actions,
    cancelled_late,
    inside_window,
)
from sciatica_care.web.pages.booking import slot_when

START = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
LONG_BEFORE = START - timedelta(days=3)
SHORTLY_BEFORE = START - timedelta(hours=3)
AFTER = START + timedelta(hours=2)


def actions(status: str, party: str, now: datetime, **state: object) -> tuple[str, ...]:
    booking = BookingState(status=status, starts_at=START, **state)  # type: ignore[arg-type]
    return allowed_actions(booking, party=party, now=now, window_hours=24)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "party", "now", "expected"),
    [
        ("requested", "client", LONG_BEFORE, ("reschedule", "cancel")),
        (
            "requested",
            "therapist",
            LONG_BEFORE,
            ("confirm", "decline", "propose", "reschedule", "cancel"),
        ),
        ("proposed", "client", LONG_BEFORE, ("accept", "decline", "cancel")),
        ("proposed", "therapist", LONG_BEFORE, ("propose", "cancel")),
        ("confirmed", "client", LONG_BEFORE, ("reschedule", "cancel")),
        ("confirmed", "therapist", LONG_BEFORE, ("reschedule", "cancel")),
        ("confirmed", "therapist", SHORTLY_BEFORE, ("reschedule", "cancel", "late_cancelled")),
        ("confirmed", "client", AFTER, ()),
        ("confirmed", "therapist", AFTER, ("no_show", "completed")),
        ("no_show", "therapist", AFTER, ("completed",)),
        ("completed", "therapist", AFTER, ("no_show",)),
        ("declined", "therapist", LONG_BEFORE, ()),
        ("late_cancelled", "therapist", AFTER, ()),
        ("held", "client", LONG_BEFORE, ()),  # a waitlist offer is answered on its own page
    ],
)
def test_who_may_do_what_when(
    status: str, party: str, now: datetime, expected: tuple[str, ...]
) -> None:
    found = actions(status, party, now)
    assert found == expected
    assert set(found) <= ACTIONS_OF[party]  # type: ignore[index]


def test_the_window_and_a_late_cancellation() -> None:
    assert inside_window(START, now=SHORTLY_BEFORE, window_hours=24)
    assert not inside_window(START, now=LONG_BEFORE, window_hours=24)
    assert not inside_window(START, now=AFTER, window_hours=24)
    assert not inside_window(START, now=SHORTLY_BEFORE, window_hours=0)
    late = BookingState("cancelled", START, cancelled_at=SHORTLY_BEFORE, cancelled_by="client")
    early = BookingState("cancelled", START, cancelled_at=LONG_BEFORE, cancelled_by="client")
    by_therapist = BookingState("cancelled", START, SHORTLY_BEFORE, "therapist")
    assert cancelled_late(late, window_hours=24)
    assert not cancelled_late(early, window_hours=24)
    assert not cancelled_late(by_therapist, window_hours=24)
    assert allowed_actions(late, party="therapist", now=AFTER, window_hours=24) == (
        "late_cancelled",
    )
    assert allowed_actions(early, party="therapist", now=AFTER, window_hours=24) == ()


def test_a_time_reads_in_the_viewers_zone_with_the_zone_named() -> None:
    assert slot_when(START, "Europe/London", year_of=START) == "Tue 2 Jun, 10:00 (Europe/London)"
    assert slot_when(START, "Asia/Tokyo", year_of=START) == "Tue 2 Jun, 18:00 (Asia/Tokyo)"
    winter = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
    assert (
        slot_when(winter, "Europe/London", year_of=START) == "Tue 5 Jan 2027, 09:00 (Europe/London)"
    )
