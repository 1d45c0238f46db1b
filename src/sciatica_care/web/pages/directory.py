"""The directory pages: find a therapist (filters, ordered for your plan) and a therapist's
public profile with their next free slots and the Book / Request links.

Both are public. Slots are shown in the viewer's zone, named; an anonymous viewer sees the
therapist's zone (and it says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import pass_context
from markupsafe import Markup

from sciatica_care import i18n
from sciatica_care.db.tables import DEFAULT_CLINIC_ID
from sciatica_care.domain.directory import REASONS, TRAINING_NAMES, TRAININGS, Reason, plan_wish
from sciatica_care.domain.result import Result
from sciatica_care.domain.spoken_languages import language_name
from sciatica_care.domain.time_zones import local_time
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.domain.vocabulary import LABELS
from sciatica_care.i18n import N_, translator
from sciatica_care.services import directory, slots
from sciatica_care.services.errors import InvalidInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import page_language, request_language
from sciatica_care.web.pages.booking import kept, zone_words
from sciatica_care.web.pages.refusals import refusal_words
from sciatica_care.web.pages.slot_words import when_words
from sciatica_care.web.pages.wizard_form import PageError, answers_of, errors_by_anchor
from sciatica_care.web.templating import choices, page_context, templates

router = APIRouter()

#: What each search field is called on the page (to name it in an error).
SEARCH_FIELDS: dict[str, str] = {
    "technique": N_("Technique"),
    "min_years": N_("Years treating sciatica"),
    "language": N_("Language"),
    "city": N_("City"),
    "near": N_("Near (postcode or coordinates)"),
    "within_km": N_("Within (km)"),
    "training": N_("Extra training"),
    "accepting": N_("Accepting new clients"),
    "page": N_("Page"),
    "plan_technique": N_("Your plan"),
    "plan_training": N_("Your plan"),
    "plan_language": N_("Your plan"),
}
NEXT_SLOTS = 8


def slot_time(at: datetime, zone_name: str, language: str = i18n.DEFAULT_LANGUAGE) -> Markup:
    """A slot as a person reads it, with the zone named: "Tue 3 Jun, 09:00 (Europe/London)"
    (in Korean "6월 3일 (화) 09:00 (Europe/London)"; the zone's name is not translated)."""
    local = local_time(at, zone_named(zone_name))
    zone_said = zone_words(f"({zone_name})", language)
    return Markup("{} {}").format(when_words(local, language, year=False), zone_said)


@pass_context
def slot_time_filter(context: Any, at: datetime, zone_name: str) -> Markup:
    return slot_time(at, zone_name, page_language(context))


def reason_words(reason: Reason, language: str) -> str:
    """Why a therapist is where they are in the order, in ``language``."""
    if language == i18n.DEFAULT_LANGUAGE:
        return reason.text
    _ = translator(language)
    name = reason.name
    if reason.kind in {"top_technique", "technique"}:
        name = _(LABELS["techniques"].get(reason.ref, reason.ref))
    elif reason.kind == "training":
        name = _(TRAINING_NAMES.get(reason.ref, reason.ref))
    elif reason.kind == "language":
        name = language_name(reason.ref, language) or reason.ref
    return _(REASONS[reason.kind]).format(name=name)


@pass_context
def reasons_filter(context: Any, reasons: tuple[Reason, ...]) -> list[str]:
    language = page_language(context)
    return [reason_words(r, language) for r in reasons]


def spoken_words(languages: Iterable[str], language: str) -> Markup:
    """The languages a therapist speaks, named in ``language`` ("한국어, 영어" in Korean); one
    the product cannot name is shown as written, marked as not to be translated."""
    _ = translator(language)
    named = [
        Markup("{}").format(name)
        if (name := language_name(written, language))
        else kept(written, language)
        for written in languages
    ]
    return Markup(_(", ")).join(named)


@pass_context
def spoken_filter(context: Any, languages: Iterable[str]) -> Markup:
    return spoken_words(languages, page_language(context))


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


templates.env.filters["slot_time"] = slot_time_filter
templates.env.filters["reasons"] = reasons_filter
templates.env.filters["spoken"] = spoken_filter
templates.env.globals["book_link"] = book_link
templates.env.globals["plan_directory_link"] = plan_directory_link
templates.env.globals["training_names"] = TRAINING_NAMES


def _error(field: str, message: str, language: str) -> PageError:
    head = field.split(".")[0] or "near"
    _ = translator(language)
    name = _(SEARCH_FIELDS.get(head, N_("Search")))
    return PageError(field, f"field-{head}", name, refusal_words(message, language))


def _page_link(request: Request, page: int) -> str:
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return f"/therapists?{urlencode([*pairs, ('page', str(page))])}"


@router.get("/therapists", response_class=HTMLResponse)
def directory_page(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Find a therapist: filters, ordered for your plan, ten at a time."""
    pairs = request.query_params.multi_items()
    answers = answers_of(pairs)
    language = request_language(request)
    _ = translator(language)
    found, errors = None, []
    try:
        query = directory.query_from_pairs(pairs)
        clinic_id = user.clinic_id if user is not None else DEFAULT_CLINIC_ID
        found = directory.search(db, clinic_id=clinic_id, query=query, viewer=user)
    except InvalidInput as exc:
        errors = [_error(p.field, p.message, language) for p in exc.problems]
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
        training_choices=[(t, _(TRAINING_NAMES[t]).capitalize()) for t in TRAININGS],
        technique_choices=[(v, _(text)) for v, text in choices("techniques")],
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
        length_error = refusal_words(exc.problems[0].message, request_language(request))
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
