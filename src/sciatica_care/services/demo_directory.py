"""Demo data for the directory: the demo therapist's hours and booking rules, and five more
therapists (varied techniques, languages, cities and training; one not verified yet, one not
taking new clients) so that the directory, its filters and the plan's order can be tried.

Idempotent: a therapist, profile, booking rules or hours already there are left as they are.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import (
    DEFAULT_CLINIC_ID,
    BookingSettings,
    User,
    WeeklyHours,
    utcnow,
)
from sciatica_care.services import therapists
from sciatica_care.services.accounts import create_user

DEMO_ZONE = "Europe/London"
OTHER_PASSWORD = "demo-therapist-2024"
WEEKDAYS = range(5)
#: Weekdays 09:00-17:00 with the lunch hour off.
OFFICE_HOURS = ((time(9), time(12, 30)), (time(13, 30), time(17)))

#: The demo therapist's place and training (added to the profile in services/demo.py).
DEMO_PLACE: dict[str, Any] = {
    "postcode": "BS1 4DJ",
    "latitude": 51.4545,
    "longitude": -2.5879,
    "training": ["pregnancy"],
}

#: (email, name, profile, verified, booking rules, hours: weekday -> stretches)
OTHERS: tuple[tuple[str, str, dict[str, Any], bool, dict[str, Any]], ...] = (
    (
        "demo.minjun@example.org",
        "Min-jun Park",
        {
            "licence_number": "CNHC-0091233",
            "years_experience": 11,
            "years_treating_sciatica": 9,
            "techniques": ["swedish", "trigger_point", "myofascial_release"],
            "languages": ["Korean", "English"],
            "city": "London",
            "postcode": "SE1 7PB",
            "latitude": 51.5033,
            "longitude": -0.1196,
            "training": ["oncology"],
            "bio": "Trigger point and myofascial work for desk workers; 한국어 상담 가능.",
        },
        True,
        {"new_clients": "book", "session_lengths": [45, 60]},
    ),
    (
        "demo.priya@example.org",
        "Priya Shah",
        {
            "licence_number": "CNHC-0077410",
            "years_experience": 16,
            "years_treating_sciatica": 12,
            "techniques": ["myofascial_release", "deep_tissue", "swedish"],
            "languages": ["English", "Gujarati", "Hindi"],
            "city": "Leicester",
            "postcode": "LE1 5WW",
            "latitude": 52.6369,
            "longitude": -1.1398,
            "training": ["oncology", "lymphoedema"],
            "bio": "Oncology and lymphoedema trained; gentle work when it is needed.",
        },
        True,
        {"new_clients": "request", "session_lengths": [60, 90], "buffer_after_minutes": 30},
    ),
    (
        "demo.tomasz@example.org",
        "Tomasz Nowak",
        {
            "licence_number": "SMTO-55120",
            "years_experience": 5,
            "years_treating_sciatica": 3,
            "techniques": ["deep_tissue", "trigger_point"],
            "languages": ["Polish", "English"],
            "city": "Manchester",
            "postcode": "M1 1AE",
            "latitude": 53.4808,
            "longitude": -2.2426,
            "training": [],
            "bio": "Sports massage background.",
        },
        False,
        {"new_clients": "request", "accepting_new_clients": False},
    ),
    (
        "demo.jiwoo@example.org",
        "Ji-woo Kim",
        {
            "licence_number": "CNHC-0102876",
            "years_experience": 4,
            "years_treating_sciatica": 4,
            "techniques": ["swedish", "myofascial_release"],
            "languages": ["Korean", "English"],
            "city": "Bristol",
            "postcode": "BS8 1TH",
            "latitude": 51.4584,
            "longitude": -2.6030,
            "training": ["pregnancy"],
            "bio": "Pregnancy massage on a side-lying table.",
        },
        True,
        {"new_clients": "book", "session_lengths": [60], "min_notice_hours": 12},
    ),
    (
        "demo.sian@example.org",
        "Siân Evans",
        {
            "licence_number": "CNHC-0034455",
            "years_experience": 20,
            "years_treating_sciatica": 15,
            "techniques": ["swedish", "hot_stone", "myofascial_release"],
            "languages": ["Welsh", "English"],
            "city": "Cardiff",
            "postcode": "CF10 1EP",
            "latitude": 51.4816,
            "longitude": -3.1791,
            "training": ["pregnancy"],
            "bio": "Twenty years of Swedish and hot stone massage.",
        },
        True,
        {"new_clients": "request", "session_lengths": [60, 90]},
    ),
)


def _set_up_bookings(db: Session, user: User, rules: dict[str, Any]) -> None:
    """Booking rules and weekday office hours, unless the therapist has their own."""
    ids = {"clinic_id": user.clinic_id, "therapist_id": user.id}
    if db.get(BookingSettings, (user.clinic_id, user.id)) is None:
        db.add(BookingSettings(**ids, schedule_version=0, **rules))
    if db.scalar(select(WeeklyHours.id).filter_by(**ids).limit(1)) is None:
        db.add_all(
            WeeklyHours(**ids, weekday=day, starts=starts, ends=ends)
            for day in WEEKDAYS
            for starts, ends in OFFICE_HOURS
        )


def add_directory(db: Session, *, demo_therapist_email: str) -> None:
    """The demo therapist's place, hours and rules, and the other demo therapists."""
    now = utcnow()
    main = db.scalar(
        select(User).where(User.clinic_id == DEFAULT_CLINIC_ID, User.email == demo_therapist_email)
    )
    if main is not None:
        profile = therapists.ensure_profile(db, clinic_id=main.clinic_id, user_id=main.id)
        if profile.latitude is None:
            for name, value in DEMO_PLACE.items():
                setattr(profile, name, value)
        if main.time_zone == "UTC":
            main.time_zone = DEMO_ZONE
        _set_up_bookings(db, main, {"new_clients": "request", "session_lengths": [60, 90]})
    for email, name, fields, verified, rules in OTHERS:
        user = db.scalar(
            select(User).where(User.clinic_id == DEFAULT_CLINIC_ID, User.email == email)
        )
        if user is None:
            user = create_user(
                db, email=email, password=OTHER_PASSWORD, role="therapist", display_name=name
            )
            user.email_verified_at = now
            user.time_zone = DEMO_ZONE
            profile = therapists.ensure_profile(db, clinic_id=user.clinic_id, user_id=user.id)
            for field, value in fields.items():
                setattr(profile, field, value)
            profile.verified_at = now - timedelta(days=60) if verified else None
        _set_up_bookings(db, user, rules)
    db.commit()
