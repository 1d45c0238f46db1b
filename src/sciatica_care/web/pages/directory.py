"""The directory pages: find a therapist (filters, ordered for your plan) and a therapist's
public profile with their next free slots and the Book / Request links.

Both are public. Slots are shown in the viewer's zone, named; an anonymous viewer sees the
therapist's zone (and it says so).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sciatica_care.db.tables import DEFAULT_CLINIC_ID
from sciatica_care.domain.directory import TRAINING_NAMES, TRAININGS, plan_wish
from sciatica_care.domain.result import Result
from sciatica_care.domain.time_zones import local_time
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.services import directory, slots
from sciatica_care.services.errors import InvalidInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.pages.wizard_form import PageError, answers_of, errors_by_anchor
from sciatica_care.web.templating import page_context, templates

router = APIRouter()

#: What each search field is called on the page (to name it in an error).
SEARCH_FIELDS: dict[str, str] = {
    "technique": "Technique",
    "min_years": "Years treating sciatica",
    "language": "Language",
    "city": "City",
    "near": "Near (postcode or coordinates)",
    "within_km": "Within (km)",
    "training": "Extra training",
    "accepting": "Accepting new clients",
    "page": "Page",
    "plan_technique": "Your plan",
    "plan_training": "Your plan",
    "plan_language": "Your plan",
}
NEXT_SLOTS = 8


def slot_time(at: datetime, zone_name: str) -> str:
    """A slot as a person reads it, with the zone named: "Tue 3 Jun, 09:00 (Europe/London)"."""
    local = local_time(at, zone_named(zone_name))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({zone_name})"


def book_link(therapist_id: str, starts: datetime, length: int) -> str:
    """The booking page for one slot (its start in UTC, ISO 8601)."""
    starts_at = starts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"/therapists/{therapist_id}/book?{urlencode({'starts': starts_at, 'length': length})}"


def plan_directory_link(result: Result | None) -> str | None:
    """The directory searched for this plan: its top technique offered, ordered by its top
    techniques and the training its precautions ask for; None without a technique to offer."""
    if result is None or not result.recommendations or result.triage.massage_hold:
        return None
    wish = plan_wish(
        techniques=[r.technique for r in result.recommendations], rules_fired=result.rules_fired
    )
    pairs = [("technique", wish.techniques[0])]
    pairs += [("plan_technique", t) for t in wish.techniques]
    pairs += [("plan_training", t) for t in wish.training]
    return f"/therapists?{urlencode(pairs)}"


templates.env.filters["slot_time"] = slot_time
templates.env.globals["book_link"] = book_link
templates.env.globals["plan_directory_link"] = plan_directory_link
templates.env.globals["training_names"] = TRAINING_NAMES


def _error(field: str, message: str) -> PageError:
    head = field.split(".")[0] or "near"
    return PageError(field, f"field-{head}", SEARCH_FIELDS.get(head, "Search"), message)


def _page_link(request: Request, page: int) -> str:
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return f"/therapists?{urlencode([*pairs, ('page', str(page))])}"


@router.get("/therapists", response_class=HTMLResponse)
def directory_page(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Find a therapist: filters, ordered for your plan, ten at a time."""
    pairs = request.query_params.multi_items()
    answers = answers_of(pairs)
    found, errors = None, []
    try:
        query = directory.query_from_pairs(pairs)
        clinic_id = user.clinic_id if user is not None else DEFAULT_CLINIC_ID
        found = directory.search(db, clinic_id=clinic_id, query=query, viewer=user)
    except InvalidInput as exc:
        errors = [_error(p.field, p.message) for p in exc.problems]
    return _render(
        request,
        "pages/directory.html",
        status_code=422 if errors else 200,
        user=user,
        nav="directory",
        answers=answers,
        found=found,
        page_errors=errors,
        errors=errors_by_anchor(errors),
        training_choices=[(t, TRAINING_NAMES[t].capitalize()) for t in TRAININGS],
        previous_page=_page_link(request, found.page - 1) if found and found.page > 1 else None,
        next_page=_page_link(request, found.page + 1)
        if found and found.page < found.pages
        else None,
    )


@router.get("/therapists/{therapist_id}", response_class=HTMLResponse)
def profile_page(
    request: Request, therapist_id: str, user: CurrentUser, db: UnitOfWork
) -> Response:
    """A therapist's public profile with their next free slots and Book / Request links."""
    clinic_id = user.clinic_id if user is not None else DEFAULT_CLINIC_ID
    card = directory.therapist_card(db, clinic_id=clinic_id, therapist_id=therapist_id, viewer=user)
    length_error, length = "", None
    typed = request.query_params.get("length", "")
    if typed:
        length = int(typed) if typed.isdigit() and len(typed) < 4 else -1
    try:
        found = slots.free_slots_of(
            db, clinic_id=clinic_id, therapist_id=therapist_id, length=length, limit=NEXT_SLOTS
        )
    except InvalidInput as exc:
        length_error = exc.problems[0].message
        found = slots.free_slots_of(
            db, clinic_id=clinic_id, therapist_id=therapist_id, limit=NEXT_SLOTS
        )
    viewer_zone = user.time_zone if user is not None else card.time_zone
    return _render(
        request,
        "pages/therapist_public.html",
        user=user,
        nav="directory",
        card=card,
        found=found,
        viewer_zone=viewer_zone,
        length_error=length_error,
        status_code=422 if length_error else 200,
    )


def _render(request: Request, template: str, *, status_code: int = 200, **values: Any) -> Response:
    context = page_context(request, **values)
    return templates.TemplateResponse(request, template, context, status_code=status_code)
