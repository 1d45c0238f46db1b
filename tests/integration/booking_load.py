"""Many clients booking one therapist over HTTP at once (the concurrency test and the
benchmark): accounts with write tokens made directly in the database (no password hashing),
and an asyncio driver that sends the bookings together and records each answer."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from sciatica_care.db.engine import Database
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, ApiToken, Booking, User, utcnow
from sciatica_care.services.accounts import hash_token
from sciatica_care.services.api_tokens import TOKEN_PREFIX
from sciatica_care.services.schedule import ACTIVE_STATUSES
from tests.booking_setup import open_diary


@dataclass(frozen=True)
class Answer:
    """One booking's answer: its status (0: the connection dropped), the fields an error
    names, and how long it took."""

    status: int
    fields: tuple[str, ...]
    seconds: float


def prepare(
    database: Database, clients: int, *, therapists: int = 1
) -> tuple[list[str], list[str]]:
    """``therapists`` therapists whose diaries are open every day, and ``clients`` clients;
    returns the therapists' ids and one write token per client."""
    with database.session() as db:
        made = [
            User(
                clinic_id=DEFAULT_CLINIC_ID,
                email=f"therapist{i}@example.org",
                password_hash="not a login",
                role="therapist",
                display_name=f"Therapist {i}",
            )
            for i in range(therapists)
        ]
        people = [
            User(
                clinic_id=DEFAULT_CLINIC_ID,
                email=f"client{i}@example.org",
                password_hash="not a login",
                role="client",
            )
            for i in range(clients)
        ]
        db.add_all([*made, *people])
        db.commit()
        for therapist in made:
            open_diary(db, therapist.id)
        tokens = [f"{TOKEN_PREFIX}load-{secrets.token_urlsafe(24)}" for _ in people]
        db.add_all(
            ApiToken(
                clinic_id=DEFAULT_CLINIC_ID,
                user_id=person.id,
                name="load",
                prefix=token[:12],
                token_hash=hash_token(token),
                scope="write",
                expires_at=utcnow() + timedelta(days=1),
            )
            for person, token in zip(people, tokens, strict=True)
        )
        db.commit()
        return [t.id for t in made], tokens


async def book_one(
    http: httpx.AsyncClient, token: str, therapist_id: str, starts_at: datetime, length: int
) -> Answer:
    began = time.perf_counter()
    try:
        response = await http.post(
            "/api/v1/bookings",
            json={
                "therapist_id": therapist_id,
                "starts_at": starts_at.isoformat(),
                "length_minutes": length,
            },
            headers={"authorization": f"Bearer {token}"},
        )
    except httpx.TransportError as exc:  # the connection dropped: counted, not fatal
        return Answer(0, (type(exc).__name__,), time.perf_counter() - began)
    seconds = time.perf_counter() - began
    fields: tuple[str, ...] = ()
    if response.status_code >= 400:
        fields = tuple(e.get("field", "") for e in response.json().get("errors", []))
    return Answer(response.status_code, fields, seconds)


async def race(
    base_url: str,
    wanted: list[tuple[str, str, datetime]],
    *,
    length: int = 60,
) -> list[Answer]:
    """Send every (token, therapist, start) booking at once; the answers in the same order."""
    limits = httpx.Limits(max_connections=len(wanted), max_keepalive_connections=len(wanted))
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:
        return list(
            await asyncio.gather(
                *(book_one(http, token, therapist, at, length) for token, therapist, at in wanted)
            )
        )


def double_bookings(database: Database) -> int:
    """Pairs of active bookings of one therapist whose times overlap (must be 0)."""
    other = aliased(Booking)
    with database.session() as db:
        found = db.scalar(
            select(func.count())
            .select_from(Booking)
            .join(
                other,
                (other.clinic_id == Booking.clinic_id)
                & (other.therapist_id == Booking.therapist_id)
                & (other.id > Booking.id)
                & (other.starts_at < Booking.ends_at)
                & (other.ends_at > Booking.starts_at),
            )
            .where(Booking.status.in_(ACTIVE_STATUSES), other.status.in_(ACTIVE_STATUSES))
        )
    return int(found or 0)
