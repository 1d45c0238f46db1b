"""What each party may do with a booking now: the booking lifecycle as a pure table.

A client books a free slot (``confirmed``) or requests one (``requested``). The therapist
confirms, declines or proposes another time (``proposed``); the client accepts the proposal
(``confirmed`` at the new time) or declines it. Either may reschedule or cancel before the start.

The cancellation window: a client cancelling less than ``window`` before the start is told the
policy first and must confirm; the booking becomes ``cancelled`` and is *flagged* as cancelled
late. Only the therapist decides whether it counts: they may then record ``late_cancelled``.
After the start the therapist records ``completed`` or ``no_show`` (and may correct one to the
other).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

Party = Literal["client", "therapist"]
BookingAction = Literal[
    "confirm",
    "decline",
    "propose",
    "accept",
    "reschedule",
    "cancel",
    "late_cancelled",
    "no_show",
    "completed",
]
Status = Literal[
    "requested",
    "proposed",
    "confirmed",
    "held",
    "declined",
    "cancelled",
    "late_cancelled",
    "no_show",
    "completed",
]
STATUSES: tuple[Status, ...] = get_args(Status)
#: The outcomes a therapist records with the ``status`` action.
Recorded = Literal["late_cancelled", "no_show", "completed"]
RECORDED: tuple[Recorded, ...] = get_args(Recorded)
#: What each party may ever do (when, is :func:`allowed_actions`).
ACTIONS_OF: dict[Party, frozenset[BookingAction]] = {
    "client": frozenset({"accept", "decline", "reschedule", "cancel"}),
    "therapist": frozenset(
        {
            "confirm",
            "decline",
            "propose",
            "reschedule",
            "cancel",
            "late_cancelled",
            "no_show",
            "completed",
        }
    ),
}
#: Statuses in which a booking is still coming (it can be moved or cancelled).
OPEN = frozenset({"requested", "proposed", "confirmed"})
#: Statuses a booking ends in.
ENDED = frozenset({"declined", "cancelled", "late_cancelled", "no_show", "completed"})


@dataclass(frozen=True, slots=True)
class BookingState:
    """What the lifecycle needs to know about one booking."""

    status: str
    starts_at: datetime
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None


def inside_window(starts_at: datetime, *, now: datetime, window_hours: int) -> bool:
    """Whether ``now`` is inside the cancellation window before ``starts_at``."""
    return starts_at - timedelta(hours=window_hours) <= now < starts_at


def cancelled_late(state: BookingState, *, window_hours: int) -> bool:
    """Whether the client cancelled inside the window (the therapist may record it as late)."""
    return (
        state.status == "cancelled"
        and state.cancelled_by == "client"
        and state.cancelled_at is not None
        and inside_window(state.starts_at, now=state.cancelled_at, window_hours=window_hours)
    )


def allowed_actions(
    state: BookingState, *, party: Party, now: datetime, window_hours: int
) -> tuple[BookingAction, ...]:
    """The actions ``party`` may take on the booking at ``now``, in a stable order."""
    coming = now < state.starts_at
    status = state.status
    found: list[BookingAction] = []
    if party == "client":
        if status == "proposed":
            found += ["accept", "decline"]
        if coming and status in {"requested", "confirmed"}:
            found.append("reschedule")
        if coming and status in OPEN:
            found.append("cancel")
        return tuple(found)
    if status == "requested":
        found += ["confirm", "decline"]
    if status in {"requested", "proposed"}:
        found.append("propose")
    if coming and status in {"requested", "confirmed"}:
        found.append("reschedule")
    if coming and status in OPEN:
        found.append("cancel")
    late = cancelled_late(state, window_hours=window_hours) or (
        status == "confirmed" and inside_window(state.starts_at, now=now, window_hours=window_hours)
    )
    if late:
        found.append("late_cancelled")
    if not coming and status in {"confirmed", "completed"}:
        found.append("no_show")
    if not coming and status in {"confirmed", "no_show"}:
        found.append("completed")
    return tuple(found)


def may(
    action: BookingAction, state: BookingState, *, party: Party, now: datetime, window_hours: int
) -> bool:
    """Whether ``party`` may take ``action`` now."""
    return action in allowed_actions(state, party=party, now=now, window_hours=window_hours)
