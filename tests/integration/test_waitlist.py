"""The waitlist: first come first offered, the offer held for a set time, expiry hands it on,
declining hands it on, accepting cancels the later booking (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import Booking, OutboxMessage
from sciatica_care.services import booking_events, waitlist, waitlist_offers
from sciatica_care.services.errors import Conflict, InvalidInput, NotFound
from sciatica_care.worker.jobs import Jobs
from tests.integration.booking_cast import Diary, make_diary, weeks

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
SOON = datetime(2027, 3, 8, 10, tzinfo=UTC)  # Monday 8 March, 10:00 London (GMT)
HOLD = timedelta(minutes=90)


@pytest.fixture
def diary(database_url: str) -> Iterator[Diary]:
    database = Database(database_url)
    yield make_diary(database, clients=4, waitlist_hold_minutes=90, new_clients="book")
    database.dispose()


@pytest.fixture
def offers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every booking_changed(event="offered") as (client id, booking id): the mail's trigger."""
    seen: list[tuple[str, str]] = []
    original = booking_events.booking_changed

    def spy(db: object, booking: Booking, **kwargs: object) -> None:
        if kwargs["event"] == "offered":
            seen.append((booking.client_id, booking.id))
        original(db, booking, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(waitlist_offers, "booking_changed", spy)
    return seen


def _join(diary: Diary, who: int, *, booking_id: str | None = None, at: datetime = NOW) -> str:
    with diary.database.session() as db:
        entry = waitlist.join(
            db,
            actor=diary.clients[who],
            therapist_id=diary.therapist.user_id,
            length_minutes=60,
            booking_id=booking_id,
            now=at,
        )
    return entry.id


def _status(diary: Diary, entry_id: str, who: int) -> tuple[str, datetime | None]:
    with diary.database.session() as db:
        view = waitlist.entry(db, actor=diary.clients[who], entry_id=entry_id)
    return view.status, view.offered_starts_at


def test_the_first_to_join_is_offered_the_freed_time_and_it_is_held(
    diary: Diary, offers: list[tuple[str, str]]
) -> None:
    taken = diary.book(diary.clients[0], SOON, now=NOW)
    first = _join(diary, 1, at=NOW)
    second = _join(diary, 2, at=NOW + timedelta(seconds=1))
    diary.cancel(taken, now=NOW)
    assert _status(diary, first, 1) == ("offered", SOON)
    assert _status(diary, second, 2) == ("waiting", None)
    assert [client for client, _ in offers] == [diary.clients[1].user_id]
    held = diary.booking(offers[0][1])
    assert held.status == "held" and held.hold_expires_at == NOW + HOLD
    # The held time is not free for anyone else.
    with pytest.raises(InvalidInput):
        diary.book(diary.clients[3], SOON, now=NOW)


def test_a_lapsed_hold_goes_to_the_next_person(diary: Diary, offers: list[tuple[str, str]]) -> None:
    taken = diary.book(diary.clients[0], SOON, now=NOW)
    first, second = _join(diary, 1), _join(diary, 2, at=NOW + timedelta(seconds=1))
    diary.cancel(taken, now=NOW)
    with diary.database.session() as db:
        assert waitlist_offers.expire_offers(db, NOW + HOLD - timedelta(seconds=1)) == 0
    later = NOW + HOLD
    with diary.database.session() as db:
        assert waitlist_offers.expire_offers(db, later) == 1
    assert _status(diary, first, 1) == ("expired", None)
    assert _status(diary, second, 2) == ("offered", SOON)
    assert diary.booking(offers[0][1]).status == "cancelled"
    assert diary.booking(offers[1][1]).hold_expires_at == later + HOLD
    with diary.database.session() as db, pytest.raises(Conflict):
        waitlist.accept(db, actor=diary.clients[1], entry_id=first, now=later)


def test_the_worker_hands_a_lapsed_hold_on_within_its_minute(
    diary: Diary, offers: list[tuple[str, str]], tmp_path: Path
) -> None:
    taken = diary.book(diary.clients[0], SOON, now=NOW)
    first, second = _join(diary, 1), _join(diary, 2, at=NOW + timedelta(seconds=1))
    diary.cancel(taken, now=NOW)
    settings = Settings(environment="test", data_dir=tmp_path, database_url=diary.database.url)
    jobs = Jobs(settings, database=diary.database)
    jobs.every_minute(NOW + HOLD - timedelta(seconds=1))
    assert _status(diary, first, 1) == ("offered", SOON)
    jobs.every_minute(NOW + HOLD)
    assert _status(diary, first, 1) == ("expired", None)
    assert _status(diary, second, 2) == ("offered", SOON)


def mail_to(diary: Diary, who: int) -> list[OutboxMessage]:
    with diary.database.session() as db:
        return list(
            db.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to_address == diary.clients[who].email)
                .order_by(OutboxMessage.created_at)
            )
        )


def test_the_offer_mail_links_the_offer_page_and_a_lapsed_offer_sends_no_cancellation(
    diary: Diary, offers: list[tuple[str, str]]
) -> None:
    taken = diary.book(diary.clients[0], SOON, now=NOW)
    first = _join(diary, 1)
    diary.cancel(taken, now=NOW)
    offer_mail = mail_to(diary, 1)
    assert len(offer_mail) == 1 and f"/waitlist/{first}" in offer_mail[0].body_text
    with diary.database.session() as db:
        waitlist_offers.expire_offers(db, NOW + HOLD)
    assert len(mail_to(diary, 1)) == 1  # the hold lapsed: no "cancelled" about it


def test_declining_hands_the_time_on_and_keeps_ones_place(
    diary: Diary, offers: list[tuple[str, str]]
) -> None:
    taken = diary.book(diary.clients[0], SOON, now=NOW)
    first, second = _join(diary, 1), _join(diary, 2, at=NOW + timedelta(seconds=1))
    diary.cancel(taken, now=NOW)
    with diary.database.session() as db:
        waitlist.decline(db, actor=diary.clients[1], entry_id=first, now=NOW)
    assert _status(diary, first, 1) == ("waiting", None)
    assert _status(diary, second, 2) == ("offered", SOON)


def test_accepting_books_the_time_and_cancels_the_later_booking(
    diary: Diary, offers: list[tuple[str, str]]
) -> None:
    taken = diary.book(diary.clients[0], SOON, now=NOW)
    later = diary.book(diary.clients[1], SOON + weeks(3), now=NOW)
    entry = _join(diary, 1, booking_id=later)
    after = _join(diary, 2, at=NOW + timedelta(seconds=1))  # waits for any earlier time
    diary.cancel(taken, now=NOW)
    with diary.database.session() as db:
        booked = waitlist.accept(db, actor=diary.clients[1], entry_id=entry, now=NOW)
    assert diary.booking(booked).status == "confirmed"
    assert diary.booking(booked).hold_expires_at is None
    assert diary.booking(later).status == "cancelled"
    assert _status(diary, entry, 1) == ("accepted", None)
    # The later booking's time is free again: it goes to the next person waiting.
    assert _status(diary, after, 2) == ("offered", SOON + weeks(3))


def test_a_time_later_than_the_booking_one_holds_is_not_offered(
    diary: Diary, offers: list[tuple[str, str]]
) -> None:
    mine = diary.book(diary.clients[1], SOON, now=NOW)
    entry = _join(diary, 1, booking_id=mine)
    taken = diary.book(diary.clients[0], SOON + weeks(1), now=NOW)
    diary.cancel(taken, now=NOW)
    assert _status(diary, entry, 1) == ("waiting", None) and offers == []


def test_joining_names_wrong_fields_and_others_cannot_touch_an_entry(diary: Diary) -> None:
    someone_elses = diary.book(diary.clients[0], SOON, now=NOW)
    with diary.database.session() as db, pytest.raises(InvalidInput) as refused:
        waitlist.join(
            db,
            actor=diary.clients[1],
            therapist_id=diary.therapist.user_id,
            length_minutes=45,
            booking_id=someone_elses,
            now=NOW,
        )
    assert {p.field for p in refused.value.problems} == {"length_minutes", "booking_id"}
    entry = _join(diary, 1)
    with pytest.raises(Conflict):
        _join(diary, 1)
    with diary.database.session() as db, pytest.raises(NotFound):
        waitlist.leave(db, actor=diary.clients[2], entry_id=entry, now=NOW)
    with diary.database.session() as db:
        therapist_sees = waitlist.entries(db, actor=diary.therapist)
        waitlist.leave(db, actor=diary.clients[1], entry_id=entry, now=NOW)
    assert [e.id for e in therapist_sees] == [entry]
    with diary.database.session() as db:
        assert waitlist.entries(db, actor=diary.therapist) == []
        assert db.scalars(select(Booking.id).where(Booking.status == "held")).all() == []


def test_a_new_client_accepting_sends_a_request_when_the_therapist_confirms_new_clients(
    database_url: str,
) -> None:
    database = Database(database_url)
    diary = make_diary(database, clients=2, new_clients="request")
    taken = diary.book(diary.clients[0], SOON, now=NOW)
    entry = _join(diary, 1)
    diary.cancel(taken, now=NOW)
    with diary.database.session() as db:
        booked = waitlist.accept(db, actor=diary.clients[1], entry_id=entry, now=NOW)
    assert diary.booking(booked).status == "requested"
    database.dispose()
