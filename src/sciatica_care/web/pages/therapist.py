"""The therapist's pages: sign-up with a profile, the profile, the client list with the share
code and invitation links, one client's page, and removing a client.

Routes are thin: read the form, call a service, render. The services decide who may see what
(a client who did not share with this therapist answers 404, like an id that does not exist).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sciatica_care.domain.assessment import field_errors
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translator
from sciatica_care.services import sharing, therapists, workspace
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput, NotFound, Throttled
from sciatica_care.services.therapists import TherapistProfileInput
from sciatica_care.web.auth import CurrentUser, UnitOfWork, settings_of, start_page
from sciatica_care.web.language import chosen_language, request_language
from sciatica_care.web.mail import deliver_outbox
from sciatica_care.web.pages import therapist_list, therapist_what_helped  # noqa: F401  (filters)
from sciatica_care.web.pages.account import check_your_email
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import (
    Answers,
    PageError,
    answers_of,
    errors_by_anchor,
    last_answer,
)
from sciatica_care.web.templating import choices, page_context, templates

router = APIRouter()

#: What each control of the profile form is called (to name it in an error), in English: the
#: page shows it in its own language.
PROFILE_FIELDS: dict[str, str] = {
    "display_name": N_("Your name"),
    "email": N_("Email address"),
    "password": N_("Password"),
    "licence_number": N_("Licence or registration number"),
    "years_experience": N_("Years of experience"),
    "years_treating_sciatica": N_("Years treating sciatica"),
    "techniques": N_("Techniques you offer"),
    "languages": N_("Languages"),
    "city": N_("City"),
    "bio": N_("About you"),
    "postcode": N_("Postcode"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "training": N_("Extra training"),
}
YOUR_PROFILE = N_("Your profile")


def render(request: Request, template: str, *, status_code: int = 200, **values: Any) -> Response:
    """A page with the common context."""
    context = page_context(request, **values)
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def grouped(errors: list[PageError]) -> dict[str, list[PageError]]:
    """Errors by the anchor of the control they belong to."""
    return errors_by_anchor(errors)


def therapist_only(user: Actor | None) -> Actor:
    """The therapist; anyone else gets the same 404 as a page that does not exist."""
    if user is None or user.role != "therapist":
        raise NotFound("page")
    return user


def _profile_error(field: str, message: str, language: str = DEFAULT_LANGUAGE) -> PageError:
    head = field.split(".")[0] or "form"
    name = translator(language)(PROFILE_FIELDS.get(head, YOUR_PROFILE))
    return PageError(field, f"field-{head}", name, message)


def technique_choices(language: str) -> list[tuple[str, str]]:
    """Every technique with its label in ``language``, for the check boxes."""
    _ = translator(language)
    return [(value, _(text)) for value, text in choices("techniques")]


def _int_or_text(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def read_profile(
    answers: Answers, language: str = DEFAULT_LANGUAGE
) -> tuple[TherapistProfileInput | None, list[PageError]]:
    """Validate the profile part of the form; the errors name each field (in ``language``)."""

    def last(name: str) -> str:
        return last_answer(answers, name).strip()

    languages = [part.strip() for part in last("languages").split(",") if part.strip()]
    data: dict[str, object] = {
        "licence_number": last("licence_number"),
        "years_experience": _int_or_text(last("years_experience")),
        "years_treating_sciatica": _int_or_text(last("years_treating_sciatica")),
        "techniques": [t for t in answers.get("techniques", []) if t],
        "languages": languages,
        "city": last("city"),
        "bio": last("bio"),
        "postcode": last("postcode"),
        "training": [t for t in answers.get("training", []) if t],
    }
    for name in ("latitude", "longitude"):
        data[name] = last(name) or None  # pydantic reads the number (or names the field)
    try:
        return TherapistProfileInput.model_validate(data), []
    except ValidationError as exc:
        return None, [_profile_error(e.field, e.message, language) for e in field_errors(exc)]


def profile_answers(profile: Any) -> Answers:
    """A stored profile as the form's answers."""
    return {
        "licence_number": [profile.licence_number or ""],
        "years_experience": [str(profile.years_experience)],
        "years_treating_sciatica": [str(profile.years_treating_sciatica)],
        "techniques": list(profile.techniques),
        "languages": [", ".join(profile.languages)],
        "city": [profile.city or ""],
        "bio": [profile.bio or ""],
        "postcode": [profile.postcode or ""],
        "latitude": ["" if profile.latitude is None else str(profile.latitude)],
        "longitude": ["" if profile.longitude is None else str(profile.longitude)],
        "training": list(profile.training),
    }


def _signup_page(
    request: Request, answers: Answers, errors: list[PageError], status_code: int = 200
) -> Response:
    return render(
        request,
        "pages/therapist_signup.html",
        status_code=status_code,
        nav="therapist_signup",
        answers=answers,
        page_errors=errors,
        errors=grouped(errors),
        technique_choices=technique_choices(request_language(request)),
    )


@router.get("/therapist/signup", response_class=HTMLResponse)
def signup_form(request: Request, user: CurrentUser) -> Response:
    """Sign up as a therapist, with the profile clients see before they share."""
    if user is not None:
        return RedirectResponse(start_page(user), status_code=303)
    return _signup_page(request, {}, [])


@router.post("/therapist/signup", response_class=HTMLResponse)
async def signup(request: Request, db: UnitOfWork, background: BackgroundTasks) -> Response:
    """Create the therapist's account and unverified profile; then the client list."""
    form = await request.form()
    answers = answers_of(form.multi_items())
    answers.pop("password", None)  # never sent back to the page
    language = request_language(request)
    profile, errors = read_profile(answers, language)
    if profile is None:
        return _signup_page(request, answers, errors, status_code=422)
    email = str(form.get("email") or "").strip()
    try:
        # The same answer whether or not the address has an account (see registration.py);
        # hashing the password takes a CPU-quarter-second, so off the event loop.
        await run_in_threadpool(
            therapists.register_therapist,
            db,
            settings=settings_of(request),
            email=email,
            password=str(form.get("password") or ""),
            display_name=str(form.get("display_name") or "").strip(),
            profile=profile,
            language=chosen_language(request),
        )
    except InvalidInput as exc:
        errors = [_profile_error(p.field, p.message, language) for p in exc.problems]
        return _signup_page(request, answers, errors, status_code=422)
    except Throttled as exc:  # every password-hashing slot is busy
        busy = [_profile_error("password", str(exc), language)]
        page = _signup_page(request, answers, busy, status_code=exc.status)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    background.add_task(deliver_outbox, request.app)
    return check_your_email(request, email)


def _profile_page(
    request: Request,
    user: Actor,
    profile: Any,
    answers: Answers,
    errors: list[PageError],
    *,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "pages/therapist_profile.html",
        status_code=status_code,
        user=user,
        nav="profile",
        profile=profile,
        answers=answers,
        page_errors=errors,
        errors=grouped(errors),
        saved=saved,
        technique_choices=technique_choices(request_language(request)),
    )


@router.get("/therapist/profile", response_class=HTMLResponse)
def profile_form(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The therapist's own profile, to read and change."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    profile = therapists.get_profile(db, actor=me)
    saved = "saved" in request.query_params
    return _profile_page(request, me, profile, profile_answers(profile), [], saved=saved)


@router.post("/therapist/profile", response_class=HTMLResponse)
async def save_profile(request: Request) -> Response:
    """Save the profile; the form again with every problem named."""
    answers = answers_of((await request.form()).multi_items())

    def work(db: Session, user: Actor) -> Response:
        me = therapist_only(user)
        language = request_language(request)
        profile_input, errors = read_profile(answers, language)
        if profile_input is not None:
            try:
                therapists.update_profile(db, actor=me, profile=profile_input)
                return RedirectResponse("/therapist/profile?saved=1", status_code=303)
            except InvalidInput as exc:
                errors = [_profile_error(p.field, p.message, language) for p in exc.problems]
        profile = therapists.get_profile(db, actor=me)
        return _profile_page(request, me, profile, answers, errors, status_code=422)

    return await signed_in_page(request, work)


def _clients_page(
    request: Request, user: Actor, db: Any, *, invitation: Any = None, rotated: bool = False
) -> Response:
    profile = therapists.get_profile(db, actor=user)
    rows = workspace.client_list(db, actor=user, language=request_language(request))
    invite_url = (
        sharing.invitation_link(settings_of(request), invitation.token)
        if invitation is not None
        else None
    )
    return render(
        request,
        "pages/therapist_clients.html",
        user=user,
        nav="clients",
        profile=profile,
        rows=rows,
        invitation=invitation,
        invite_url=invite_url,
        rotated=rotated,
        welcome="welcome" in request.query_params,
        removed="removed" in request.query_params,
    )


@router.get("/therapist/clients", response_class=HTMLResponse)
def client_list(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Every client who shared: pain and trend, triage, precautions, next session."""
    if user is None:
        return to_login()
    return _clients_page(request, therapist_only(user), db)


@router.post("/therapist/invitations", response_class=HTMLResponse)
def new_invitation(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Make an invitation link (shown once) to send to a client."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    invitation = therapists.create_invitation(db, actor=me)
    return _clients_page(request, me, db, invitation=invitation)


@router.post("/therapist/share-code/rotate", response_class=HTMLResponse)
def rotate_share_code(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """A new share code; the old one stops working at once."""
    if user is None:
        return to_login()
    me = therapist_only(user)
    therapists.rotate_share_code(db, actor=me)
    return _clients_page(request, me, db, rotated=True)


@router.post("/therapist/clients/{client_id}/remove")
def remove_client(request: Request, client_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """End the sharing from the therapist's side; the notes stay in the client's record."""
    if user is None:
        return to_login()
    sharing.remove_client(db, actor=therapist_only(user), client_id=client_id)
    return RedirectResponse("/therapist/clients?removed=1", status_code=303)
