"""The PSFS and global-rating storage (services/outcomes.py), on SQLite and PostgreSQL: the row
shape the report and the FHIR export read, one answer a day, the local day in the person's zone,
the access check, and the JSON export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, OutcomeMeasure
from sciatica_care.domain.outcomes import GlobalRatingInput, PsfsInput, SbiInput
from sciatica_care.services import erase, outcomes
from sciatica_care.services.actors import Actor, Role
from sciatica_care.services.errors import NotFound
from sciatica_care.services.export import export_json
from tests.web.conftest import PASSWORD, add_user


def actor(app: FastAPI, email: str, role: Role = "client", time_zone: str = "UTC") -> Actor:
    user_id = add_user(app, email, role)
    return Actor(user_id, DEFAULT_CLINIC_ID, email, role, time_zone=time_zone)


def answers(*pairs: tuple[str, int], on: date | None = None) -> PsfsInput:
    return PsfsInput.model_validate(
        {"answered_on": on, "activities": [{"activity": a, "score": s} for a, s in pairs]}
    )


def test_a_psfs_row_holds_scores_names_sum_and_day(app: FastAPI) -> None:
    me = actor(app, "carol@example.org")
    database: Database = app.state.database
    with database.session() as db:
        outcomes.record_psfs(
            db, actor=me, answers=answers(("sitting", 3), ("walking", 6), on=date(2026, 1, 5))
        )
        outcomes.record_psfs(db, actor=me, answers=answers(("sitting", 6), on=date(2026, 1, 19)))
        outcomes.record_sbi(
            db,
            actor=me,
            answers=SbiInput(leg_pain=1, numbness_tingling=1, weakness=1, sitting_pain=1),
        )
        rows = outcomes.psfs_of(db, clinic_id=me.clinic_id, client_id=me.user_id)
        assert [(r.measure, r.items, r.activities, r.total, r.week_of) for r in rows] == [
            ("psfs", [3, 6], ["sitting", "walking"], 9, date(2026, 1, 5)),
            ("psfs", [6], ["sitting"], 6, date(2026, 1, 19)),
        ]
        assert list(outcomes.list_psfs(db, actor=me)) == list(rows)


def test_a_global_rating_row_holds_the_rating_as_item_and_total(app: FastAPI) -> None:
    me = actor(app, "carol@example.org")
    database: Database = app.state.database
    with database.session() as db:
        for day, rating in ((date(2026, 2, 1), 2), (date(2026, 1, 1), -1)):
            outcomes.record_global_rating(
                db, actor=me, answers=GlobalRatingInput(answered_on=day, rating=rating)
            )
        rows = outcomes.list_global_ratings(db, actor=me)
        assert [(r.measure, r.items, r.total, r.week_of, r.activities) for r in rows] == [
            ("grc", [-1], -1, date(2026, 1, 1), None),
            ("grc", [2], 2, date(2026, 2, 1), None),
        ]
        assert outcomes.global_ratings_of(db, clinic_id=me.clinic_id, client_id=me.user_id) == rows


def test_a_second_answer_the_same_day_replaces_the_first(app: FastAPI) -> None:
    me = actor(app, "carol@example.org")
    database: Database = app.state.database
    day = date(2026, 1, 5)
    with database.session() as db:
        outcomes.record_psfs(db, actor=me, answers=answers(("sitting", 3), on=day))
        outcomes.record_psfs(db, actor=me, answers=answers(("standing", 8), on=day))
        outcomes.record_global_rating(
            db, actor=me, answers=GlobalRatingInput(answered_on=day, rating=0)
        )
        outcomes.record_global_rating(
            db, actor=me, answers=GlobalRatingInput(answered_on=day, rating=3)
        )
        assert [(r.activities, r.items) for r in outcomes.list_psfs(db, actor=me)] == [
            (["standing"], [8])
        ]
        assert [r.total for r in outcomes.list_global_ratings(db, actor=me)] == [3]


def test_the_day_answered_is_the_local_day_where_the_person_is(app: FastAPI) -> None:
    # 23:30 UTC on 5 January is already 6 January in Seoul.
    seoul = actor(app, "min@example.org", time_zone="Asia/Seoul")
    late = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    database: Database = app.state.database
    with database.session() as db, mock.patch.object(outcomes, "utcnow", return_value=late):
        row = outcomes.record_psfs(db, actor=seoul, answers=answers(("sitting", 3)))
        rating = outcomes.record_global_rating(db, actor=seoul, answers=GlobalRatingInput(rating=1))
    assert row.week_of == date(2026, 1, 6)
    assert rating.week_of == date(2026, 1, 6)


def test_another_client_and_a_therapist_without_consent_see_nothing(app: FastAPI) -> None:
    carol = actor(app, "carol@example.org")
    dave = actor(app, "dave@example.org")
    tess = actor(app, "tess@example.org", "therapist")
    database: Database = app.state.database
    with database.session() as db:
        outcomes.record_psfs(db, actor=carol, answers=answers(("sitting", 3)))
        for who in (dave, tess):
            with pytest.raises(NotFound):
                outcomes.list_psfs(db, actor=who, client_id=carol.user_id)
            with pytest.raises(NotFound):
                outcomes.list_global_ratings(db, actor=who, client_id=carol.user_id)


def test_the_json_export_holds_the_psfs_and_the_global_ratings(app: FastAPI) -> None:
    me = actor(app, "carol@example.org")
    database: Database = app.state.database
    with database.session() as db:
        outcomes.record_psfs(
            db, actor=me, answers=answers(("sitting", 3), ("walking", 6), on=date(2026, 1, 5))
        )
        outcomes.record_global_rating(
            db, actor=me, answers=GlobalRatingInput(answered_on=date(2026, 1, 19), rating=2)
        )
        document = json.loads(export_json(db, actor=me))
    assert document["sbi"] == []
    assert document["psfs"] == [
        {
            "answered_on": "2026-01-05",
            "activities": [
                {"activity": "sitting", "score": 3},
                {"activity": "walking", "score": 6},
            ],
            "mean": 4.5,
        }
    ]
    assert document["global_ratings"] == [
        {"answered_on": "2026-01-19", "rating": 2, "label": "better"}
    ]


def test_erasing_the_account_erases_the_psfs_and_the_global_ratings(app: FastAPI) -> None:
    me = actor(app, "carol@example.org")
    database: Database = app.state.database
    with database.session() as db:
        outcomes.record_psfs(db, actor=me, answers=answers(("sitting", 3)))
        outcomes.record_global_rating(db, actor=me, answers=GlobalRatingInput(rating=1))
        erase.erase_account(db, actor=me, password=PASSWORD, confirm=erase.ERASE_PHRASE)
        left = db.scalars(select(OutcomeMeasure).where(OutcomeMeasure.user_id == me.user_id))
        assert left.all() == []
