"""Sign up, log in and log out. Sign-up can keep the assessment just taken without an account.

The kept assessment travels in a hidden field as JSON and is validated again here, so a
tampered value is refused rather than trusted.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sciatica_care.domain.time_zones import DEFAULT_TIME_ZONE
from sciatica_care.i18n import N_, translator
from sciatica_care.services import registration
from sciatica_care.services.accounts import MIN_PASSWORD_LENGTH
from sciatica_care.services.errors import InvalidCredentials, InvalidInput, Throttled
from sciatica_care.web import auth
from sciatica_care.web.auth import CurrentUser, UnitOfWork, settings_of, start_page
from sciatica_care.web.language import chosen_language, request_language
from sciatica_care.web.mail import deliver_outbox
from sciatica_care.web.pages import account_passwords
from sciatica_care.web.pages.account_words import refusal_words
from sciatica_care.web.pages.assessment import carried_assessment
from sciatica_care.web.pages.wizard_form import PageError, errors_by_anchor
from sciatica_care.web.templating import page_context, templates

router = APIRouter()
router.include_router(account_passwords.router)
templates.env.globals["min_password_length"] = MIN_PASSWORD_LENGTH

ACCOUNT_FIELDS = {
    "email": N_("Email address"),
    "password": N_("Password"),
    "display_name": N_("Your name"),
    "time_zone": N_("Your time zone"),
}


def _form_page(
    request: Request,
    template: str,
    *,
    errors: list[PageError] | None = None,
    status_code: int = 200,
    **values: Any,
) -> Response:
    by_anchor = errors_by_anchor(errors)
    context = page_context(request, page_errors=errors or [], errors=by_anchor, **values)
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _error(request: Request, field: str, message: str) -> PageError:
    """A refusal naming ``field``, in the request's language."""
    language = request_language(request)
    _ = translator(language)
    name = _(ACCOUNT_FIELDS.get(field, N_("Your details")))
    return PageError(field, f"field-{field}", name, refusal_words(message, _, language=language))


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, user: CurrentUser) -> Response:
    """The sign-up form."""
    if user is not None:
        return RedirectResponse(start_page(user), status_code=303)
    return _form_page(request, "pages/signup.html", nav="signup", email="", keep="")


@router.post("/signup/keep", response_class=HTMLResponse)
async def signup_keeping(request: Request) -> Response:
    """The sign-up form, carrying the assessment just taken so that it is kept."""
    form = await request.form()
    assessment = carried_assessment(form.get("assessment"))
    keep = str(form.get("assessment")) if assessment is not None else ""
    return _form_page(request, "pages/signup.html", nav="signup", email="", keep=keep)


@router.post("/signup", response_class=HTMLResponse)
async def signup(request: Request, db: UnitOfWork, background: BackgroundTasks) -> Response:
    """Sign up; the same "check your email" whether or not the address has an account (a new
    account keeps the carried assessment; an existing one's owner is told by email)."""
    form = await request.form()
    email = str(form.get("email") or "").strip()
    password = str(form.get("password") or "")
    display_name = str(form.get("display_name") or "").strip()
    time_zone = str(form.get("time_zone") or DEFAULT_TIME_ZONE).strip()
    keep = str(form.get("keep") or "")
    assessment = carried_assessment(keep) if keep else None
    try:
        # Hashing the password takes a CPU-quarter-second: off the event loop.
        await run_in_threadpool(
            registration.register,
            db,
            settings=settings_of(request),
            email=email,
            password=password,
            display_name=display_name,
            time_zone=time_zone,
            assessment=assessment,
            language=chosen_language(request),
        )
    except (InvalidInput, Throttled) as exc:
        if isinstance(exc, InvalidInput):
            errors = [_error(request, p.field, p.message) for p in exc.problems]
        else:  # every password-hashing slot is busy
            errors = [_error(request, "password", str(exc))]
        page = _form_page(
            request,
            "pages/signup.html",
            errors=errors,
            status_code=exc.status,
            nav="signup",
            email=email,
            display_name=display_name,
            keep=keep,
            time_zone=time_zone,
            time_zone_chosen=True,
        )
        if isinstance(exc, Throttled):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    background.add_task(deliver_outbox, request.app)
    return check_your_email(request, email)


def check_your_email(request: Request, email: str) -> Response:
    """What every well-formed sign-up answers (it must not tell whether the address is new)."""
    context = page_context(request, nav="signup", email=email)
    return templates.TemplateResponse(request, "pages/signup_sent.html", context)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: CurrentUser) -> Response:
    """The log-in form."""
    if user is not None:
        return RedirectResponse(start_page(user), status_code=303)
    return _form_page(request, "pages/login.html", nav="login", email="")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, db: UnitOfWork) -> Response:
    """Log in; on failure the form again with a message that names no account."""
    form = await request.form()
    email = str(form.get("email") or "").strip()
    password = str(form.get("password") or "")
    response = RedirectResponse("/dashboard", status_code=303)
    try:
        # Checking the password takes a CPU-quarter-second: off the event loop.
        signed_in = await run_in_threadpool(
            auth.sign_in, request, response, db, email=email, password=password
        )
    except (InvalidCredentials, Throttled) as exc:
        page = _form_page(
            request,
            "pages/login.html",
            errors=[_error(request, "email", str(exc))],
            status_code=exc.status,
            nav="login",
            email=email,
        )
        if isinstance(exc, Throttled):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    # Therapists start at their client list, admins at the therapist list.
    response.headers["location"] = start_page(signed_in.actor)
    return response


@router.post("/logout")
def logout(request: Request, db: UnitOfWork) -> Response:
    """End the session and go to the front page."""
    response = RedirectResponse("/?signed_out=1", status_code=303)
    auth.sign_out(request, response, db)
    return response
