"""Kept trend read-outs (``services/kept_trends.py``) are exactly fresh ones: after each kind of
change to the diary or the assessments, a change of zone, and when a check-in leaves the
window, on SQLite and PostgreSQL. And they are kept: a second view makes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from threading import Thread

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DiaryEntry, KeptTrend, User, new_id, utcnow
from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.diary import DiaryChanges, DiaryInput, TrendReadout
from sciatica_care.domain.follow_up import settling_details
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.services import diary
from sciatica_care.services import kept_trends as kept_trends_module
from sciatica_care.services.accounts import actor_for, create_user, set_time_zone
from sciatica_care.services.assessments import run_assessment
from sciatica_care.services.erase import erase_account
from sciatica_care.services.kept_trends import MakeTrends, kept_trends

ANSWERS = {"age": 44, "back_pain": 4, "leg_pain": 6, "side": "left", "areas": ["buttock"]}
ANSWERS |= {"duration_weeks": 6, "seen_clinician": True}


def _client(db: Session, zone: str = "Europe/London") -> User:
    user = create_user(db, email=f"{new_id()}@example.org", password="a long password 123")
    user.time_zone = zone
    db.commit()
    return user


def _check_ins(db: Session, user: User, days: int, hours: tuple[int, ...] = (8, 20)) -> None:
    actor = actor_for(user)
    now = utcnow()
    for day in range(days):
        for hour in hours:
            at = now - timedelta(days=day, hours=hour)
            entry = DiaryInput(recorded_at=at, leg_pain=(day + hour) % 11, back_pain=day % 7)
            diary.record_entry(db, actor=actor, entry=entry)
    db.commit()


def _fresh(db: Session, user: User, days: int = 90) -> TrendReadout:
    zone = zone_named(db.scalar(select(User.time_zone).where(User.id == user.id)))
    since = utcnow() - timedelta(days=days)
    return diary.made_trends(db, user.clinic_id, {user.id: zone}, since)[user.id]


def _kept(db: Session, user: User, days: int = 90) -> TrendReadout:
    zone = diary.zone_of(db, clinic_id=user.clinic_id, user_id=user.id)
    return diary.trends_of(db, clinic_id=user.clinic_id, zones={user.id: zone}, days=days)[user.id]


def _same(kept: TrendReadout, fresh: TrendReadout) -> None:
    assert kept == fresh
    assert kept.days, "a read-out with days"


def test_a_kept_read_out_is_a_fresh_one_after_every_kind_of_change(database: Database) -> None:
    with database.session() as db:
        user = _client(db)
        actor = actor_for(user)
        _check_ins(db, user, 40)
        _same(_kept(db, user), _fresh(db, user))
        db.commit()
        assert db.scalar(select(func.count()).select_from(KeptTrend)) == 1
        # A new check-in (the latest day moves).
        diary.record_entry(db, actor=actor, entry=DiaryInput(leg_pain=10, back_pain=10))
        db.commit()
        _same(_kept(db, user), _fresh(db, user))
        # A corrected one, then a deleted one.
        first = diary.entries_of(db, clinic_id=user.clinic_id, client_id=user.id, limit=1)[0]
        changes = DiaryChanges(leg_pain=0, back_pain=0)
        diary.update_entry(db, actor=actor, entry_id=first.id, changes=changes)
        db.commit()
        _same(_kept(db, user), _fresh(db, user))
        diary.delete_entry(db, actor=actor, entry_id=first.id)
        db.commit()
        _same(_kept(db, user), _fresh(db, user))
        # A first assessment (the baseline changes from the first week to its answers).
        before = _kept(db, user)
        run_assessment(db, actor=actor, assessment=parse_assessment(ANSWERS))
        db.commit()
        after = _kept(db, user)
        _same(after, _fresh(db, user))
        assert (before.baseline_source, after.baseline_source) == ("first_week", "first_assessment")
        # Rows written in bulk, and rows changed and deleted in bulk.
        row = {"clinic_id": user.clinic_id, "user_id": user.id, "id": new_id()}
        db.execute(
            insert(DiaryEntry), [row | {"recorded_at": utcnow(), "leg_pain": 9, "back_pain": 1}]
        )
        db.commit()
        _same(_kept(db, user), _fresh(db, user))
        db.execute(update(DiaryEntry).where(DiaryEntry.user_id == user.id).values(leg_pain=3))
        db.commit()
        _same(_kept(db, user), _fresh(db, user))
        db.execute(delete(DiaryEntry).where(DiaryEntry.id == row["id"]))
        db.commit()
        _same(_kept(db, user), _fresh(db, user))
        # Another time zone: the days are counted there.
        set_time_zone(db, actor=actor, time_zone="Pacific/Kiritimati")
        db.commit()
        _same(_kept(db, user), _fresh(db, user))


def test_a_change_in_one_person_s_diary_keeps_the_others_read_outs(database: Database) -> None:
    with database.session() as db:
        one, other = _client(db), _client(db, "America/New_York")
        _check_ins(db, one, 10)
        _check_ins(db, other, 10)
        versions = dict(db.execute(select(User.id, User.diary_version)).all())
        diary.record_entry(db, actor=actor_for(one), entry=DiaryInput(leg_pain=1, back_pain=1))
        db.commit()
        now = dict(db.execute(select(User.id, User.diary_version)).all())
        assert now[one.id] > versions[one.id]
        assert now[other.id] == versions[other.id]


def counting(made: list[set[str]]) -> MakeTrends:
    """``diary.made_trends``, noting in ``made`` whose read-outs each call made."""

    def make(
        db: Session, clinic_id: str, zones: Mapping[str, tzinfo], since: datetime
    ) -> dict[str, TrendReadout]:
        made.append(set(zones))
        return diary.made_trends(db, clinic_id, zones, since)

    return make


def test_a_kept_read_out_is_made_once_and_read_after(database: Database) -> None:
    made: list[set[str]] = []
    make = counting(made)

    with database.session() as db:
        people = [_client(db) for _ in range(3)]
        for person in people:
            _check_ins(db, person, 20, hours=(9,))
        zones = {p.id: zone_named(p.time_zone) for p in people}
        now = utcnow()
        since = now - timedelta(days=90)
        kept = dict(clinic_id=people[0].clinic_id, zones=zones, days=90, since=since, make=make)
        first = kept_trends(db, now=now, **kept)  # type: ignore[arg-type]
        db.commit()
        again = kept_trends(db, now=now, **kept)  # type: ignore[arg-type]
        assert first == again
        assert made == [set(zones)]
        # Only the one whose diary changed is made again.
        diary.record_entry(
            db, actor=actor_for(people[1]), entry=DiaryInput(leg_pain=2, back_pain=2)
        )
        db.commit()
        kept_trends(db, now=now, **kept)  # type: ignore[arg-type]
        assert made[1:] == [{people[1].id}]


def test_a_read_out_is_made_again_when_a_check_in_leaves_the_window(database: Database) -> None:
    with database.session() as db:
        user = _client(db, "UTC")
        _check_ins(db, user, 5, hours=(12,))
        zones = {user.id: zone_named("UTC")}
        now = utcnow()
        oldest = now - timedelta(days=4, hours=12)

        def at(when: datetime) -> TrendReadout:
            since = when - timedelta(days=7)
            return kept_trends(
                db,
                clinic_id=user.clinic_id,
                zones=zones,
                days=7,
                since=since,
                now=when,
                make=diary.made_trends,
            )[user.id]

        before = at(now)
        db.commit()
        assert len(before.days) == 5
        later = oldest + timedelta(days=7, seconds=1)  # the oldest check-in has left the window
        assert len(at(later).days) == 4


def test_the_client_list_s_short_read_out_says_the_same_follow_up_reasons(
    database: Database,
) -> None:
    with database.session() as db:
        user = _client(db)
        _check_ins(db, user, 60)
        full = _kept(db, user)
        short = diary.trends_of(
            db,
            clinic_id=user.clinic_id,
            zones={user.id: zone_named(user.time_zone)},
            days=90,
            series=False,
        )[user.id]
        assert len(short.days) == 2 < len(full.days)
        assert short == replace(full, days=short.days)
        assert settling_details(short) == settling_details(full)


@pytest.mark.parametrize(
    "database_url",  # row locks of concurrent upserts: PostgreSQL's
    [pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_views_keeping_the_same_clients_in_other_orders_do_not_deadlock(
    database: Database,
) -> None:
    """Two therapists' lists rebuilding the same clients' read-outs at once, listed in opposite
    orders: each keeps them in one order, so neither waits for a row the other holds while
    holding one it waits for (PostgreSQL would end one view with "deadlock detected")."""
    with database.session() as db:
        people = [_client(db, "UTC") for _ in range(2)]
        for person in people:
            _check_ins(db, person, 3, hours=(9,))
        # Each kept row is slow to write, so that the two upserts overlap row by row.
        db.execute(
            text(
                "CREATE FUNCTION slow_kept_trend() RETURNS trigger AS $$ BEGIN "
                "PERFORM pg_sleep(0.3); RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        db.execute(
            text(
                "CREATE TRIGGER slow_kept_trend BEFORE INSERT ON kept_trends "
                "FOR EACH ROW EXECUTE FUNCTION slow_kept_trend()"
            )
        )
        db.commit()
    failures: list[BaseException] = []

    def view(order: list[User]) -> None:
        try:
            with database.session() as db:
                now = utcnow()
                kept_trends(
                    db,
                    clinic_id=order[0].clinic_id,
                    zones={p.id: zone_named("UTC") for p in order},
                    days=90,
                    since=now - timedelta(days=90),
                    now=now,
                    make=diary.made_trends,
                )
                db.commit()
        except BaseException as failure:  # reported by the assertion below
            failures.append(failure)

    views = [Thread(target=view, args=(order,)) for order in (people, people[::-1])]
    try:
        for thread in views:
            thread.start()
        for thread in views:
            thread.join()
    finally:
        with database.session() as db:
            db.execute(text("DROP TRIGGER slow_kept_trend ON kept_trends"))
            db.execute(text("DROP FUNCTION slow_kept_trend()"))
            db.commit()
    assert failures == []


def test_read_outs_kept_by_another_computation_are_made_again(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[set[str]] = []
    make = counting(made)

    with database.session() as db:
        user = _client(db)
        _check_ins(db, user, 5, hours=(9,))
        now = utcnow()
        kept = dict(
            clinic_id=user.clinic_id,
            zones={user.id: zone_named(user.time_zone)},
            days=30,
            since=now - timedelta(days=30),
            now=now,
            make=make,
        )
        kept_trends(db, **kept)  # type: ignore[arg-type]
        kept_trends(db, **kept)  # type: ignore[arg-type]
        monkeypatch.setattr(kept_trends_module, "MADE_BY", kept_trends_module.MADE_BY + 1)
        kept_trends(db, **kept)  # type: ignore[arg-type]
        assert len(made) == 2


def test_erasing_an_account_keeps_everyone_else_s_read_outs(database: Database) -> None:
    with database.session() as db:
        gone, stays = _client(db), _client(db)
        _check_ins(db, gone, 3)
        _kept(db, gone)
        db.commit()
        versions = dict(db.execute(select(User.id, User.diary_version)).all())
        erase_account(
            db,
            actor=actor_for(gone),
            password="a long password 123",
            confirm="delete my account",
        )
        assert db.get(User, (stays.clinic_id, stays.id)).diary_version == versions[stays.id]
        assert db.scalar(select(func.count()).select_from(KeptTrend)) == 0


def test_storing_an_assessment_moves_no_version(database: Database) -> None:
    """Only the first assessment changes a trend (its baseline); storing one writes no version,
    and a later one leaves the kept read-out in use."""
    with database.session() as db:
        user = _client(db)
        _check_ins(db, user, 10)
        run_assessment(db, actor=actor_for(user), assessment=parse_assessment(ANSWERS))
        db.commit()
        version = db.scalar(select(User.diary_version).where(User.id == user.id))
        first = _kept(db, user)
        db.commit()
        run_assessment(db, actor=actor_for(user), assessment=parse_assessment(ANSWERS))
        db.commit()
        assert db.scalar(select(User.diary_version).where(User.id == user.id)) == version
        _same(_kept(db, user), first)
        _same(first, _fresh(db, user))
