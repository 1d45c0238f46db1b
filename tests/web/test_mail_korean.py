"""Emails and calendar entries in the recipient's language (issue 13): an account whose
language is Korean is written to in Korean (subjects, bodies, times and zones), one without a
language or in English gets the English it always got; calendar feeds and .ics files are in
their owner's language. English left in a Korean email is counted as the Korean page check
counts it (tests/web/browser/korean.py), names and links left out. No health data in either
language."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import get_args

import icalendar
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sciatica_care.db.tables import DEFAULT_CLINIC_ID, Booking, OutboxMessage, User
from sciatica_care.notifications.booking_mail import (
    AgendaItem,
    BookingMail,
    day_text,
    when_text,
)
from sciatica_care.notifications.render import language_of, render_email
from sciatica_care.services import registration
from sciatica_care.services.booking_events import BookingEvent, booking_changed
from sciatica_care.worker.jobs import Jobs
from tests.web.bookings import add_booking
from tests.web.browser.korean import latin_words
from tests.web.conftest import PASSWORD, add_user, signed_in_client
from tests.web.mailbox import SmtpInbox, body, sent_to, smtp_inbox, subject  # noqa: F401
from tests.web.test_booking_mail import (  # noqa: F401  (fixtures)
    CLIENT,
    HEALTH_WORDS,
    NOTE_TEXT,
    STARTS,
    THERAPIST,
    Cast,
    _note_for,
    jobs,
    mail_settings,
    make_booking,
    make_cast,
)
from tests.web.test_calendar_feeds import NEXT_WEEK, fetch, make_feed, people  # noqa: F401

API = "/api/v1"
EVENTS: tuple[BookingEvent, ...] = get_args(BookingEvent)
#: Health words in Korean no email or calendar entry may carry (sciatica, pain, diagnosis,
#: assessment, symptom, nerve, red flag, note, triage).
KOREAN_HEALTH_WORDS = ("좌골", "통증", "진단", "평가", "증상", "신경", "위험 신호", "메모", "분류")
LINK = re.compile(r"https?://\S+")


def english_in(text: str, *names: str) -> list[str]:
    """The English words of a Korean email: links and the people's names left out."""
    text = LINK.sub(" ", text)
    for name in names:
        text = text.replace(name, " ")
    return latin_words(text)


def set_language(database: object, user_id: str, language: str | None) -> None:
    with database.session() as db:  # type: ignore[attr-defined]
        user = db.get(User, (DEFAULT_CLINIC_ID, user_id))
        assert user is not None
        user.language = language
        db.commit()


# --- Every email, rendered ------------------------------------------------------------------


def _mail(event: str, role: str, *, other: str = "Tess") -> BookingMail:
    when = when_text(STARTS, "Europe/London", "ko")
    return BookingMail(
        event=event,
        role=role,  # type: ignore[arg-type]
        name="Alice",
        other=other,
        when=when,
        link="http://127.0.0.1:8000/bookings/abc",
        settings_link="http://127.0.0.1:8000/settings",
        previous_when=when_text(STARTS - timedelta(days=1), "Europe/London", "ko"),
        proposed_when=when_text(STARTS + timedelta(days=1), "Europe/London", "ko"),
        hold_until=when_text(STARTS - timedelta(hours=20), "Europe/London", "ko"),
        by_you=role == "client",
    )


def _every_korean_email() -> list[tuple[str, str]]:
    """(name, subject + text + html) of every kind of email, in Korean."""
    rendered = []
    for event in EVENTS:
        for role in ("client", "therapist"):
            for other in ("Tess", ""):
                mail = _mail(event, role, other=other)
                email = render_email("booking_event", language="ko", m=mail)
                rendered.append((f"{event}/{role}", email))
    agenda = render_email(
        "daily_agenda",
        language="ko",
        name="Tess",
        day=day_text(date(2026, 6, 3), "ko"),
        zone="뉴질랜드(오클랜드) 시간",
        items=[AgendaItem(time="오전 10:00", client="Alice", minutes=60)],
        link="http://127.0.0.1:8000/therapist/bookings",
    )
    rendered.append(("daily_agenda", agenda))
    links = {"link": "http://x/l", "reset_link": "http://x/r", "login_link": "http://x/i"}
    for kind, extra in (
        ("verify_email", {"hours": 48}),
        ("password_reset", {"minutes": 30}),
        ("password_changed", {}),
        ("signup_existing", {}),
    ):
        rendered.append((kind, render_email(kind, language="ko", **links, **extra)))
    return [(n, " ".join([e.subject, e.text, e.html or ""])) for n, e in rendered]


@pytest.mark.parametrize(("name", "words"), _every_korean_email())
def test_every_email_reads_in_korean(name: str, words: str) -> None:
    html_tags = re.sub(r"<[^>]+>", " ", words)  # the markup is not read
    assert english_in(html_tags, "Alice", "Tess") == [], name
    assert [w for w in KOREAN_HEALTH_WORDS if w in words] == [], name
    assert "Subject" not in words


@pytest.mark.parametrize("language", ["en", "ko"])
def test_names_are_escaped_in_html_emails_and_kept_in_text(language: str) -> None:
    mail = replace(_mail("booked", "client", other="T&<i>"), name="A<b>")
    email = render_email("booking_event", language=language, m=mail)
    assert email.html is not None
    assert "A&lt;b&gt;" in email.html and "T&amp;&lt;i&gt;" in email.html
    assert "<b>" not in email.html and "<i>" not in email.html
    assert "A<b>" in email.text and "T&<i>" in email.text
    agenda = render_email(
        "daily_agenda",
        language=language,
        name="A<b>",
        day="d",
        zone="z",
        items=[AgendaItem(time="t", client="C<i>", minutes=60)],
        link="l",
    )
    assert agenda.html is not None and "<b>" not in agenda.html and "<i>" not in agenda.html


def test_an_email_names_the_zone_and_day_as_a_korean_reader_does() -> None:
    assert when_text(STARTS, "Europe/London", "ko") == "6월 2일 (화) 오전 10:00 (영국 시간)"
    assert when_text(STARTS, "Asia/Seoul", "ko") == "6월 2일 (화) 오후 6:00 (대한민국 시간)"
    assert when_text(STARTS, "UTC", "ko") == "6월 2일 (화) 오전 9:00 (협정 세계시)"
    assert when_text(STARTS, "Europe/London") == "Tue 2 Jun at 10:00 (Europe/London)"
    assert day_text(date(2026, 6, 3), "ko") == "6월 3일 (수)"


def test_the_language_of_a_recipient() -> None:
    korean = User(language="ko")
    assert language_of(korean) == "ko"
    assert language_of(User(language=None)) == "en"
    assert language_of(User(language=None), "ko") == "ko"  # the page's language, if any
    assert language_of(korean, "en") == "ko"  # the account's choice wins
    assert language_of(User(language="xx"), "yy") == "en"
    assert language_of(None) == "en"


# --- Booking emails, sent -------------------------------------------------------------------


def _send_every_event(jobs: Jobs, cast: Cast, booking_id: str) -> None:  # noqa: F811
    for event in EVENTS:
        with jobs.database.session() as db:
            booking = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
            assert booking is not None
            booking.proposed_starts_at = STARTS + timedelta(days=1)
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


def test_a_korean_client_gets_korean_booking_emails_and_an_english_therapist_english(
    jobs: Jobs,  # noqa: F811
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    cast = make_cast(jobs)
    set_language(jobs.database, cast.client_id, "ko")
    booking_id = make_booking(jobs, cast)
    _note_for(jobs, cast, booking_id)
    _send_every_event(jobs, cast, booking_id)
    to_client, to_therapist = smtp_inbox.to(CLIENT), smtp_inbox.to(THERAPIST)
    assert len(to_client) == len(EVENTS) and len(to_therapist) == len(EVENTS) - 1
    subjects = [subject(m) for m in to_client]
    assert "예약 완료: Tess 님과의 마사지 예약, 6월 2일 (화) 오전 10:00 (영국 시간)" in subjects
    assert "예약 알림: Tess 님과의 마사지 예약, 6월 2일 (화) 오전 10:00 (영국 시간)" in subjects
    for message in to_client:
        html = message.get_body(preferencelist=("html",))
        assert html is not None and '<html lang="ko">' in html.get_content()
        markup_free = re.sub(r"<[^>]+>", " ", html.get_content())
        words = " ".join([subject(message), body(message), markup_free])
        assert "Tess 님" in subject(message), subject(message)
        assert english_in(words, "Alice", "Tess") == [], subject(message)
        assert f"/bookings/{booking_id}" in words and "http://127.0.0.1:8000" in words
        assert NOTE_TEXT not in words
        assert [w for w in KOREAN_HEALTH_WORDS if w in words] == []
        assert [w for w in HEALTH_WORDS if w in words.lower()] == []
    offered = [m for m in to_client if subject(m).startswith("더 이른 시간이 비었습니다")]
    assert "6월 1일 (월) 오후 2:00 (영국 시간)까지" in body(offered[0])
    # The therapist has no language: English, worded and timed as always.
    assert subject(to_therapist[0]) == (
        "Booked: massage appointment with Alice on Tue 2 Jun at 05:00 (America/New_York)"
    )
    for message in to_therapist:
        assert "massage appointment with Alice" in subject(message), subject(message)
        html = message.get_body(preferencelist=("html",))
        assert html is not None and '<html lang="en">' in html.get_content()
        assert not re.search(r"[가-힣]", body(message) + subject(message))


def test_a_korean_therapist_gets_a_korean_agenda(
    jobs: Jobs,  # noqa: F811
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    cast = make_cast(jobs, therapist_zone="Pacific/Auckland")
    set_language(jobs.database, cast.therapist_id, "ko")
    make_booking(jobs, cast, datetime(2026, 6, 2, 22, 0, tzinfo=UTC))  # Wed 3 Jun 10:00 there
    jobs.every_minute(datetime(2026, 6, 2, 19, 0, tzinfo=UTC))  # 07:00 in Auckland
    [agenda] = smtp_inbox.to(THERAPIST)
    assert subject(agenda) == "오늘의 마사지 예약, 6월 3일 (수)"
    text = body(agenda)
    assert "Tess 님, 안녕하세요." in text
    assert "오늘 6월 3일 (수)의 마사지 예약 (뉴질랜드(오클랜드) 시간 기준):" in text
    assert "- 오전 10:00  Alice (60분)" in text
    assert english_in(text, "Alice", "Tess") == []


def test_a_korean_reminder_and_an_english_one(
    jobs: Jobs,  # noqa: F811
    smtp_inbox: SmtpInbox,  # noqa: F811
) -> None:
    cast = make_cast(jobs)
    make_booking(jobs, cast)
    jobs.every_minute(STARTS - timedelta(hours=23))
    set_language(jobs.database, cast.client_id, "ko")
    make_booking(jobs, cast, STARTS + timedelta(days=1))
    jobs.every_minute(STARTS + timedelta(hours=1))
    first, second = (subject(m) for m in smtp_inbox.to(CLIENT))
    assert first == "Reminder: massage appointment with Tess on Tue 2 Jun at 10:00 (Europe/London)"
    assert second == "예약 알림: Tess 님과의 마사지 예약, 6월 3일 (수) 오전 10:00 (영국 시간)"


# --- Account emails -------------------------------------------------------------------------


def _outbox(app: FastAPI, to: str) -> list[OutboxMessage]:
    with app.state.database.session() as db:
        rows = db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == to)
            .order_by(OutboxMessage.created_at)
        ).all()
        db.expunge_all()
        return list(rows)


def test_a_password_reset_is_written_in_the_accounts_language(app: FastAPI) -> None:
    korean = add_user(app, "minji@example.org")
    set_language(app.state.database, korean, "ko")
    add_user(app, "alice@example.org")
    english = add_user(app, "eve@example.org")
    set_language(app.state.database, english, "en")
    anyone = TestClient(app)
    for address, accept in (
        ("minji@example.org", "en"),  # the account's choice wins over the browser's
        ("alice@example.org", "ko"),  # no choice: the language of the asking page
        ("eve@example.org", "ko"),
    ):
        answer = anyone.post(
            f"{API}/auth/password-reset",
            json={"email": address},
            headers={"accept-language": accept},
        )
        assert answer.status_code == 202
    [minji] = sent_to(app, "minji@example.org")
    assert subject(minji) == "Sciatica Care 비밀번호 재설정"
    assert "분 안에 이 링크를 여세요" in body(minji)
    assert "/password-reset/choose?token=" in body(minji)
    assert english_in(subject(minji) + " " + body(minji)) == []
    assert subject(sent_to(app, "alice@example.org")[0]) == "Sciatica Care 비밀번호 재설정"
    assert subject(sent_to(app, "eve@example.org")[0]) == "Reset your Sciatica Care password"


def test_a_changed_password_is_told_in_korean(app: FastAPI) -> None:
    user_id = add_user(app, "minji@example.org")
    set_language(app.state.database, user_id, "ko")
    minji = signed_in_client(app, "minji@example.org")
    changed = minji.post(
        f"{API}/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert changed.status_code == 204
    [told] = sent_to(app, "minji@example.org")
    assert subject(told) == "Sciatica Care 비밀번호가 변경되었습니다"
    assert english_in(body(told)) == []


def test_signing_up_in_korean_keeps_the_language_and_verifies_in_korean(app: FastAPI) -> None:
    settings = app.state.settings
    with app.state.database.session() as db:
        user = registration.register(
            db,
            settings=settings,
            email="minji@example.org",
            password="a brand new passphrase",
            language="ko",
        )
        assert user is not None and user.language == "ko"
        # The same address again: its owner is told, in the owner's language.
        registration.register(
            db,
            settings=settings,
            email="minji@example.org",
            password="another new passphrase",
            language="en",
        )
    verify, existing = _outbox(app, "minji@example.org")
    assert verify.subject == "Sciatica Care 이메일 주소를 확인해 주세요"
    assert "/verify-email?token=" in verify.body_text
    assert english_in(verify.body_text) == []
    assert (
        existing.subject == "누군가 회원님의 이메일 주소로 Sciatica Care 계정을 만들려고 했습니다"
    )
    assert english_in(existing.body_text) == []


def test_signing_up_without_a_language_stays_english(app: FastAPI) -> None:
    with app.state.database.session() as db:
        user = registration.register(
            db,
            settings=app.state.settings,
            email="alice@example.org",
            password="a brand new passphrase",
        )
        assert user is not None and user.language is None
    [verify] = _outbox(app, "alice@example.org")
    assert verify.subject == "Confirm your email address for Sciatica Care"


# --- Calendars ------------------------------------------------------------------------------


def test_a_korean_feed_has_korean_summaries(
    app: FastAPI,
    alice: TestClient,
    tess: TestClient,
    people: dict[str, str],  # noqa: F811
) -> None:
    add_booking(app, client_id=people["alice"], therapist_id=people["tess"], starts_at=NEXT_WEEK)
    alices, tesss = make_feed(alice), make_feed(tess)
    english_etag = TestClient(app).get(alices).headers["etag"]
    set_language(app.state.database, people["alice"], "ko")
    set_language(app.state.database, people["tess"], "ko")
    answer = TestClient(app).get(alices, headers={"if-none-match": english_etag})
    assert answer.status_code == 200  # a new language is a new version of the feed
    cal = icalendar.Calendar.from_ical(answer.content)
    assert str(cal["X-WR-CALNAME"]) == "마사지 예약"
    event = cal.walk("VEVENT")[0]
    assert event["SUMMARY"] == "Tess 님과의 마사지 예약"
    assert event["LOCATION"] == "Cardiff"  # a city is a name: as the therapist wrote it
    therapists = fetch(app, tesss)
    assert str(therapists["X-WR-CALNAME"]) == "마사지 세션"
    assert therapists.walk("VEVENT")[0]["SUMMARY"] == "마사지: Alice S."
    for entry in (event, therapists.walk("VEVENT")[0]):
        assert english_in(str(entry["SUMMARY"]), "Tess", "Alice S.") == []


def test_a_booking_ics_is_in_its_viewers_language(
    app: FastAPI,
    alice: TestClient,
    tess: TestClient,
    people: dict[str, str],  # noqa: F811
) -> None:
    booking = add_booking(
        app, client_id=people["alice"], therapist_id=people["tess"], starts_at=NEXT_WEEK
    )
    set_language(app.state.database, people["alice"], "ko")
    mine = icalendar.Calendar.from_ical(alice.get(f"/bookings/{booking}.ics").content)
    assert mine.walk("VEVENT")[0]["SUMMARY"] == "Tess 님과의 마사지 예약"
    assert str(mine["X-WR-CALNAME"]) == "마사지 예약"
    theirs = icalendar.Calendar.from_ical(tess.get(f"/bookings/{booking}.ics").content)
    assert theirs.walk("VEVENT")[0]["SUMMARY"] == "Massage: Alice S."  # Tess chose none
