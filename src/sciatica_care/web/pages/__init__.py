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
    directory,
    history,
    outcome_measures,
    privacy,
    report,
    series,
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
    booking,
    bookings,
    series,
    waitlist,
):
    router.include_router(module.router)
