"""The server-rendered pages: the assessment wizard and result, accounts, tracking, the
therapist workspace, sharing by consent, the person's data rights, and the admin page."""

from __future__ import annotations

from fastapi import APIRouter

from sciatica_care.web.pages import (
    account,
    admin,
    assessment,
    history,
    language,
    outcome_measures,
    privacy,
    report,
    settings,
    sharing,
    therapist,
    therapist_notes,
    tracking,
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
    sharing,
    privacy,
    report,
    settings,
    admin,
    language,
):
    router.include_router(module.router)
