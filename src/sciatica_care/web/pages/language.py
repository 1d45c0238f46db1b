"""The language switch at the foot of every page.

Signed out, it is a link (``GET /language?set=ko&next=/``) that only sets the language cookie;
signed in, it is a form (``POST``, with the CSRF token) that also saves the account's setting, so
emails, calendars and the PDF follow it. ``next`` must be a path on this site (no open redirect).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care import i18n
from sciatica_care.services import accounts
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput
from sciatica_care.web.auth import CurrentUser, in_unit_of_work, secure_cookies
from sciatica_care.web.language import remember_language, request_language
from sciatica_care.web.templating import page_context, templates

router = APIRouter()


def _safe_next(value: str | None) -> str:
    """A local path to go back to; anything else (another site, a scheme) goes home."""
    path = (value or "/").strip()
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    if any(ord(c) < 32 for c in path) or len(path) > 500:
        return "/"
    return path


def _refused(request: Request, user: object) -> Response:
    _ = i18n.translator(request_language(request))
    choices = ", ".join(i18n.LANGUAGES.values())
    context = page_context(
        request,
        user=user,
        title=_("Language"),
        message=_("Choose a language from the list: %(choices)s.") % {"choices": choices},
        link=("/", _("Home")),
    )
    return templates.TemplateResponse(request, "pages/message.html", context, status_code=422)


def _switched(request: Request, language: str, next_path: str | None) -> Response:
    response = RedirectResponse(_safe_next(next_path), status_code=303)
    remember_language(response, language, secure=secure_cookies(request))
    return response


@router.get("/language", response_class=HTMLResponse)
def switch_language(
    request: Request, user: CurrentUser, set: str = "", next: str = "/"
) -> Response:
    """Read pages in another language from now on (this browser)."""
    if not i18n.is_language(set):
        return _refused(request, user)
    return _switched(request, set, next)


@router.post("/language", response_class=HTMLResponse)
async def save_language(request: Request) -> Response:
    """Read pages, and be written to, in another language (saved on the account). The form is
    read on the event loop; the sign-in and the saving run in one unit of work, off it."""
    form = await request.form()
    language, next_path = str(form.get("language") or ""), str(form.get("next") or "/")

    def work(db: Session, user: Actor | None) -> Response:
        if not i18n.is_language(language):
            return _refused(request, user)
        if user is not None:
            try:
                accounts.set_language(db, actor=user, language=language)
            except InvalidInput:
                return _refused(request, user)
        return _switched(request, language, next_path)

    return await in_unit_of_work(request, work)
