"""Recurring series: preview with conflicts, create all or nothing under one lock, daylight
saving, one session moved or cancelled alone, cancel the rest, confirm all (SQLite and
PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import (
    DEFAULT_CLINIC_ID,
    AvailabilityException,
    Booking,
    BookingSeries,
)
from sciatica_care.services import series, series_changes
from sciatica_care.services.errors import Conflict, InvalidInput, NotFound
from tests.integration.booking_cast import Diary, make_diary, weeks

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
#: Monday 22 March 2027, 09:00 in London (GMT); British Summer Time starts on 28 March.
FIRST = datetime(2027, 3, 22, 9, tzinfo=UTC)
HOURS_2 = timedelta(hours=2)


@pytest.fixture
def diary(database_url: str) -> Iterator[Diary]:
    database = Database(database_url)
    yield make_diary(database)
    database.dispose()


def _count(diary: Diary, model: type[Booking] | type[BookingSeries]) -> int:
    with diary.database.session() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def test_a_weekly_series_stays_at_nine_local_across_the_clock_change(diary: Diary) -> None:
    alice = diary.clients[0]
    first = diary.book(alice, FIRST, now=NOW)
    with diary.database.session() as db:
        made = series.create(db, actor=alice, booking_id=first, every_weeks=1, count=3, now=NOW)
    starts = [s.starts_at for s in made.sessions]
    assert [s.astimezone(LONDON).time() for s in starts] == [time(9)] * 3
    assert [s.astimezone(UTC).hour for s in starts] == [9, 8, 8]  # stored UTC moves
    assert [s.astimezone(LONDON).date() for s in starts] == [
        date(2027, 3, 22),
        date(2027, 3, 29),
        date(2027, 4, 5),
    ]
    assert all(s.status == "confirmed" for s in made.sessions)


def test_conflicts_are_reported_before_anything_is_made(diary: Diary) -> None:
    alice, bob = diary.clients[0], diary.clients[1]
    first = diary.book(alice, FIRST, now=NOW)
    diary.book(bob, FIRST + weeks(2), now=NOW)  # 5 Apr, 10:00 BST
    with diary.database.session() as db:
        db.add(
            AvailabilityException(
                clinic_id=DEFAULT_CLINIC_ID,
                therapist_id=diary.therapist.user_id,
                day=date(2027, 4, 12),
                kind="off",
            )
        )
        db.commit()
    before = _count(diary, Booking)
    with diary.database.session() as db:
        shown = series.preview(db, actor=alice, booking_id=first, every_weeks=1, count=5, now=NOW)
    problems = {o.number: o.problem for o in shown.occurrences}
    # 5 Apr at 09:00 BST is 08:00 UTC, Bob's 09:00 UTC booking overlaps it (plus buffer).
    assert problems == {
        1: None,
        2: None,
        3: "already taken",
        4: "outside the therapist's hours",
        5: None,
    }
    assert _count(diary, Booking) == before and _count(diary, BookingSeries) == 0
    with diary.database.session() as db, pytest.raises(InvalidInput) as refused:
        series.create(db, actor=alice, booking_id=first, every_weeks=1, count=5, now=NOW)
    assert refused.value.problems[0].field == "leave_out"
    assert "session 3 (Mon 5 Apr 2027, 09:00 (Europe/London))" in refused.value.problems[0].message
    assert _count(diary, Booking) == before and _count(diary, BookingSeries) == 0
    with diary.database.session() as db:
        made = series.create(
            db, actor=alice, booking_id=first, every_weeks=1, count=5, leave_out=[3, 4], now=NOW
        )
    assert [s.starts_at.astimezone(LONDON).day for s in made.sessions] == [22, 29, 19]
    assert _count(diary, Booking) == before + 2


def test_a_session_taken_after_the_preview_refuses_the_whole_series(diary: Diary) -> None:
    alice, bob = diary.clients[0], diary.clients[1]
    first = diary.book(alice, FIRST, now=NOW)
    with diary.database.session() as db:
        shown = series.preview(db, actor=alice, booking_id=first, every_weeks=2, count=4, now=NOW)
    assert not shown.conflicts
    diary.book(bob, shown.occurrences[3].starts_at, now=NOW)
    with diary.database.session() as db, pytest.raises(InvalidInput) as refused:
        series.create(db, actor=alice, booking_id=first, every_weeks=2, count=4, now=NOW)
    assert "session 4" in str(refused.value)
    assert _count(diary, BookingSeries) == 0 and _count(diary, Booking) == 2
    assert diary.booking(first).series_id is None


def test_one_session_moves_or_cancels_alone_and_the_rest_can_be_cancelled(diary: Diary) -> None:
    alice = diary.clients[0]
    first = diary.book(alice, FIRST, now=NOW)
    with diary.database.session() as db:
        made = series.create(db, actor=alice, booking_id=first, every_weeks=1, count=5, now=NOW)
    ids = [s.booking_id for s in made.sessions]
    diary.cancel(ids[1] or "", now=NOW)
    with diary.database.session() as db:  # a move, as CORE makes it: one booking's time
        moved = db.get(Booking, (DEFAULT_CLINIC_ID, ids[2]))
        assert moved is not None
        moved.starts_at, moved.ends_at = moved.starts_at + HOURS_2, moved.ends_at + HOURS_2
        db.commit()
    with diary.database.session() as db:
        shown = series.view(db, actor=diary.therapist, series_id=made.id)
        place = series.place_in_series(db, db.get(Booking, (DEFAULT_CLINIC_ID, ids[3])))  # type: ignore[arg-type]
    assert [s.booking_id for s in shown.sessions] == [ids[0], ids[2], ids[3], ids[4]]
    assert [s.status for s in shown.sessions] == ["confirmed"] * 4
    assert place == (3, 4)  # "session 3 of 4"
    after_first = FIRST + weeks(1)
    with diary.database.session() as db:
        rest = series_changes.cancel_rest(db, actor=alice, series_id=made.id, now=after_first)
    assert [s.booking_id for s in rest.sessions] == [ids[0]]
    assert rest.cancelled_at is not None
    with diary.database.session() as db, pytest.raises(Conflict):
        series_changes.cancel_rest(db, actor=alice, series_id=made.id, now=after_first)


def test_a_requested_series_is_confirmed_at_once_by_its_therapist(diary: Diary) -> None:
    alice, bob = diary.clients[0], diary.clients[1]
    first = diary.book(alice, FIRST, now=NOW, status="requested")
    with diary.database.session() as db:
        made = series.create(db, actor=alice, booking_id=first, every_weeks=1, count=4, now=NOW)
    assert made.requested == 4
    with diary.database.session() as db, pytest.raises(NotFound):
        series_changes.confirm_requested(db, actor=alice, series_id=made.id, now=NOW)
    with diary.database.session() as db, pytest.raises(NotFound):
        series.view(db, actor=bob, series_id=made.id)
    with diary.database.session() as db:
        done = series_changes.confirm_requested(
            db, actor=diary.therapist, series_id=made.id, now=NOW
        )
    assert done.requested == 0 and [s.status for s in done.sessions] == ["confirmed"] * 4


def test_series_shape_and_other_peoples_bookings_are_refused(diary: Diary) -> None:
    alice, bob = diary.clients[0], diary.clients[1]
    first = diary.book(alice, FIRST, now=NOW)
    with diary.database.session() as db, pytest.raises(InvalidInput) as refused:
        series.preview(db, actor=alice, booking_id=first, every_weeks=9, count=40, now=NOW)
    assert {p.field for p in refused.value.problems} == {"count", "every_weeks"}
    with diary.database.session() as db, pytest.raises(NotFound):
        series.preview(db, actor=bob, booking_id=first, every_weeks=1, count=3, now=NOW)
    with diary.database.session() as db, pytest.raises(InvalidInput) as refused:
        series.create(
            db, actor=alice, booking_id=first, every_weeks=1, count=3, leave_out=[2, 3], now=NOW
        )
    assert refused.value.problems[0].field == "leave_out"
