"""Demo data: a client with a few assessments, ~60 days of diary and weekly SBI, and a therapist
with a verified profile to whom the client has shared everything, with four session notes; the
therapist's hours and booking rules and five more therapists for the directory
(services/demo_directory.py).

Idempotent: running it again changes nothing but resets the demo passwords to the printed ones.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.engine import Database
from sciatica_care.db.migrate import upgrade
from sciatica_care.db.tables import (
    DEFAULT_CLINIC_ID,
    AssessmentRecord,
    DiaryEntry,
    OutcomeMeasure,
    Share,
    User,
    new_id,
    utcnow,
)
from sciatica_care.domain import session_notes as notes
from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.outcomes import week_start
from sciatica_care.domain.plan import evaluate
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services import demo_directory, session_notes, therapists
from sciatica_care.services.accounts import create_user, password_hash

DEMO_CLIENT = ("client", "demo.client@example.org", "demo-client-2024", "Sam (demo client)")
DEMO_THERAPIST = (
    "therapist",
    "demo.therapist@example.org",
    "demo-therapist-2024",
    "Alex (demo therapist)",
)
DIARY_DAYS = 60
DEMO_PROFILE: dict[str, object] = {
    "licence_number": "CMT-2011-0457",
    "years_experience": 13,
    "years_treating_sciatica": 8,
    "techniques": ["swedish", "myofascial_release", "hot_stone"],
    "languages": ["English", "Spanish"],
    "city": "Bristol",
    "bio": "Slow, gentle work for nerve pain; I explain what I do as I go.",
}

_FIRST = {
    "age": 46,
    "sex": "female",
    "back_pain": 5,
    "leg_pain": 7,
    "side": "left",
    "areas": ["lower_back", "buttock", "thigh_back", "calf_back"],
    "area_sides": {"buttock": "left", "thigh_back": "left", "calf_back": "left"},
    "duration_weeks": 5,
    "trend": "stable",
    "seen_clinician": True,
    "diagnosis": "herniated_disc",
    "symptoms": ["tingling", "shooting"],
    "aggravated_by": ["sitting", "bending_forward"],
    "goals": ["pain_relief", "sleep"],
}


def _assessment_input(days_ago: int) -> dict[str, object]:
    if days_ago >= DIARY_DAYS:
        return dict(_FIRST)
    weeks = 5 + (DIARY_DAYS - days_ago) / 7
    leg = 7 - round(4 * (DIARY_DAYS - days_ago) / DIARY_DAYS)
    return {
        **_FIRST,
        "leg_pain": leg,
        "back_pain": max(2, leg - 2),
        "duration_weeks": round(weeks, 1),
        "trend": "improving",
    }


def _add_history(db: Session, user: User) -> None:
    kb = knowledge_base()
    now = utcnow()
    for days_ago in (DIARY_DAYS, 30, 3):
        data = _assessment_input(days_ago)
        result = evaluate(parse_assessment(data), kb)
        db.add(
            AssessmentRecord(
                id=new_id(),
                clinic_id=user.clinic_id,
                user_id=user.id,
                input=parse_assessment(data).model_dump(mode="json"),
                result=result.model_dump(mode="json"),
                triage_level=result.triage.level,
                kb_version=result.knowledge_version,
                created_at=now - timedelta(days=days_ago, hours=1),
            )
        )
    rng = random.Random(20240601)
    stretches = ["knee_to_chest", "piriformis_stretch", "pelvic_tilt", "nerve_glide"]
    for day in range(DIARY_DAYS, -1, -1):
        progress = (DIARY_DAYS - day) / DIARY_DAYS
        for hour in (8, 20) if rng.random() < 0.4 else (19,):
            at = now.replace(hour=hour, minute=rng.randint(0, 59)) - timedelta(days=day)
            if at > now:
                continue
            leg = max(0, min(10, round(7 - 4 * progress + rng.gauss(0, 0.8))))
            back = max(0, min(10, round(5 - 2.5 * progress + rng.gauss(0, 0.8))))
            db.add(
                DiaryEntry(
                    id=new_id(),
                    clinic_id=user.clinic_id,
                    user_id=user.id,
                    recorded_at=at,
                    leg_pain=leg,
                    back_pain=back,
                    areas=["buttock", "thigh_back"] if leg >= 4 else ["buttock"],
                    stretches=rng.sample(stretches, k=rng.randint(0, 2)),
                    heat=rng.random() < 0.4,
                    cold=False,
                    massage=["swedish"] if day % 7 == 2 else [],
                    walk_minutes=rng.choice([None, 10, 20, 30]),
                    medicine=leg >= 6,
                    sleep_quality=max(0, min(10, round(4 + 4 * progress + rng.gauss(0, 1)))),
                    note="Walked to the shop." if day % 9 == 0 else "",
                    created_at=at,
                    updated_at=at,
                )
            )
    for week in range(DIARY_DAYS // 7, -1, -1):
        progress = (DIARY_DAYS - week * 7) / DIARY_DAYS
        items = [max(0, min(6, round(v - 3 * progress))) for v in (5, 4, 2, 5)]
        db.add(
            OutcomeMeasure(
                id=new_id(),
                clinic_id=user.clinic_id,
                user_id=user.id,
                measure="sbi",
                week_of=week_start((now - timedelta(days=week * 7)).date()),
                items=items,
                total=sum(items),
                created_at=now - timedelta(days=week * 7),
            )
        )
    _add_psfs_and_global_rating(db, user, now)


#: The demo client's PSFS activities and their scores at the start (rising over the weeks).
_PSFS_START = (("Sitting at my desk", 3), ("Putting on socks", 4), ("Walking to the shop", 5))


def _add_psfs_and_global_rating(db: Session, user: User, now: datetime) -> None:
    """Every two weeks over the diary: the PSFS (improving) and, from two weeks in, the global
    rating of change."""
    fortnights = DIARY_DAYS // 14
    for n in range(fortnights + 1):
        day = (now - timedelta(days=(fortnights - n) * 14)).date()
        items = [min(10, start + n) for _, start in _PSFS_START]
        db.add(
            OutcomeMeasure(
                id=new_id(),
                clinic_id=user.clinic_id,
                user_id=user.id,
                measure="psfs",
                week_of=day,
                items=items,
                activities=[name for name, _ in _PSFS_START],
                total=sum(items),
                created_at=now - timedelta(days=(fortnights - n) * 14),
            )
        )
        if n:
            rating = min(3, n)
            db.add(
                OutcomeMeasure(
                    id=new_id(),
                    clinic_id=user.clinic_id,
                    user_id=user.id,
                    measure="grc",
                    week_of=day,
                    items=[rating],
                    total=rating,
                    created_at=now - timedelta(days=(fortnights - n) * 14),
                )
            )


_NOTES = (  # days ago, techniques, leg before/after, back before/after, pressure
    (21, ["myofascial_release"], (7, 4), (5, 4), "light"),
    (14, ["myofascial_release", "swedish"], (6, 4), (5, 3), "light"),
    (7, ["myofascial_release"], (6, 3), (4, 3), "medium"),
    (2, ["swedish"], (5, 4), (4, 3), "medium"),
)


def _add_workspace(db: Session) -> None:
    """The demo client shares everything with the demo therapist, who has a verified profile
    and four session notes (one amended after the 24-hour window). Once only."""
    client = db.scalar(select(User).where(User.email == DEMO_CLIENT[1]))
    therapist = db.scalar(select(User).where(User.email == DEMO_THERAPIST[1]))
    if client is None or therapist is None:
        return
    clinic = client.clinic_id
    if db.scalar(select(Share.id).where(Share.clinic_id == clinic, Share.client_id == client.id)):
        return
    now = utcnow()
    profile = therapists.ensure_profile(db, clinic_id=clinic, user_id=therapist.id)
    for name, value in DEMO_PROFILE.items():
        setattr(profile, name, value)
    profile.verified_at = now - timedelta(days=30)
    db.add(
        Share(
            clinic_id=clinic,
            client_id=client.id,
            therapist_id=therapist.id,
            scopes=["assessments", "diary", "notes"],
            via="code",
            granted_at=now - timedelta(days=28),
            next_session_at=(now + timedelta(days=3)).replace(minute=0, second=0, microsecond=0),
        )
    )
    for days_ago, techniques, (leg, leg_after), (back, back_after), pressure in _NOTES:
        at = now - timedelta(days=days_ago, hours=2)
        data = {
            "session_at": at.isoformat(),
            "subjective": "Leg pain worse after long sitting at work; slept better this week.",
            "objective": "Left piriformis and hamstrings tight; straight-leg raise about 60°.",
            "assessment": "Responding to gentle myofascial work.",
            "plan": "Continue weekly; nerve glides at home.",
            "techniques": techniques,
            "areas_worked": [{"region": "buttock", "side": "left"}, {"region": "lower_back"}],
            "pressure": pressure,
            "duration_minutes": 50,
            "leg_pain_before": leg,
            "leg_pain_after": leg_after,
            "back_pain_before": back,
            "back_pain_after": back_after,
            "reactions": ["soreness_next_day"] if days_ago == 21 else ["none"],
        }
        history = notes.write_note(data, by=therapist.id, now=at + timedelta(hours=1))
        if days_ago == 14:
            history = notes.revise(
                history,
                {"objective": "Left piriformis tight; hamstrings less so than last week."},
                by=therapist.id,
                now=at + timedelta(days=2),
                reason="Corrected after checking my measurements",
            )
        session_notes.store_note(
            db,
            clinic_id=clinic,
            client_id=client.id,
            therapist_id=therapist.id,
            therapist_name=therapist.display_name,
            history=history,
        )
    db.commit()


def load_demo(database_url: str | None = None) -> list[tuple[str, str, str]]:
    """Create (once) the demo accounts and history; returns (role, email, password) for each."""
    if database_url is None:
        from sciatica_care.config import load_settings

        database_url = load_settings().resolved_database_url()
    upgrade(database_url)
    database = Database(database_url)
    try:
        with database.session() as db:
            for role, email, password, name in (DEMO_CLIENT, DEMO_THERAPIST):
                user = db.scalar(
                    select(User).where(User.clinic_id == DEFAULT_CLINIC_ID, User.email == email)
                )
                if user is not None:
                    if not password_hash.verify(password, user.password_hash):
                        user.password_hash = password_hash.hash(password)
                    continue
                user = create_user(db, email=email, password=password, role=role, display_name=name)  # type: ignore[arg-type]
                user.email_verified_at = utcnow()  # demo addresses count as verified
                if role == "client":
                    _add_history(db, user)
            db.commit()
            _add_workspace(db)
            demo_directory.add_directory(db, demo_therapist_email=DEMO_THERAPIST[1])
    finally:
        database.dispose()
    return [(role, email, password) for role, email, password, _ in (DEMO_CLIENT, DEMO_THERAPIST)]
