"""The account's settings page: the time zone its days and times are in (clients and
therapists alike; an admin may set one too; stored times stay UTC), and "sign out everywhere"."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sciatica_care.services import accounts
from sciatica_care.services.errors import InvalidInput
from sciatica_care.web import auth
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.pages.account_passwords import settings_context
from sciatica_care.web.pages.tracking import to_login
from sciatica_care.web.pages.wizard_form import PageError, errors_by_anchor
from sciatica_care.web.templating import page_context, templates

router = APIRouter()

FIELD_NAMES = {"time_zone": "Your time zone"}


def _settings_page(
    request: Request,
    user: object,
    *,
    time_zone: str,
    errors: list[PageError] | None = None,
    status_code: int = 200,
    saved: bool = False,
    extra: dict[str, object] | None = None,
) -> Response:
    by_anchor = errors_by_anchor(errors)
    context = page_context(
        request,
        user=user,
        nav="settings",
        time_zone=time_zone,
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
    return _settings_page(request, user, time_zone=user.time_zone, saved=saved, extra=extra)


@router.post("/settings", response_class=HTMLResponse)
async def save_settings(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Change the time zone; an unknown zone gives the form again with the answer kept."""
    if user is None:
        return to_login()
    time_zone = str((await request.form()).get("time_zone") or "").strip()
    try:
        accounts.set_time_zone(db, actor=user, time_zone=time_zone)
    except InvalidInput as exc:
        errors = [
            PageError(p.field, f"field-{p.field}", FIELD_NAMES.get(p.field, p.field), p.message)
            for p in exc.problems
        ]
        return _settings_page(request, user, time_zone=time_zone, errors=errors, status_code=422)
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings/sign-out-everywhere")
def sign_out_everywhere(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """End every session and personal access token of the account, this browser's too; then
    the front page, signed out."""
    if user is None:
        return to_login()
    response = RedirectResponse("/?signed_out=everywhere", status_code=303)
    auth.sign_out_everywhere(request, response, db, user)
    return response
