"""The server-rendered pages: the assessment wizard and result, accounts, tracking, the
therapist workspace, sharing by consent, the person's data rights, and the admin page."""

from __future__ import annotations

from fastapi import APIRouter

from sciatica_care.web.pages import (
    account,
    admin,
    assessment,
    availability,
    booking,
    bookings,
    calendar,
    directory,
    history,
    language,
    outcome_measures,
    privacy,
    report,
    series,
    sessions,
    settings,
    sharing,
    therapist,
    therapist_notes,
    tracking,
    waitlist,
)

router = APIRouter()
for module in (
    assessment,
    account,
    tracking,
    outcome_measures,
    history,
    therapist,
    therapist_notes,
    directory,
    availability,
    sharing,
    privacy,
    report,
    settings,
    admin,
    calendar,  # before the booking pages: /bookings/{id}.ics is not a booking id
    sessions,
    booking,
    bookings,
    series,
    waitlist,
    language,
):
    router.include_router(module.router)
