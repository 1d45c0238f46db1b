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
    diary_pages,
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
    therapist_client,
    therapist_notes,
    tracking,
    waitlist,
)

#: The pages' routers in order, each included in the app by ``create_app`` (not nested in one
#: router: see ``web/api/__init__.py``).
routers: list[APIRouter] = [
    module.router
    for module in (
        assessment,
        account,
        tracking,  # before diary_pages: POST /diary/quick is not a check-in's id
        diary_pages,
        outcome_measures,
        history,
        therapist,
        therapist_client,
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
    )
]
