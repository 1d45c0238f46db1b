"""The database's day sums equal the Python reference (``domain.diary.daily_series`` over every
row), on SQLite and PostgreSQL, for clients in different time zones (a person's day is a day in
their own zone, across daylight-saving changes) and with days that have no check-in (missing,
not 0)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, AssessmentRecord, DiaryEntry, User, new_id
from sciatica_care.domain.diary import PainPoint, day_totals, trend_readout
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.services.diary import trends_of
from sciatica_care.services.diary_days import daily_totals, offset_spans

ZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a half-hour daylight-saving change
    "Asia/Kathmandu",  # +05:45
    "America/St_Johns",  # -03:30 / -02:30
    "Pacific/Kiritimati",  # +14
    "Pacific/Pago_Pago",  # -11
)
DAYS = 90
NOW = datetime.now(UTC).replace(microsecond=0)
SINCE = NOW - timedelta(days=DAYS)


def _transitions(name: str) -> list[datetime]:
    spans = offset_spans(zone_named(name), NOW - timedelta(days=DAYS + 30), NOW)
    return [start for start, _ in spans[1:]]


@st.composite
def check_in_time(draw: st.DrawFn, name: str) -> datetime:
    """A time in the last 120 days (or a few minutes ahead), often close to a midnight or a
    daylight-saving change in the zone; never within an hour of the window's start (the
    window is measured from "now", which moves between the two computations)."""
    near = _transitions(name)
    if near and draw(st.booleans()):
        return draw(st.sampled_from(near)) + timedelta(seconds=draw(st.integers(-90, 90)))
    if draw(st.booleans()):
        local_midnight = (NOW - timedelta(days=draw(st.integers(0, 80)))).astimezone(
            zone_named(name)
        )
        at = local_midnight.replace(hour=0, minute=0, second=0).astimezone(UTC)
        return at + timedelta(seconds=draw(st.integers(-5, 5)))
    age = draw(st.integers(-300, 120 * 86_400))
    if abs(age - DAYS * 86_400) < 3600:
        age += 7200
    return NOW - timedelta(seconds=age, microseconds=draw(st.integers(0, 999_999)))


@st.composite
def client(draw: st.DrawFn) -> tuple[str, list[PainPoint]]:
    name = draw(st.sampled_from(ZONES))
    pain = st.integers(0, 10)
    points = draw(st.lists(st.builds(PainPoint, check_in_time(name), pain, pain), max_size=25))
    return name, points


def _store(db: Database, clients: list[tuple[str, list[PainPoint]]]) -> list[str]:
    ids = [new_id() for _ in clients]
    with db.session() as session:
        session.execute(delete(DiaryEntry))
        session.execute(delete(AssessmentRecord))
        for user_id, (name, points) in zip(ids, clients, strict=True):
            session.add(
                User(
                    clinic_id=DEFAULT_CLINIC_ID,
                    id=user_id,
                    email=f"{user_id}@example.org",
                    password_hash="x",
                    role="client",
                    time_zone=name,
                )
            )
            session.flush()
            rows = [
                {
                    "clinic_id": DEFAULT_CLINIC_ID,
                    "id": new_id(),
                    "user_id": user_id,
                    "recorded_at": p.at,
                    "leg_pain": p.leg,
                    "back_pain": p.back,
                }
                for p in points
            ]
            if rows:
                session.execute(insert(DiaryEntry), rows)
        session.commit()
    return ids


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(clients=st.lists(client(), min_size=1, max_size=4))
@example(clients=[("Europe/London", [])])
@example(
    clients=[
        ("America/New_York", [PainPoint(datetime(2026, 3, 11, 3, 30, tzinfo=UTC), 8, 4)]),
        ("UTC", [PainPoint(datetime(2026, 3, 11, 3, 30, tzinfo=UTC), 2, 1)]),
    ]
)
def test_the_database_sums_the_same_local_days_as_python(
    database: Database, clients: list[tuple[str, list[PainPoint]]]
) -> None:
    ids = _store(database, clients)
    zones: dict[str, tzinfo] = {
        user_id: zone_named(name) for user_id, (name, _) in zip(ids, clients, strict=True)
    }
    since = NOW - timedelta(days=400)
    with database.session() as db:
        summed = daily_totals(db, clinic_id=DEFAULT_CLINIC_ID, zones=zones, since=since)
        trends = trends_of(db, clinic_id=DEFAULT_CLINIC_ID, zones=zones, days=DAYS)
    for user_id, (_, points) in zip(ids, clients, strict=True):
        zone = zones[user_id]
        assert summed[user_id] == day_totals([p for p in points if p.at >= since], zone=zone)
        # Days without a check-in are missing, not 0: every day summed has a check-in.
        assert all(count > 0 for _, _, count in summed[user_id].values())
        recent = [p for p in points if p.at >= SINCE]
        reference = trend_readout(recent, baseline_leg=None, baseline_back=None, zone=zone)
        assert trends[user_id] == reference


def test_a_zone_s_offset_spans_follow_its_daylight_saving_changes() -> None:
    new_york = ZoneInfo("America/New_York")
    spans = offset_spans(
        new_york, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    )
    assert spans == [
        (datetime(2026, 1, 1, tzinfo=UTC), -5 * 3600),
        (datetime(2026, 3, 8, 7, tzinfo=UTC), -4 * 3600),
        (datetime(2026, 11, 1, 6, tzinfo=UTC), -5 * 3600),
    ]
    in_utc = offset_spans(
        UTC, datetime(2026, 1, 1, 9, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    )
    assert in_utc == [(datetime(2026, 1, 1, tzinfo=UTC), 0)]
