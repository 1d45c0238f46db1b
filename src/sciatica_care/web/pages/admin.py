"""The administrator's page: therapists and their profiles, with Verify (and Unverify).

Admins manage accounts; they never see health data, and no page here shows any.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sciatica_care.services import therapists
from sciatica_care.services.actors import Actor
from sciatica_care.services.errors import NotFound
from sciatica_care.web.auth import CurrentUser, UnitOfWork
from sciatica_care.web.pages.therapist import render
from sciatica_care.web.pages.tracking import signed_in_page, to_login

router = APIRouter()


def admin_only(user: Actor | None) -> Actor:
    """The admin; anyone else gets the same 404 as a page that does not exist."""
    if user is None or user.role != "admin":
        raise NotFound("page")
    return user


@router.get("/admin/therapists", response_class=HTMLResponse)
def therapist_list(request: Request, user: CurrentUser, db: UnitOfWork) -> Response:
    """Every therapist profile, unverified first, each with a Verify button."""
    if user is None:
        return to_login()
    me = admin_only(user)
    profiles = therapists.list_profiles(db, actor=me)
    return render(
        request,
        "pages/admin_therapists.html",
        user=me,
        nav="admin",
        unverified=[p for p in profiles if not p.verified],
        verified=[p for p in profiles if p.verified],
        changed=request.query_params.get("changed"),
    )


@router.post("/admin/therapists/{therapist_id}/verify")
async def verify(request: Request, therapist_id: str) -> Response:
    """Mark a therapist's profile verified (or, with ``verified=no``, unverified again)."""
    verified = str((await request.form()).get("verified") or "yes") != "no"

    def work(db: Session, user: Actor) -> Response:
        me = admin_only(user)
        therapists.set_verified(db, actor=me, therapist_id=therapist_id, verified=verified)
        state = "verified" if verified else "unverified"
        return RedirectResponse(f"/admin/therapists?changed={state}", status_code=303)

    return await signed_in_page(request, work)
