"""Sharing, by the client's consent: find a therapist by share code or invitation link, confirm
exactly what they will see, share; see everyone who can see the data and revoke in one click.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.domain.access import SCOPES
from sciatica_care.i18n import N_, translator
from sciatica_care.services import sharing
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import InvalidInput, NotFound
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.therapist import grouped, render
from sciatica_care.web.pages.tracking import signed_in_page, to_login
from sciatica_care.web.pages.wizard_form import PageError

router = APIRouter()

#: Each scope's name and what it covers, in English (the page shows them translated).
SCOPE_WORDS: dict[str, tuple[str, str]] = {
    "assessments": (
        N_("Assessments"),
        N_("your answers, your pain map, your triage and your plan"),
    ),
    "diary": (
        N_("Diary and weekly scores"),
        N_("your check-ins, your trend and your questionnaire scores"),
    ),
    "notes": (N_("Session notes"), N_("the notes therapists write about your sessions")),
}
#: (scope, name, what it covers) in the order of the access policy's scopes.
SCOPE_CHOICES: list[tuple[str, str, str]] = [(s, *SCOPE_WORDS[s]) for s in SCOPES]


def client_only(user: Actor | None) -> Actor:
    """The client; a therapist or admin gets the same 404 as a page that does not exist."""
    if user is None or user.role != "client":
        raise NotFound("page")
    return user


def _code_page(
    request: Request, user: Actor, *, code: str = "", error: str = "", status_code: int = 200
) -> Response:
    _ = translator(request_language(request))
    errors = [PageError("code", "field-code", _("Share code"), error)] if error else []
    return render(
        request,
        "pages/sharing_code.html",
        status_code=status_code,
        user=user,
        nav="sharing",
        code=code,
        page_errors=errors,
        errors=grouped(errors),
    )


def _confirm_page(
    request: Request,
    user: Actor,
    therapist: Any,
    *,
    code: str = "",
    invitation: str = "",
    chosen: list[str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    _ = translator(request_language(request))
    errors = [PageError("scopes", "field-scopes", _("What to share"), error)] if error else []
    return render(
        request,
        "pages/sharing_confirm.html",
        status_code=status_code,
        user=user,
        nav="sharing",
        therapist=therapist,
        code=code,
        invitation=invitation,
        chosen=chosen or [],  # consent is given by ticking, never pre-ticked
        scope_choices=SCOPE_CHOICES,
        page_errors=errors,
        errors=grouped(errors),
    )


@router.get("/share", response_class=HTMLResponse)
def share_form(request: Request, user: CurrentUser) -> Response:
    """Enter a therapist's share code."""
    if user is None:
        return to_login()
    return _code_page(request, client_only(user))


@router.post("/share/find", response_class=HTMLResponse)
async def find_by_code(request: Request) -> Response:
    """The therapist behind a share code, and exactly what sharing would show them."""
    code = str((await request.form()).get("code") or "").strip()

    def work(db: Session, user: Actor) -> Response:
        me = client_only(user)
        _ = translator(request_language(request))
        if not code:
            return _code_page(
                request, me, error=_("enter the code your therapist gave you"), status_code=422
            )
        try:
            therapist = sharing.find_therapist(db, actor=me, code=code)
        except NotFound:
            return _code_page(
                request,
                me,
                code=code,
                error=_("no therapist has this code: check it with your therapist"),
                status_code=404,
            )
        return _confirm_page(request, me, therapist, code=code)

    return await signed_in_page(request, work)


@router.get("/share/invite/{token}", response_class=HTMLResponse)
def find_by_invitation(request: Request, token: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """An invitation link: who sent it, and what sharing would show them."""
    if user is None:
        return to_login()
    me = client_only(user)
    _ = translator(request_language(request))
    try:
        therapist = sharing.find_therapist(db, actor=me, invitation=token)
    except NotFound:
        return render(
            request,
            "pages/message.html",
            status_code=404,
            user=me,
            title=_("This invitation link does not work"),
            message=_(
                "It may have been used already or have expired. Ask your therapist for a new "
                "link, or for their share code."
            ),
            link=("/share", _("Enter a share code")),
        )
    return _confirm_page(request, me, therapist, invitation=token)


@router.post("/share", response_class=HTMLResponse)
async def share(request: Request) -> Response:
    """Share the chosen parts of the record; then the list of who can see it."""
    form = await request.form()
    code = str(form.get("code") or "").strip()
    invitation = str(form.get("invitation") or "").strip()
    chosen = [str(s) for s in form.getlist("scopes") if str(s) in SCOPES]
    lookup = {"code": code or None, "invitation": invitation or None}

    def work(db: Session, user: Actor) -> Response:
        me = client_only(user)
        _ = translator(request_language(request))

        def again(ticked: list[str], error: str) -> Response:  # the confirm page, refused
            therapist = sharing.find_therapist(db, actor=me, **lookup)
            return _confirm_page(
                request,
                me,
                therapist,
                code=code,
                invitation=invitation,
                chosen=ticked,
                error=error,
                status_code=422,
            )

        if not chosen:
            return again([], _("tick at least one part of your record to share, or cancel"))
        try:
            view = sharing.share(db, actor=me, scopes=chosen, **lookup)
        except InvalidInput as exc:
            return again(chosen, "; ".join(p.message for p in exc.problems))
        return RedirectResponse(f"/sharing?shared={view.id}", status_code=303)

    return await signed_in_page(request, work)


@router.get("/sharing", response_class=HTMLResponse)
def who_can_see(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Everyone who can see my data, with what they see and a one-click revoke."""
    if user is None:
        return to_login()
    me = client_only(user)
    shares = sharing.my_shares(db, actor=me, include_ended=True)
    return render(
        request,
        "pages/sharing_list.html",
        user=me,
        nav="sharing",
        active=[s for s in shares if s.active],
        ended=[s for s in shares if not s.active],
        shared=request.query_params.get("shared"),
        revoked="revoked" in request.query_params,
    )


@router.post("/sharing/{share_id}/revoke")
def revoke(request: Request, share_id: str, user: CurrentUser, db: UnitOfWork) -> Response:
    """Stop sharing with one therapist; it takes effect on their next request."""
    if user is None:
        return to_login()
    sharing.revoke(db, actor=client_only(user), share_id=share_id)
    return RedirectResponse("/sharing?revoked=1", status_code=303)
