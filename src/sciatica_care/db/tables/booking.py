"""Find and book: a therapist's booking rules and hours, bookings (one-off or in a series),
the waitlist and calendar feeds.

Times of bookings are stored in UTC with the therapist's IANA zone beside them; weekly hours and
exceptions are wall-clock times in the therapist's zone (``users.time_zone``), so a 09:00 slot
stays 09:00 local across a daylight-saving change.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from sciatica_care.db.tables.base import Base, fk_to_user, new_id, utcnow


class BookingSettings(Base):
    """How a therapist takes bookings (one row per therapist; absent until they set it up).

    ``schedule_version`` is bumped by every change to the therapist's bookings: the UPDATE is the
    first statement of a booking transaction, so it takes the row lock (PostgreSQL) or the write
    lock (SQLite) and concurrent bookings for one therapist run one after the other.
    """

    __tablename__ = "booking_settings"
    __table_args__ = (fk_to_user("therapist_id"),)
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    therapist_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_lengths: Mapped[list[int]] = mapped_column(JSON, default=lambda: [60])
    buffer_before_minutes: Mapped[int] = mapped_column(Integer, default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(Integer, default=15)
    min_notice_hours: Mapped[int] = mapped_column(Integer, default=24)
    horizon_days: Mapped[int] = mapped_column(Integer, default=60)
    slot_step_minutes: Mapped[int] = mapped_column(Integer, default=30)
    #: "book": new clients book directly; "request": the therapist confirms each new client.
    new_clients: Mapped[str] = mapped_column(String(8), default="request")
    cancellation_window_hours: Mapped[int] = mapped_column(Integer, default=24)
    waitlist_hold_minutes: Mapped[int] = mapped_column(Integer, default=120)
    accepting_new_clients: Mapped[bool] = mapped_column(Boolean, default=True)
    daily_agenda: Mapped[bool] = mapped_column(Boolean, default=True)
    agenda_sent_on: Mapped[date | None] = mapped_column(Date, default=None)
    schedule_version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WeeklyHours(Base):
    """One stretch of working hours on a weekday (0 = Monday), wall-clock in the therapist's
    zone. A day may have several (09:00–12:00 and 13:00–17:00)."""

    __tablename__ = "weekly_hours"
    __table_args__ = (
        fk_to_user("therapist_id"),
        Index("ix_weekly_hours_therapist", "clinic_id", "therapist_id", "weekday"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    therapist_id: Mapped[str] = mapped_column(String(32))
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)


class AvailabilityException(Base):
    """A change to one day's hours: ``off`` (time off; whole day when ``starts`` is None) or
    ``extra`` (hours added), wall-clock in the therapist's zone."""

    __tablename__ = "availability_exceptions"
    __table_args__ = (
        fk_to_user("therapist_id"),
        Index("ix_availability_exceptions_therapist_day", "clinic_id", "therapist_id", "day"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    therapist_id: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))
    starts: Mapped[time | None] = mapped_column(Time, default=None)
    ends: Mapped[time | None] = mapped_column(Time, default=None)


class BookingSeries(Base):
    """Recurring sessions: every ``every_weeks`` weeks at ``local_time`` in ``time_zone``,
    ``count`` times. Each occurrence is its own Booking and can be moved or cancelled alone."""

    __tablename__ = "booking_series"
    __table_args__ = (fk_to_user("therapist_id"), fk_to_user("client_id"))
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    therapist_id: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str] = mapped_column(String(32))
    first_starts_at: Mapped[datetime]
    local_time: Mapped[time] = mapped_column(Time)
    time_zone: Mapped[str] = mapped_column(String(64))
    every_weeks: Mapped[int] = mapped_column(Integer, default=1)
    count: Mapped[int] = mapped_column(Integer)
    length_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)


class Booking(Base):
    """One appointment between a client and a therapist.

    ``status``: requested · proposed (the therapist offered ``proposed_starts_at`` instead) ·
    confirmed · declined · cancelled · late_cancelled · no_show · completed · held (a waitlist
    offer kept free for one client until ``hold_expires_at``). Only requested, proposed,
    confirmed and held bookings take up time in the therapist's diary.
    """

    __tablename__ = "bookings"
    __table_args__ = (
        fk_to_user("therapist_id"),
        fk_to_user("client_id"),
        Index("ix_bookings_therapist_starts", "clinic_id", "therapist_id", "starts_at"),
        Index("ix_bookings_client_starts", "clinic_id", "client_id", "starts_at"),
        Index("ix_bookings_reminders", "status", "starts_at"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    therapist_id: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str] = mapped_column(String(32))
    series_id: Mapped[str | None] = mapped_column(String(32), default=None)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    length_minutes: Mapped[int] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    proposed_starts_at: Mapped[datetime | None] = mapped_column(default=None)
    hold_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_by: Mapped[str | None] = mapped_column(String(16), default=None)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    session_note_id: Mapped[str | None] = mapped_column(String(32), default=None)
    sequence: Mapped[int] = mapped_column(Integer, default=0)


class WaitlistEntry(Base):
    """A client asking to be told when an earlier slot frees up with a therapist.

    ``status``: waiting · offered (a held Booking ``offered_booking_id`` until
    ``offer_expires_at``) · accepted · expired · withdrawn.
    """

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        fk_to_user("therapist_id"),
        fk_to_user("client_id"),
        Index("ix_waitlist_entries_therapist", "clinic_id", "therapist_id", "status", "created_at"),
    )
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    therapist_id: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str] = mapped_column(String(32))
    length_minutes: Mapped[int] = mapped_column(Integer)
    earlier_than: Mapped[datetime | None] = mapped_column(default=None)
    booking_id: Mapped[str | None] = mapped_column(String(32), default=None)
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    offered_booking_id: Mapped[str | None] = mapped_column(String(32), default=None)
    offer_expires_at: Mapped[datetime | None] = mapped_column(default=None)


class CalendarFeed(Base):
    """A private iCalendar feed address for one user; only a hash of its token is stored.
    Rotating revokes the old row and makes a new one."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (fk_to_user(), Index("ix_calendar_feeds_token_hash", "token_hash"))
    clinic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
