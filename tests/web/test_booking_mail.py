"""Reminders, the daily agenda and booking emails, sent by the worker's jobs through a real
local SMTP server (aiosmtpd), on SQLite and PostgreSQL. Jobs are driven with a fixed ``now``."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from sciatica_care.config import Settings
from sciatica_care.db.engine import Database
from sciatica_care.db.tables import (
    DEFAULT_CLINIC_ID,
    Booking,
    BookingSettings,
    OutboxMessage,
    SessionNote,
    SessionNoteRevision,
    User,
    utcnow,
)
from sciatica_care.notifications.outbox import deliver_pending
from sciatica_care.services.booking_events import BookingEvent, booking_changed
from sciatica_care.services.reminders import send_due_reminders
from sciatica_care.worker.jobs import Jobs
from tests.web.mailbox import SmtpInbox, body, smtp_inbox, subject  # noqa: F401  (fixture)

CLIENT = "alice@example.org"
THERAPIST = "tess@example.org"
STARTS = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)  # Tue 2 Jun 2026, 10:00 in London (BST)
NOTE_TEXT = "Radiating L5 pain after flexion; positive straight leg raise"
#: Words no booking email may carry (health details); lowercase.
HEALTH_WORDS = (
    "sciatica",
    "pain",
    "diagnos",
    "assessment",
    "symptom",
    "triage",
    "nerve",
    "red flag",
    "soap",
    "note",
    "brief",
)


@dataclass
class Cast:
    client_id: str
    therapist_id: str


@pytest.fixture
def mail_settings(settings: Settings, smtp_inbox: SmtpInbox) -> Settings:  # noqa: F811
    return smtp_inbox.settings(settings)


@pytest.fixture
def jobs(mail_settings: Settings) -> Iterator[Jobs]:
    worker = Jobs(mail_settings)
    yield worker
    worker.close()


def _user(email: str, role: str, name: str, zone: str, reminder: int | None = 24) -> User:
    return User(
        clinic_id=DEFAULT_CLINIC_ID,
        email=email,
        password_hash="x",
        role=role,
        display_name=name,
        time_zone=zone,
        reminder_hours_before=reminder,
    )


def make_cast(
    jobs: Jobs, *, reminder: int | None = 24, therapist_zone: str = "America/New_York"
) -> Cast:
    with jobs.database.session() as db:
        client = _user(CLIENT, "client", "Alice Example", "Europe/London", reminder)
        therapist = _user(THERAPIST, "therapist", "Tess Therapist", therapist_zone)
        db.add_all([client, therapist])
        db.flush()
        client.reminder_hours_before = reminder  # None on INSERT would take the default
        db.add(BookingSettings(clinic_id=DEFAULT_CLINIC_ID, therapist_id=therapist.id))
        db.commit()
        return Cast(client.id, therapist.id)


def make_booking(
    jobs: Jobs, cast: Cast, starts: datetime = STARTS, status: str = "confirmed"
) -> str:
    with jobs.database.session() as db:
        booking = Booking(
            clinic_id=DEFAULT_CLINIC_ID,
            therapist_id=cast.therapist_id,
            client_id=cast.client_id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=60),
            length_minutes=60,
            time_zone="America/New_York",
            status=status,
            created_by="client",
        )
        db.add(booking)
        db.commit()
        return booking.id


def test_a_reminder_arrives_once_at_the_right_time(jobs: Jobs, smtp_inbox: SmtpInbox) -> None:  # noqa: F811
    cast = make_cast(jobs)
    make_booking(jobs, cast)
    jobs.every_minute(STARTS - timedelta(hours=24, minutes=1))
    assert smtp_inbox.to(CLIENT) == []
    jobs.every_minute(STARTS - timedelta(hours=24))
    jobs.every_minute(STARTS - timedelta(hours=23))
    second = Jobs(jobs.settings)  # another worker on the same database
    second.every_minute(STARTS - timedelta(hours=2))
    second.close()
    [reminder] = smtp_inbox.to(CLIENT)
    assert subject(reminder) == (
        "Reminder: massage appointment with Tess on Tue 2 Jun at 10:00 (Europe/London)"
    )
    assert "/bookings/" in body(reminder)
    assert smtp_inbox.to(THERAPIST) == []


@pytest.mark.parametrize("hours", [None, 2])
def test_the_reminder_follows_the_clients_setting(
    jobs: Jobs,
    smtp_inbox: SmtpInbox,  # noqa: F811
    hours: int | None,
) -> None:
    cast = make_cast(jobs, reminder=hours)
    make_booking(jobs, cast)
    jobs.every_minute(STARTS - timedelta(hours=3))
    assert smtp_inbox.to(CLIENT) == []
    jobs.every_minute(STARTS - timedelta(hours=1))
    assert len(smtp_inbox.to(CLIENT)) == (0 if hours is None else 1)


def race(jobs: Jobs, work: Callable[[Session], int], racers: int = 4) -> list[int]:
    """Run ``work`` in ``racers`` threads at once, each with its own connections; the results."""
    barrier = threading.Barrier(racers)
    results: list[int] = []

    def racer() -> None:
        database = Database(jobs.database.url)
        try:
            with database.session() as db:
                barrier.wait()
                results.append(work(db))
        finally:
            database.dispose()

    threads = [threading.Thread(target=racer) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_racing_workers_claim_a_reminder_once(jobs: Jobs) -> None:
    cast = make_cast(jobs)
    make_booking(jobs, cast)
    now = STARTS - timedelta(hours=1)
    claimed = race(jobs, lambda db: send_due_reminders(db, now=now))
    assert sorted(claimed) == [0, 0, 0, 1]


def test_the_agenda_goes_once_a_day_at_seven_in_the_therapists_zone(
    jobs: Jobs,
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    # Auckland is UTC+12 in June: 07:00 on Wed 3 Jun there is 19:00 UTC on Tue 2 Jun.
    cast = make_cast(jobs, therapist_zone="Pacific/Auckland")
    make_booking(jobs, cast, datetime(2026, 6, 2, 22, 0, tzinfo=UTC))  # Wed 3 Jun 10:00 Auckland
    make_booking(jobs, cast, datetime(2026, 6, 2, 21, 0, tzinfo=UTC), status="cancelled")
    make_booking(jobs, cast, datetime(2026, 6, 3, 22, 0, tzinfo=UTC))  # Thu 4 Jun 10:00 Auckland
    jobs.every_minute(datetime(2026, 6, 2, 18, 59, tzinfo=UTC))
    assert smtp_inbox.to(THERAPIST) == []
    jobs.every_minute(datetime(2026, 6, 2, 19, 0, tzinfo=UTC))
    jobs.every_minute(datetime(2026, 6, 2, 23, 0, tzinfo=UTC))
    [agenda] = smtp_inbox.to(THERAPIST)
    assert subject(agenda) == "Your massage appointments today, Wed 3 Jun"
    text = body(agenda)
    assert "- 10:00  Alice (60 min)" in text
    assert "Example" not in text and CLIENT not in text  # first names only
    assert text.count("(60 min)") == 1  # the cancelled one is not listed
    jobs.every_minute(datetime(2026, 6, 3, 19, 0, tzinfo=UTC))  # 07:00 Thu in Auckland
    assert [subject(m) for m in smtp_inbox.to(THERAPIST)][1] == (
        "Your massage appointments today, Thu 4 Jun"
    )


def test_no_agenda_on_a_day_without_sessions(jobs: Jobs, smtp_inbox: SmtpInbox) -> None:  # noqa: F811
    make_cast(jobs)
    jobs.every_minute(datetime(2026, 6, 2, 12, 0, tzinfo=UTC))
    assert smtp_inbox.received == []


EVENTS: tuple[BookingEvent, ...] = get_args(BookingEvent)


def _note_for(jobs: Jobs, cast: Cast, booking_id: str) -> None:
    with jobs.database.session() as db:
        note = SessionNote(
            clinic_id=DEFAULT_CLINIC_ID,
            client_id=cast.client_id,
            therapist_id=cast.therapist_id,
            session_at=STARTS,
            booking_id=booking_id,
        )
        db.add(note)
        db.flush()
        db.add(
            SessionNoteRevision(
                clinic_id=DEFAULT_CLINIC_ID,
                note_id=note.id,
                version=1,
                kind="created",
                fields={"subjective": NOTE_TEXT, "assessment": NOTE_TEXT},
                changed_at=STARTS,
                changed_by=cast.therapist_id,
            )
        )
        db.commit()


def test_booking_emails_go_to_both_without_health_details(
    jobs: Jobs,
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    cast = make_cast(jobs)
    booking_id = make_booking(jobs, cast)
    _note_for(jobs, cast, booking_id)
    for event in EVENTS:
        with jobs.database.session() as db:
            booking = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
            assert booking is not None
            booking.proposed_starts_at = STARTS + timedelta(days=1)
            # Held only for the offer: a held booking that is cancelled is an untaken offer,
            # which sends nothing (test_waitlist.py).
            offer = event == "offered"
            booking.hold_expires_at = STARTS - timedelta(hours=20) if offer else None
            booking_changed(
                db,
                booking,
                event=event,
                by="therapist",
                now=STARTS - timedelta(days=2),
                previous=STARTS - timedelta(days=1),
            )
            db.commit()
    jobs.every_minute(STARTS - timedelta(days=3))  # delivers; no reminder due yet
    to_client, to_therapist = smtp_inbox.to(CLIENT), smtp_inbox.to(THERAPIST)
    assert len(to_client) == len(EVENTS)
    assert len(to_therapist) == len(EVENTS) - 1  # a waitlist offer goes to the client only
    for message in to_client:
        assert "massage appointment with Tess" in subject(message), subject(message)
        assert "(Europe/London)" in subject(message)
    for message in to_therapist:
        assert "massage appointment with Alice" in subject(message), subject(message)
        assert "at 05:00 (America/New_York)" in subject(message)  # 09:00 UTC in New York
    for message in to_client + to_therapist:
        html = message.get_body(preferencelist=("html",))
        assert html is not None
        words = " ".join([subject(message), body(message), html.get_content()]).lower()
        assert f"/bookings/{booking_id}" in words
        assert "__public_base_url__" not in words and "http://127.0.0.1:8000" in words
        assert NOTE_TEXT.lower() not in words
        assert [w for w in HEALTH_WORDS if w in words] == []
    offered = [m for m in to_client if subject(m).startswith("An earlier time is free")]
    assert "held for you until Mon 1 Jun at 14:00 (Europe/London)" in body(offered[0])


def test_a_moved_booking_is_reminded_of_again(jobs: Jobs, smtp_inbox: SmtpInbox) -> None:  # noqa: F811
    cast = make_cast(jobs)
    booking_id = make_booking(jobs, cast)
    jobs.every_minute(STARTS - timedelta(hours=1))
    with jobs.database.session() as db:
        booking = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
        assert booking is not None and booking.reminder_sent_at is not None
        booking.starts_at += timedelta(days=1)
        booking.ends_at += timedelta(days=1)
        booking_changed(db, booking, event="rescheduled", by="client", now=STARTS, previous=STARTS)
        db.commit()
    jobs.every_minute(STARTS + timedelta(hours=23))
    subjects = [subject(m) for m in smtp_inbox.to(CLIENT)]
    assert subjects[0].startswith("Reminder:") and subjects[-1].startswith("Reminder:")
    assert "Wed 3 Jun" in subjects[-1]
    assert len(subjects) == 3  # reminder, moved, reminder


def test_racing_senders_send_each_email_once(
    jobs: Jobs,
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    cast = make_cast(jobs)
    booking_ids = [make_booking(jobs, cast, STARTS + timedelta(days=d)) for d in range(5)]
    with jobs.database.session() as db:
        for booking_id in booking_ids:
            booking = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
            assert booking is not None
            booking_changed(db, booking, event="booked", by="client", now=STARTS)
        db.commit()
    race(jobs, lambda db: deliver_pending(db, settings=jobs.settings))
    assert len(smtp_inbox.to(CLIENT)) == len(smtp_inbox.to(THERAPIST)) == 5


def test_an_email_a_sender_holds_waits_for_its_lease(
    jobs: Jobs,
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    cast = make_cast(jobs)
    booking_id = make_booking(jobs, cast)
    with jobs.database.session() as db:
        booking = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
        assert booking is not None
        booking_changed(db, booking, event="booked", by="client", now=STARTS)
        db.execute(update(OutboxMessage).values(claimed_until=utcnow() + timedelta(minutes=1)))
        db.commit()
        assert deliver_pending(db, settings=jobs.settings) == 0
        db.execute(update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1)))
        db.commit()
        assert deliver_pending(db, settings=jobs.settings) == 2
    assert len(smtp_inbox.received) == 2
