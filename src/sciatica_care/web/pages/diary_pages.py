"""The check-in list and corrections: /diary a page at a time, a check-in's form filled in to
correct it, saving the correction, and deleting a check-in (the client's own)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.domain.diary import DiaryChanges
from sciatica_care.domain.time_zones import local_time
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import translator
from sciatica_care.services import diary
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import NotFound
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.diary_form import read_checkin, whole_number_query
from sciatica_care.web.pages.tracking import (
    checkin_page,
    render,
    signed_in_page,
    stretches,
    to_login,
)
from sciatica_care.web.pages.wizard_form import Answers, answers_of

router = APIRouter()

#: Check-ins on one page of /diary (newest first).
DIARY_PAGE = 30


def answers_of_entry(entry: Any, user_zone: str | None) -> Answers:
    """A stored check-in as the check-in form's answers (its time in the person's zone)."""
    yes = ["yes"]
    shown = local_time(entry.recorded_at, zone_named(user_zone)).strftime("%Y-%m-%dT%H:%M")
    return {
        "recorded_at": [shown],
        "recorded_at_shown": [shown],
        "leg_pain": [str(entry.leg_pain)],
        "back_pain": [str(entry.back_pain)],
        "stretches": list(entry.stretches),
        "massage": list(entry.massage),
        "heat": yes if entry.heat else [],
        "cold": yes if entry.cold else [],
        "medicine": yes if entry.medicine else [],
        "walk_minutes": [] if entry.walk_minutes is None else [str(entry.walk_minutes)],
        "sleep_quality": [] if entry.sleep_quality is None else [str(entry.sleep_quality)],
        "note": [entry.note],
        "soreness_48h": yes if entry.soreness_48h else [],
    }


@router.get("/diary", response_class=HTMLResponse)
def diary_list(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The check-ins, newest first, a page at a time, each with Edit and Delete."""
    if user is None:
        return to_login()
    language = request_language(request)
    _ = translator(language)
    page = whole_number_query(
        request.query_params.get("page"), _("page"), default=1, language=language
    )
    offset = (page - 1) * DIARY_PAGE
    # One more than a page: whether there is an older page to link to.
    rows = diary.list_entries(db, actor=user, limit=DIARY_PAGE + 1, offset=offset)
    return render(
        request,
        "pages/diary.html",
        user=user,
        nav="diary",
        entries=rows[:DIARY_PAGE],
        page=page,
        older=len(rows) > DIARY_PAGE,
        first_number=offset + 1,
        names=dict(stretches(request_language(request))),
    )


@router.get("/diary/{entry_id}/edit", response_class=HTMLResponse)
def edit_checkin(request: Request, entry_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """A check-in's form, filled in, to correct it."""
    if user is None:
        return to_login()
    if user.role != "client":
        # Only the client corrects their own check-ins; a therapist reads them elsewhere.
        raise NotFound("no such check-in")
    entry = diary.get_entry(db, actor=user, entry_id=entry_id)
    answers = answers_of_entry(entry, user.time_zone)
    return checkin_page(request, user, answers=answers, entry_id=entry.id)


@router.post("/diary/{entry_id}", response_class=HTMLResponse)
async def update_checkin(request: Request, entry_id: str) -> Response:
    """Save a corrected check-in."""
    answers = answers_of((await request.form()).multi_items())
    language = request_language(request)

    def work(db: Session, user: Actor) -> Response:
        changes, errors = read_checkin(
            answers, changes=True, zone=zone_named(user.time_zone), language=language
        )
        if isinstance(changes, DiaryChanges):
            diary.update_entry(db, actor=user, entry_id=entry_id, changes=changes)
            return RedirectResponse("/diary", status_code=303)
        return checkin_page(
            request, user, answers=answers, errors=errors, entry_id=entry_id, status_code=422
        )

    return await signed_in_page(request, work)


@router.post("/diary/{entry_id}/delete")
def delete_checkin(request: Request, entry_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """Delete a check-in."""
    if user is None:
        return to_login()
    diary.delete_entry(db, actor=user, entry_id=entry_id)
    return RedirectResponse("/diary", status_code=303)
