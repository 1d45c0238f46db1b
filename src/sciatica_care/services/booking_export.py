"""The client's bookings, series and waitlist entries as export records (the export and its
access check are :mod:`sciatica_care.services.export`'s; this reads the rows)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, BookingSeries, User, WaitlistEntry
from sciatica_care.reports import export as documents
from sciatica_care.services.actors import Actor


def display_names(db: Session, clinic_id: str, ids: set[str]) -> dict[str, str]:
    """People's names by id: the display name, else the email's local part."""
    if not ids:
        return {}
    rows = db.execute(
        select(User.id, User.display_name, User.email).where(
            User.clinic_id == clinic_id, User.id.in_(ids)
        )
    ).all()
    return {i: name or email.split("@")[0] for i, name, email in rows}


def bookings(db: Session, actor: Actor) -> list[documents.BookingExport]:
    """The actor's bookings as a client, soonest first."""
    rows = db.scalars(
        select(Booking)
        .where(Booking.clinic_id == actor.clinic_id, Booking.client_id == actor.user_id)
        .order_by(Booking.starts_at, Booking.id)
    ).all()
    names = display_names(db, actor.clinic_id, {r.therapist_id for r in rows})
    return [
        documents.BookingExport(
            id=r.id,
            therapist_id=r.therapist_id,
            therapist_name=names.get(r.therapist_id, "a deleted account"),
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            length_minutes=r.length_minutes,
            time_zone=r.time_zone,
            status=r.status,
            series_id=r.series_id,
            created_at=r.created_at,
            created_by=r.created_by,
            cancelled_at=r.cancelled_at,
            cancelled_by=r.cancelled_by,
            proposed_starts_at=r.proposed_starts_at,
        )
        for r in rows
    ]


def series(db: Session, actor: Actor) -> list[documents.SeriesExport]:
    """The actor's recurring series, oldest first."""
    rows = db.scalars(
        select(BookingSeries)
        .where(BookingSeries.clinic_id == actor.clinic_id, BookingSeries.client_id == actor.user_id)
        .order_by(BookingSeries.created_at, BookingSeries.id)
    ).all()
    return [
        documents.SeriesExport(
            id=r.id,
            therapist_id=r.therapist_id,
            first_starts_at=r.first_starts_at,
            local_time=r.local_time.isoformat(timespec="minutes"),
            time_zone=r.time_zone,
            every_weeks=r.every_weeks,
            count=r.count,
            length_minutes=r.length_minutes,
            created_at=r.created_at,
            cancelled_at=r.cancelled_at,
        )
        for r in rows
    ]


def waitlist(db: Session, actor: Actor) -> list[documents.WaitlistExport]:
    """The actor's waitlist entries, oldest first."""
    rows = db.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.clinic_id == actor.clinic_id, WaitlistEntry.client_id == actor.user_id)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    ).all()
    return [
        documents.WaitlistExport(
            id=r.id,
            therapist_id=r.therapist_id,
            length_minutes=r.length_minutes,
            status=r.status,
            created_at=r.created_at,
            earlier_than=r.earlier_than,
            offered_booking_id=r.offered_booking_id,
            offer_expires_at=r.offer_expires_at,
        )
        for r in rows
    ]
