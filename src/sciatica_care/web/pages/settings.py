"""The account's settings page: the time zone its days and times are in (clients and
therapists alike; an admin may set one too; stored times stay UTC), and "sign out everywhere"."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care import i18n
from sciatica_care.i18n import N_
from sciatica_care.services import account_settings
from sciatica_care.services.account_settings import KEEP
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput
from sciatica_care.web import auth
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import remember_language, request_language
from sciatica_care.web.pages.account_passwords import page_errors_of, settings_context
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError, errors_by_anchor
from sciatica_care.web.templating import page_context, templates

router = APIRouter()

FIELD_NAMES = {
    "time_zone": N_("Your time zone"),
    "reminder_hours_before": N_("Reminders"),
    "language": N_("Language"),
}
#: The reminder choices as the form posts them ("none": no reminders).
NO_REMINDERS = "none"


def _reminder_hours(posted: str) -> int | None:
    """The posted reminder choice as hours (None: none); anything else is refused by the
    service as an unknown choice (-1)."""
    if posted == NO_REMINDERS:
        return None
    return int(posted) if posted.isdigit() and len(posted) <= 3 else -1


def _settings_page(
    request: Request,
    user: object,
    *,
    time_zone: str,
    reminder: str = "",
    errors: list[PageError] | None = None,
    status_code: int = 200,
    saved: bool = False,
    language: str = "",
    extra: dict[str, object] | None = None,
) -> Response:
    by_anchor = errors_by_anchor(errors)
    context = page_context(
        request,
        user=user,
        nav="settings",
        time_zone=time_zone,
        reminder=reminder,
        language=language,
        saved=saved,
        page_errors=errors or [],
        errors=by_anchor,
        **(extra or {}),
    )
    return templates.TemplateResponse(
        request, "pages/settings.html", context, status_code=status_code
    )


@router.get("/settings", response_class=HTMLResponse)
def settings_form(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """The settings form: the account's time zone, its password, its email's verification."""
    if user is None:
        return to_login()
    saved = "saved" in request.query_params
    extra = settings_context(request, db, user)
    hours = user.reminder_hours_before
    reminder = NO_REMINDERS if hours is None else str(hours)
    return _settings_page(
        request,
        user,
        time_zone=user.time_zone,
        reminder=reminder,
        saved=saved,
        language=request_language(request),
        extra=extra,
    )


@router.post("/settings", response_class=HTMLResponse)
async def save_settings(request: Request) -> Response:
    """Change the time zone, the language (the account's, and this browser's cookie) and (a
    client's) reminders; an unknown zone or choice gives the form again with the answers kept.
    The form is read on the event loop; the saving runs in one unit of work, off it."""
    form = await request.form()
    time_zone = str(form.get("time_zone") or "").strip()
    posted = form.get("reminder_hours_before")
    reminder = str(posted or "").strip()
    posted_language = form.get("language")
    language = str(posted_language or "").strip()

    def work(db: Session, user: Actor) -> Response:
        try:  # all or nothing: a refused field saves none of the others
            account_settings.change_settings(
                db,
                actor=user,
                time_zone=time_zone,
                reminder_hours=KEEP if posted is None else _reminder_hours(reminder),
                language=None if posted_language is None else language,
            )
        except InvalidInput as exc:
            errors = page_errors_of(request, exc, FIELD_NAMES)
            return _settings_page(
                request,
                user,
                time_zone=time_zone,
                reminder=reminder,
                language=language if i18n.is_language(language) else "",
                errors=errors,
                status_code=422,
            )
        response = RedirectResponse("/settings?saved=1", status_code=303)
        if posted_language is not None:  # this browser reads the chosen language from now on
            remember_language(response, language, secure=auth.secure_cookies(request))
        return response

    return await signed_in_page(request, work)


@router.post("/settings/sign-out-everywhere")
def sign_out_everywhere(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """End every session and personal access token of the account, this browser's too; then
    the front page, signed out."""
    if user is None:
        return to_login()
    response = RedirectResponse("/?signed_out=everywhere", status_code=303)
    auth.sign_out_everywhere(request, response, db, user)
    return response
