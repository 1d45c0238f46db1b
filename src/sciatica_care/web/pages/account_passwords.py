"""Password change (Settings), password reset by emailed link, email verification pages."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sciatica_care.i18n import N_, translator
from sciatica_care.services import email_verification, passwords
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput, NotFound
from sciatica_care.web.auth import CurrentUser, UnitOfWork, in_unit_of_work, settings_of
from sciatica_care.web.language import request_language
from sciatica_care.web.mail import deliver_outbox
from sciatica_care.web.pages.account_words import problem_words
from sciatica_care.web.pages.tracking import to_login
from sciatica_care.web.pages.wizard_form import PageError, errors_by_anchor
from sciatica_care.web.templating import page_context, templates

router = APIRouter()

FIELDS = {
    "current_password": N_("Current password"),
    "new_password": N_("New password"),
    "email": N_("Email address"),
}
LINK_GONE = N_(
    "This link has expired or was used already. Ask for a new one; links work once and only "
    "for a short time."
)


def page_errors_of(
    request: Request, exc: InvalidInput, names: Mapping[str, str] = FIELDS
) -> list[PageError]:
    """The refusals of ``exc``, each naming its field (by ``names``, marked for translation),
    in the request's language."""
    language = request_language(request)
    _ = translator(language)
    return [
        PageError(
            p.field,
            f"field-{p.field}",
            _(names[p.field]) if p.field in names else p.field,
            problem_words(p, _, language=language),
        )
        for p in exc.problems
    ]


def _message(
    request: Request, title: str, message: str, link: tuple[str, str] | None, status: int = 200
) -> Response:
    context = page_context(request, title=title, message=message, link=link)
    return templates.TemplateResponse(request, "pages/message.html", context, status_code=status)


def settings_context(request: Request, db: UnitOfWork, user: Actor) -> dict[str, object]:
    """What the settings page shows about the account's password and email address."""
    return {
        "email_verified": email_verification.is_verified(db, actor=user),
        "password_changed": "password_changed" in request.query_params,
        "verification_sent": "verification_sent" in request.query_params,
    }


@router.post("/settings/password", response_class=HTMLResponse)
async def change_password(
    request: Request, user: CurrentUser, db: UnitOfWork, background: BackgroundTasks
) -> Response:
    """Change the password (knowing the current one); other sessions and tokens end."""
    if user is None:
        return to_login()
    form = await request.form()
    try:
        # Checking the old password and hashing the new one take a CPU-half-second: off the
        # event loop, as the log-in does.
        await run_in_threadpool(
            passwords.change_password,
            db,
            settings=settings_of(request),
            actor=user,
            current_password=str(form.get("current_password") or ""),
            new_password=str(form.get("new_password") or ""),
        )
    except InvalidInput as exc:
        errors = page_errors_of(request, exc)
        context = page_context(
            request,
            user=user,
            nav="settings",
            time_zone=user.time_zone,
            saved=False,
            page_errors=errors,
            errors=errors_by_anchor(errors),
            **settings_context(request, db, user),
        )
        return templates.TemplateResponse(request, "pages/settings.html", context, status_code=422)
    background.add_task(deliver_outbox, request.app)
    return RedirectResponse("/settings?password_changed=1", status_code=303)


@router.post("/settings/verify-email")
def resend_verification(
    request: Request, user: CurrentUser, db: UnitOfWork, background: BackgroundTasks
) -> Response:
    """Mail a fresh verification link to the account's address."""
    if user is None:
        return to_login()
    email_verification.resend(db, settings=settings_of(request), actor=user)
    background.add_task(deliver_outbox, request.app)
    return RedirectResponse("/settings?verification_sent=1", status_code=303)


@router.get("/verify-email", response_class=HTMLResponse)
def verify_email(request: Request, db: UnitOfWork, token: str = "") -> Response:
    """Open the emailed link: the address is verified (once)."""
    _ = translator(request_language(request))
    try:
        email_verification.verify(db, token=token)
    except NotFound:
        return _message(
            request, _("Link not valid"), _(LINK_GONE), ("/settings", _("Settings")), 404
        )
    return _message(
        request,
        _("Email address confirmed"),
        _("Thank you: your email address is confirmed."),
        ("/login", _("Log in")),
    )


@router.get("/password-reset", response_class=HTMLResponse)
def reset_form(request: Request) -> Response:
    """Ask for a reset link by email."""
    context = page_context(request, nav="login", email="", page_errors=[], errors={})
    return templates.TemplateResponse(request, "pages/password_reset.html", context)


@router.post("/password-reset", response_class=HTMLResponse)
async def request_reset(request: Request, background: BackgroundTasks) -> Response:
    """The same answer whether or not the address has an account; the mail goes afterwards."""
    email = str((await request.form()).get("email") or "")

    def work(db: Session, _viewer: Actor | None) -> Response:
        passwords.request_reset(
            db, settings=settings_of(request), email=email, language=request_language(request)
        )
        background.add_task(deliver_outbox, request.app)
        minutes = settings_of(request).password_reset_minutes
        _ = translator(request_language(request))
        return _message(
            request,
            _("Check your email"),
            _(
                "If an account uses that address, we have sent it a link to choose a new password. "
                "The link works once, for %(minutes)s minutes."
            )
            % {"minutes": minutes},
            ("/login", _("Back to log in")),
        )

    return await in_unit_of_work(request, work)


def _link_gone(request: Request) -> Response:
    _ = translator(request_language(request))
    link = ("/password-reset", _("New link"))
    return _message(request, _("Link not valid"), _(LINK_GONE), link, 404)


def _choose_page(
    request: Request, token: str, errors: list[PageError] | None = None, status: int = 200
) -> Response:
    context = page_context(
        request,
        token=token,
        page_errors=errors or [],
        errors=errors_by_anchor(errors),
    )
    return templates.TemplateResponse(
        request, "pages/password_choose.html", context, status_code=status
    )


@router.get("/password-reset/choose", response_class=HTMLResponse)
def choose_form(request: Request, db: UnitOfWork, token: str = "") -> Response:
    """The form for a new password, if the link still works."""
    if not passwords.reset_link_is_valid(db, token=token):
        return _link_gone(request)
    return _choose_page(request, token)


@router.post("/password-reset/choose", response_class=HTMLResponse)
async def choose(request: Request, db: UnitOfWork) -> Response:
    """Set the new password through the link; every session of the account ends."""
    form = await request.form()
    token = str(form.get("token") or "")
    try:
        # Hashing the new password takes a CPU-quarter-second: off the event loop.
        await run_in_threadpool(
            passwords.reset_password,
            db,
            token=token,
            new_password=str(form.get("new_password") or ""),
        )
    except NotFound:
        return _link_gone(request)
    except InvalidInput as exc:
        return _choose_page(request, token, page_errors_of(request, exc), 422)
    _ = translator(request_language(request))
    return _message(
        request,
        _("Password changed"),
        _("Your new password is set, and every device that was signed in has been signed out."),
        ("/login", _("Log in")),
    )
