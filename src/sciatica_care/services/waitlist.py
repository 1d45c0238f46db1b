"""The waitlist: a client asks to be told when an earlier time frees up with a therapist.

When a booking's time frees up (``booking_events.booking_changed`` for the events in
FREES_TIME), the first person waiting (first come, first served) whose wish the freed time meets
and who may book it under the therapist's rules is offered it: a Booking with status "held" is
put in the diary for them until ``hold_expires_at`` (the therapist's ``waitlist_hold_minutes``),
and ``booking_changed(event="offered")`` sends the email. The client accepts (the hold becomes
confirmed or requested; a later booking they wanted to swap is cancelled in the same
transaction) or declines; :func:`expire_offers`, run every minute by the worker, lapses the
holds nobody answered, and each lapsed or declined time goes to the next person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.tables import Booking, User, WaitlistEntry, utcnow
from sciatica_care.i18n import N_
from sciatica_care.services import schedule
from sciatica_care.services.access import is_record_id, require_role
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import record_event
from sciatica_care.services.booking_events import booking_changed
from sciatica_care.services.booking_parties import is_party, party_booking, set_status
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput, NotFound
from sciatica_care.services.waitlist_offers import lapse, release

#: Entries in these states are on the list.
ON_THE_LIST = ("waiting", "offered")

WORDS = {
    "length": N_("this therapist offers sessions of {lengths} minutes"),
    "booking": N_("choose one of your coming bookings with this therapist"),
    "already": N_("you are already on this therapist's waitlist"),
    "not_client": N_("only clients join a waitlist"),
    "no_offer": N_("there is no offer waiting for you here"),
    "lapsed": N_("this offer has lapsed; you are no longer on the waitlist"),
}


@dataclass(frozen=True, slots=True)
class EntryView:
    """One place on a waitlist, as its client and the therapist see it."""

    id: str
    therapist_id: str
    therapist_name: str
    client_id: str
    client_name: str
    length_minutes: int
    earlier_than: datetime | None
    booking_id: str | None
    status: str
    created_at: datetime
    offered_booking_id: str | None
    offered_starts_at: datetime | None
    offer_expires_at: datetime | None


def _name(db: Session, clinic_id: str, user_id: str) -> str:
    user = db.get(User, (clinic_id, user_id))
    return user.display_name if user else ""


def _view(db: Session, entry: WaitlistEntry) -> EntryView:
    held = (
        db.get(Booking, (entry.clinic_id, entry.offered_booking_id))
        if entry.offered_booking_id
        else None
    )
    return EntryView(
        id=entry.id,
        therapist_id=entry.therapist_id,
        therapist_name=_name(db, entry.clinic_id, entry.therapist_id),
        client_id=entry.client_id,
        client_name=_name(db, entry.clinic_id, entry.client_id),
        length_minutes=entry.length_minutes,
        earlier_than=entry.earlier_than,
        booking_id=entry.booking_id,
        status=entry.status,
        created_at=entry.created_at,
        offered_booking_id=entry.offered_booking_id,
        offered_starts_at=held.starts_at if held and entry.status == "offered" else None,
        offer_expires_at=entry.offer_expires_at if entry.status == "offered" else None,
    )


def _entry(db: Session, *, actor: Actor, entry_id: str) -> WaitlistEntry:
    entry = db.get(WaitlistEntry, (actor.clinic_id, entry_id)) if is_record_id(entry_id) else None
    if entry is None or not is_party(
        actor, client_id=entry.client_id, therapist_id=entry.therapist_id
    ):
        raise NotFound("waitlist entry")
    return entry


def _current(
    db: Session, *, clinic_id: str, therapist_id: str, client_id: str
) -> WaitlistEntry | None:
    return db.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.clinic_id == clinic_id,
            WaitlistEntry.therapist_id == therapist_id,
            WaitlistEntry.client_id == client_id,
            WaitlistEntry.status.in_(ON_THE_LIST),
        )
    ).first()


def join(
    db: Session,
    *,
    actor: Actor,
    therapist_id: str,
    length_minutes: int,
    booking_id: str | None = None,
    now: datetime | None = None,
) -> EntryView:
    """Put the client on the therapist's waitlist, for any earlier time of ``length_minutes``
    (or, with ``booking_id``, a time earlier than that booking of theirs, which it replaces)."""
    now = now or utcnow()
    if actor.role != "client":
        raise NotFound("therapist")
    settings = schedule.booking_settings(db, clinic_id=actor.clinic_id, therapist_id=therapist_id)
    if settings is None or len(therapist_id) != 32:
        raise NotFound("therapist")
    problems = []
    if length_minutes not in settings.session_lengths:
        lengths = " or ".join(str(n) for n in sorted(settings.session_lengths))
        problems.append(FieldProblem("length_minutes", WORDS["length"].format(lengths=lengths)))
    earlier_than = None
    if booking_id:
        try:
            booking = party_booking(db, actor=actor, booking_id=booking_id)
        except NotFound:
            booking = None
        usable = (
            booking is not None
            and booking.therapist_id == therapist_id
            and booking.starts_at > now
            and booking.status in ("requested", "confirmed")
        )
        if booking is None or not usable:
            problems.append(FieldProblem("booking_id", WORDS["booking"]))
        else:
            earlier_than = booking.starts_at
    if problems:
        raise InvalidInput(problems)
    if _current(db, clinic_id=actor.clinic_id, therapist_id=therapist_id, client_id=actor.user_id):
        raise Conflict(WORDS["already"])
    entry = WaitlistEntry(
        clinic_id=actor.clinic_id,
        therapist_id=therapist_id,
        client_id=actor.user_id,
        length_minutes=length_minutes,
        earlier_than=earlier_than,
        booking_id=booking_id or None,
        status="waiting",
        created_at=now,
    )
    db.add(entry)
    db.flush()
    record_event(db, actor=actor, action="create", record_type="waitlist_entry", record_id=entry.id)
    db.commit()
    return _view(db, entry)


def entries(db: Session, *, actor: Actor) -> list[EntryView]:
    """The client's places on waitlists, or the therapist's waitlist, first come first."""
    require_role(actor, "client", "therapist")
    column = WaitlistEntry.client_id if actor.role == "client" else WaitlistEntry.therapist_id
    rows = db.scalars(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.clinic_id == actor.clinic_id,
            column == actor.user_id,
            WaitlistEntry.status.in_(ON_THE_LIST),
        )
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    )
    return [_view(db, e) for e in rows]


def entry(db: Session, *, actor: Actor, entry_id: str) -> EntryView:
    """One place on a waitlist (its client's or its therapist's)."""
    return _view(db, _entry(db, actor=actor, entry_id=entry_id))


def mine_with(db: Session, *, actor: Actor, therapist_id: str) -> EntryView | None:
    """The client's current place on this therapist's waitlist, if any."""
    found = _current(
        db, clinic_id=actor.clinic_id, therapist_id=therapist_id, client_id=actor.user_id
    )
    return _view(db, found) if found else None


def leave(db: Session, *, actor: Actor, entry_id: str, now: datetime | None = None) -> None:
    """Take the client off the waitlist (an offer waiting for them is given back)."""
    now = now or utcnow()
    entry = _entry(db, actor=actor, entry_id=entry_id)
    if actor.role != "client" or entry.status not in ON_THE_LIST:
        raise NotFound("waitlist entry")
    schedule.lock_schedule(db, clinic_id=entry.clinic_id, therapist_id=entry.therapist_id)
    was_offered = entry.status == "offered"
    entry.status = "withdrawn"
    if was_offered:
        release(db, entry, by="client", now=now)
    record_event(db, actor=actor, action="delete", record_type="waitlist_entry", record_id=entry.id)
    db.commit()


def _offer(
    db: Session, *, actor: Actor, entry_id: str, now: datetime
) -> tuple[WaitlistEntry, Booking]:
    entry = _entry(db, actor=actor, entry_id=entry_id)
    if actor.role != "client":
        raise NotFound("waitlist entry")
    schedule.lock_schedule(db, clinic_id=entry.clinic_id, therapist_id=entry.therapist_id)
    db.refresh(entry)
    held = db.get(Booking, (entry.clinic_id, entry.offered_booking_id or ""))
    if entry.status != "offered" or held is None or held.status != "held":
        raise Conflict(WORDS["no_offer"])
    if held.hold_expires_at is None or held.hold_expires_at <= now:
        lapse(db, entry, held, now=now)
        db.commit()
        raise Conflict(WORDS["lapsed"])
    return entry, held


def _known(db: Session, booking: Booking) -> bool:
    """Whether the client has had a confirmed or completed session with this therapist."""
    return (
        db.scalars(
            select(Booking.id).where(
                Booking.clinic_id == booking.clinic_id,
                Booking.therapist_id == booking.therapist_id,
                Booking.client_id == booking.client_id,
                Booking.status.in_(("confirmed", "completed")),
            )
        ).first()
        is not None
    )


def accept(db: Session, *, actor: Actor, entry_id: str, now: datetime | None = None) -> str:
    """Take the offered time: confirmed when the client may book directly, else requested;
    the later booking it was to replace is cancelled in the same transaction. Returns the
    booking's id."""
    now = now or utcnow()
    entry, held = _offer(db, actor=actor, entry_id=entry_id, now=now)
    settings = schedule.booking_settings(
        db, clinic_id=entry.clinic_id, therapist_id=entry.therapist_id
    )
    direct = (settings is not None and settings.new_clients == "book") or _known(db, held)
    set_status(held, "confirmed" if direct else "requested", now=now)
    held.hold_expires_at, held.created_by = None, "client"
    entry.status = "accepted"
    later = db.get(Booking, (entry.clinic_id, entry.booking_id or ""))
    db.flush()
    booking_changed(db, held, event="booked" if direct else "requested", by="client", now=now)
    if later is not None and later.status in ("requested", "proposed", "confirmed"):
        set_status(later, "cancelled", now=now, by="client")
        db.flush()
        booking_changed(db, later, event="cancelled", by="client", now=now)
    record_event(db, actor=actor, action="update", record_type="waitlist_entry", record_id=entry.id)
    db.commit()
    return held.id


def decline(db: Session, *, actor: Actor, entry_id: str, now: datetime | None = None) -> None:
    """Turn the offered time down; the client keeps their place for a later offer, and the
    time goes to the next person waiting."""
    now = now or utcnow()
    entry, _held = _offer(db, actor=actor, entry_id=entry_id, now=now)
    entry.status = "waiting"
    release(db, entry, by="client", now=now)
    entry.offered_booking_id, entry.offer_expires_at = None, None
    record_event(db, actor=actor, action="update", record_type="waitlist_entry", record_id=entry.id)
    db.commit()


@dataclass(frozen=True, slots=True)
class JoinOptions:
    """What a client may choose when joining a therapist's waitlist."""

    therapist_id: str
    therapist_name: str
    lengths: tuple[int, ...]
    #: The client's coming bookings with this therapist: (id, start), soonest first.
    bookings: tuple[tuple[str, datetime], ...]


def join_options(
    db: Session, *, actor: Actor, therapist_id: str, now: datetime | None = None
) -> JoinOptions:
    """The session lengths the therapist offers and the client's coming bookings with them."""
    now = now or utcnow()
    settings = (
        schedule.booking_settings(db, clinic_id=actor.clinic_id, therapist_id=therapist_id)
        if actor.role == "client" and len(therapist_id) == 32
        else None
    )
    if settings is None:
        raise NotFound("therapist")
    coming = db.execute(
        select(Booking.id, Booking.starts_at)
        .where(
            Booking.clinic_id == actor.clinic_id,
            Booking.therapist_id == therapist_id,
            Booking.client_id == actor.user_id,
            Booking.status.in_(("requested", "confirmed")),
            Booking.starts_at > now,
        )
        .order_by(Booking.starts_at)
    )
    return JoinOptions(
        therapist_id=therapist_id,
        therapist_name=_name(db, actor.clinic_id, therapist_id),
        lengths=tuple(sorted(settings.session_lengths)),
        bookings=tuple((booking_id, starts) for booking_id, starts in coming),
    )
