"""The booking lifecycle through the services: every transition, allowed and refused, for
each party and for people who are not a party (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, AuditEvent, Booking, Share, User, utcnow
from sciatica_care.services import booking, booking_actions
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.booking_setup import days_ahead, open_diary, slot_in, start_in_the_past


@dataclass
class People:
    db: Session
    client: Actor
    therapist: Actor
    other_client: Actor
    other_therapist: Actor
    admin: Actor


def _actor(db: Session, email: str, role: str) -> Actor:
    user = User(clinic_id=DEFAULT_CLINIC_ID, email=email, password_hash="x", role=role)
    db.add(user)
    db.flush()
    return Actor(user_id=user.id, clinic_id=DEFAULT_CLINIC_ID, email=email, role=role)  # type: ignore[arg-type]


@pytest.fixture
def people(database_url: str) -> Iterator[People]:
    database = Database(database_url)
    with database.session() as db:
        cast = People(
            db,
            _actor(db, "alice@example.org", "client"),
            _actor(db, "tess@example.org", "therapist"),
            _actor(db, "bob@example.org", "client"),
            _actor(db, "uma@example.org", "therapist"),
            _actor(db, "ada@example.org", "admin"),
        )
        db.commit()
        open_diary(db, cast.therapist.user_id)
        yield cast
    database.dispose()


def _book(p: People, starts: datetime | None = None, length: int = 60) -> booking.BookingView:
    return booking.book(
        p.db,
        actor=p.client,
        therapist_id=p.therapist.user_id,
        starts_at=starts or days_ahead(3),
        length=length,
    )


def _set_rules(p: People, **values: object) -> None:
    row = booking.settings_of(p.db, clinic_id=DEFAULT_CLINIC_ID, therapist_id=p.therapist.user_id)
    for name, value in values.items():
        setattr(row, name, value)
    p.db.commit()


def test_a_client_books_a_free_slot_directly_when_the_therapist_lets_new_clients_book(
    people: People,
) -> None:
    made = _book(people)
    assert made.status == "confirmed" and made.viewer == "client"
    assert made.actions == ("reschedule", "cancel")
    assert not made.shared  # booking shares nothing
    audit = people.db.scalars(select(AuditEvent).where(AuditEvent.record_id == made.id)).all()
    assert [(a.action, a.record_type) for a in audit] == [("create", "booking")]


def test_a_new_client_requests_when_the_therapist_confirms_new_clients(people: People) -> None:
    _set_rules(people, new_clients="request")
    assert _book(people).status == "requested"


def test_a_client_who_shares_with_the_therapist_books_directly(people: People) -> None:
    _set_rules(people, new_clients="request")
    people.db.add(
        Share(
            clinic_id=DEFAULT_CLINIC_ID,
            client_id=people.client.user_id,
            therapist_id=people.therapist.user_id,
            scopes=["assessments"],
            via="code",
        )
    )
    people.db.commit()
    made = _book(people)
    assert made.status == "confirmed" and made.shared


def test_a_therapist_not_taking_new_clients_refuses_a_new_one(people: People) -> None:
    _set_rules(people, accepting_new_clients=False)
    with pytest.raises(Conflict, match="not taking new clients"):
        _book(people)


def test_booking_refusals_name_the_field(people: People) -> None:
    with pytest.raises(InvalidInput) as naive:
        _book(people, days_ahead(3).replace(tzinfo=None))
    assert naive.value.problems[0].field == "starts_at"
    with pytest.raises(InvalidInput) as length:
        _book(people, length=45)
    assert length.value.problems[0].field == "length_minutes"
    _book(people)
    with pytest.raises(InvalidInput) as taken:
        _book(people, days_ahead(3) + timedelta(minutes=30))
    assert taken.value.problems[0].field == "starts_at"
    assert "taken" in taken.value.problems[0].message


def test_only_clients_book_and_only_with_a_therapist(people: People) -> None:
    with pytest.raises(Forbidden):
        booking.book(
            people.db,
            actor=people.therapist,
            therapist_id=people.therapist.user_id,
            starts_at=days_ahead(3),
            length=60,
        )
    with pytest.raises(NotFound):
        booking.book(
            people.db,
            actor=people.client,
            therapist_id=people.other_client.user_id,
            starts_at=days_ahead(3),
            length=60,
        )
    with pytest.raises(Conflict, match="does not take bookings online"):
        booking.book(
            people.db,
            actor=people.client,
            therapist_id=people.other_therapist.user_id,
            starts_at=days_ahead(3),
            length=60,
        )


def test_only_the_two_parties_see_a_booking(people: People) -> None:
    made = _book(people)
    assert booking.get(people.db, actor=people.therapist, booking_id=made.id).viewer == "therapist"
    for outsider in (people.other_client, people.other_therapist, people.admin):
        with pytest.raises(NotFound):
            booking.get(people.db, actor=outsider, booking_id=made.id)
        with pytest.raises(NotFound):
            booking_actions.cancel(people.db, actor=outsider, booking_id=made.id)
    with pytest.raises(NotFound):
        booking.get(people.db, actor=people.client, booking_id="not-an-id")
    assert [v.id for v in booking.my_bookings(people.db, actor=people.other_client)] == []
    assert [v.id for v in booking.my_bookings(people.db, actor=people.therapist)] == [made.id]
    with pytest.raises(Forbidden):
        booking.my_bookings(people.db, actor=people.admin)


def test_the_therapist_confirms_a_request_and_the_client_cannot(people: People) -> None:
    _set_rules(people, new_clients="request")
    made = _book(people)
    with pytest.raises(Forbidden):
        booking_actions.confirm(people.db, actor=people.client, booking_id=made.id)
    done = booking_actions.confirm(people.db, actor=people.therapist, booking_id=made.id)
    assert done.status == "confirmed" and done.sequence == made.sequence + 1
    with pytest.raises(Conflict, match="only a request"):
        booking_actions.confirm(people.db, actor=people.therapist, booking_id=made.id)


def test_the_therapist_declines_a_request_and_the_time_is_free_again(people: People) -> None:
    _set_rules(people, new_clients="request")
    made = _book(people)
    done = booking_actions.decline(people.db, actor=people.therapist, booking_id=made.id)
    assert done.status == "declined" and done.cancelled_by == "therapist"
    assert _book(people).status == "requested"  # the same time again


def test_a_proposal_the_client_accepts_moves_and_confirms_the_booking(people: People) -> None:
    _set_rules(people, new_clients="request")
    made = _book(people)
    later = days_ahead(4, 14)
    with pytest.raises(Forbidden):
        booking_actions.propose(people.db, actor=people.client, booking_id=made.id, starts_at=later)
    proposed = booking_actions.propose(
        people.db, actor=people.therapist, booking_id=made.id, starts_at=later
    )
    assert proposed.status == "proposed" and proposed.proposed_starts_at == later
    assert proposed.actions == ("propose", "cancel")
    client_view = booking.get(people.db, actor=people.client, booking_id=made.id)
    assert client_view.actions == ("accept", "decline", "cancel")
    accepted = booking_actions.accept(people.db, actor=people.client, booking_id=made.id)
    assert accepted.status == "confirmed" and accepted.starts_at == later
    assert accepted.proposed_starts_at is None


def test_the_client_may_decline_a_proposal(people: People) -> None:
    _set_rules(people, new_clients="request")
    made = _book(people)
    booking_actions.propose(
        people.db, actor=people.therapist, booking_id=made.id, starts_at=days_ahead(5)
    )
    with pytest.raises(Forbidden):
        booking_actions.accept(people.db, actor=people.therapist, booking_id=made.id)
    done = booking_actions.decline(people.db, actor=people.client, booking_id=made.id)
    assert done.status == "declined" and done.cancelled_by == "client"


def test_a_proposal_of_a_taken_time_is_refused_by_name(people: People) -> None:
    _set_rules(people, new_clients="request")
    first = _book(people, days_ahead(3, 9))
    second = _book(people, days_ahead(3, 14))
    with pytest.raises(InvalidInput) as taken:
        booking_actions.propose(
            people.db, actor=people.therapist, booking_id=second.id, starts_at=first.starts_at
        )
    assert taken.value.problems[0].field == "starts_at"


def test_either_party_reschedules_to_a_free_time_only(people: People) -> None:
    made = _book(people, days_ahead(3, 9))
    other = _book(people, days_ahead(3, 14))
    moved = booking_actions.reschedule(
        people.db,
        actor=people.client,
        booking_id=made.id,
        starts_at=days_ahead(3, 9) + timedelta(minutes=30),
    )  # overlapping its own old time is fine: it is ignored
    assert moved.starts_at == days_ahead(3, 9) + timedelta(minutes=30)
    with pytest.raises(InvalidInput):
        booking_actions.reschedule(
            people.db, actor=people.therapist, booking_id=made.id, starts_at=other.starts_at
        )
    back = booking_actions.reschedule(
        people.db, actor=people.therapist, booking_id=made.id, starts_at=days_ahead(6), length=30
    )
    assert back.length_minutes == 30 and back.ends_at == days_ahead(6) + timedelta(minutes=30)


def test_a_stale_sequence_is_refused_not_overwritten(people: People) -> None:
    made = _book(people)
    booking_actions.reschedule(
        people.db, actor=people.therapist, booking_id=made.id, starts_at=days_ahead(4)
    )
    with pytest.raises(Conflict, match="changed meanwhile"):
        booking_actions.cancel(
            people.db, actor=people.client, booking_id=made.id, sequence=made.sequence
        )


def test_cancelling_outside_the_window_needs_no_confirmation(people: People) -> None:
    made = _book(people)
    done = booking_actions.cancel(people.db, actor=people.client, booking_id=made.id)
    assert done.status == "cancelled" and not done.cancelled_late
    assert (
        "late_cancelled"
        not in booking.get(people.db, actor=people.therapist, booking_id=made.id).actions
    )


def test_inside_the_window_the_client_sees_the_policy_and_the_therapist_decides(
    people: People,
) -> None:
    made = _book(people, slot_in(3))
    assert made.inside_window
    with pytest.raises(InvalidInput) as policy:
        booking_actions.cancel(people.db, actor=people.client, booking_id=made.id)
    assert policy.value.problems[0].field == "confirm_late"
    assert "24 h" in policy.value.problems[0].message
    done = booking_actions.cancel(
        people.db, actor=people.client, booking_id=made.id, confirm_late=True
    )
    assert done.status == "cancelled" and done.cancelled_late
    with pytest.raises(Forbidden):
        booking_actions.record_status(
            people.db, actor=people.client, booking_id=made.id, status="late_cancelled"
        )
    seen = booking.get(people.db, actor=people.therapist, booking_id=made.id)
    assert seen.actions == ("late_cancelled",)
    late = booking_actions.record_status(
        people.db, actor=people.therapist, booking_id=made.id, status="late_cancelled"
    )
    assert late.status == "late_cancelled"


def test_the_therapist_cancelling_inside_the_window_is_not_late(people: People) -> None:
    made = _book(people, slot_in(3))
    done = booking_actions.cancel(people.db, actor=people.therapist, booking_id=made.id)
    assert done.status == "cancelled" and not done.cancelled_late


def test_no_show_and_completed_only_after_the_start(people: People) -> None:
    made = _book(people)
    with pytest.raises(Conflict, match="only after its start"):
        booking_actions.record_status(
            people.db, actor=people.therapist, booking_id=made.id, status="completed"
        )
    with pytest.raises(InvalidInput) as wrong:
        booking_actions.record_status(
            people.db, actor=people.therapist, booking_id=made.id, status="confirmed"
        )
    assert wrong.value.problems[0].field == "status"
    start_in_the_past(people.db, made.id)
    client_view = booking.get(people.db, actor=people.client, booking_id=made.id)
    assert client_view.actions == ()  # nothing to move or cancel once it has started
    no_show = booking_actions.record_status(
        people.db, actor=people.therapist, booking_id=made.id, status="no_show"
    )
    assert no_show.status == "no_show"
    fixed = booking_actions.record_status(
        people.db, actor=people.therapist, booking_id=made.id, status="completed"
    )
    assert fixed.status == "completed"
    with pytest.raises(Conflict):
        booking_actions.reschedule(
            people.db, actor=people.therapist, booking_id=made.id, starts_at=days_ahead(5)
        )


def test_lists_filter_by_status_and_time(people: People) -> None:
    first = _book(people, days_ahead(3))
    second = _book(people, days_ahead(5))
    booking_actions.cancel(people.db, actor=people.client, booking_id=second.id)
    mine = booking.my_bookings(people.db, actor=people.client)
    assert [v.id for v in mine] == [first.id, second.id]
    cancelled = booking.my_bookings(people.db, actor=people.client, statuses=("cancelled",))
    assert [v.id for v in cancelled] == [second.id]
    soon = booking.my_bookings(people.db, actor=people.client, until=days_ahead(4))
    assert [v.id for v in soon] == [first.id]
    with pytest.raises(InvalidInput) as wrong:
        booking.my_bookings(people.db, actor=people.client, statuses=("bogus",))
    assert wrong.value.problems[0].field == "status"
    assert people.db.scalar(select(Booking.sequence).where(Booking.id == second.id)) == 1
    assert utcnow() < first.starts_at
