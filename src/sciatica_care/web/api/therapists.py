"""Therapist accounts over the API: sign-up with a profile, the profile, the share code,
invitation links; and the admin's verification of profiles."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, status
from pydantic import BaseModel, Field

from sciatica_care.services import sharing, therapists
from sciatica_care.services.therapists import PublicProfile, TherapistProfileInput
from sciatica_care.web.api.account import SIGN_UP_ACCEPTED, AcceptedOut
from sciatica_care.web.api.schemas import Body, ErrorOut, PlainText
from sciatica_care.web.auth import SignedInUser, UnitOfWork, settings_of
from sciatica_care.web.mail import deliver_outbox

router = APIRouter(tags=["therapists"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    403: {"model": ErrorOut, "description": "only a therapist (or an admin) may do this"},
    404: {"model": ErrorOut, "description": "no such record of yours"},
    422: {"model": ErrorOut, "description": "a field is wrong; errors names it"},
}


class TherapistSignUpIn(Body):
    email: Annotated[PlainText, Field(max_length=320)]
    password: Annotated[str, Field(min_length=8, max_length=1024)]
    display_name: Annotated[PlainText, Field(min_length=1, max_length=200)]
    profile: TherapistProfileInput


class PublicProfileOut(BaseModel):
    user_id: str
    display_name: str
    licence_number: str
    years_experience: int
    years_treating_sciatica: int
    techniques: list[str]
    languages: list[str]
    city: str
    bio: str
    verified: bool
    verified_at: datetime | None
    training: list[str] = Field(default_factory=list)
    postcode: str = ""

    @classmethod
    def of(cls, profile: PublicProfile) -> PublicProfileOut:
        return cls.model_validate(profile, from_attributes=True)


class TherapistProfileOut(PublicProfileOut):
    email: str
    share_code: str
    complete: bool
    latitude: float | None = Field(default=None, description="yours only: clients see distances")
    longitude: float | None = None

    @classmethod
    def of(cls, profile: PublicProfile) -> TherapistProfileOut:
        return cls.model_validate(profile, from_attributes=True)


class ShareCodeOut(BaseModel):
    share_code: str


class InvitationIn(Body):
    days: int = Field(default=therapists.INVITATION_DAYS, ge=1, le=therapists.MAX_INVITATION_DAYS)


class InvitationOut(BaseModel):
    id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


class NewInvitationOut(BaseModel):
    id: str
    token: str = Field(description="shown once")
    path: str = Field(description="the page a client opens: /share/invite/{token}")
    url: str = Field(description="the whole link, under SCIATICA_CARE_PUBLIC_BASE_URL")
    expires_at: datetime


@router.post("/auth/signup/therapist", status_code=status.HTTP_202_ACCEPTED, responses=ERRORS)
def sign_up_therapist(
    body: TherapistSignUpIn, request: Request, db: UnitOfWork, background: BackgroundTasks
) -> AcceptedOut:
    """Sign up as a therapist with a profile (unverified until an admin verifies it). The
    answer is the same whether or not the email has an account (see ``/auth/signup``)."""
    therapists.register_therapist(
        db,
        settings=settings_of(request),
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        profile=body.profile,
    )
    background.add_task(deliver_outbox, request.app)
    return AcceptedOut(detail=SIGN_UP_ACCEPTED)


@router.get("/therapist/profile", responses=ERRORS)
def get_profile(actor: SignedInUser, db: UnitOfWork) -> TherapistProfileOut:
    """Your therapist profile, with your share code."""
    return TherapistProfileOut.of(therapists.get_profile(db, actor=actor))


@router.put("/therapist/profile", responses=ERRORS)
def update_profile(
    body: TherapistProfileInput, actor: SignedInUser, db: UnitOfWork
) -> TherapistProfileOut:
    """Change your profile (a changed licence number needs verifying again)."""
    return TherapistProfileOut.of(therapists.update_profile(db, actor=actor, profile=body))


@router.get("/therapist/share-code", responses=ERRORS)
def share_code(actor: SignedInUser, db: UnitOfWork) -> ShareCodeOut:
    """Your share code: a client types it to share their record with you."""
    return ShareCodeOut(share_code=therapists.get_profile(db, actor=actor).share_code)


@router.post("/therapist/share-code/rotate", responses=ERRORS)
def rotate_share_code(actor: SignedInUser, db: UnitOfWork) -> ShareCodeOut:
    """A new share code; the old one stops working at once (existing shares stay)."""
    return ShareCodeOut(share_code=therapists.rotate_share_code(db, actor=actor))


@router.post("/therapist/invitations", status_code=status.HTTP_201_CREATED, responses=ERRORS)
def create_invitation(
    request: Request, actor: SignedInUser, db: UnitOfWork, body: InvitationIn | None = None
) -> NewInvitationOut:
    """An invitation link for one client (single use; expires after ``days`` days)."""
    days = body.days if body is not None else therapists.INVITATION_DAYS
    new = therapists.create_invitation(db, actor=actor, days=days)
    return NewInvitationOut(
        id=new.id,
        token=new.token,
        path=sharing.invitation_path(new.token),
        url=sharing.invitation_link(settings_of(request), new.token),
        expires_at=new.expires_at,
    )


@router.get("/therapist/invitations", responses=ERRORS)
def list_invitations(actor: SignedInUser, db: UnitOfWork) -> list[InvitationOut]:
    """Your invitations, newest first."""
    return [
        InvitationOut.model_validate(row, from_attributes=True)
        for row in therapists.list_invitations(db, actor=actor)
    ]


@router.delete(
    "/therapist/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=ERRORS,
)
def revoke_invitation(invitation_id: str, actor: SignedInUser, db: UnitOfWork) -> None:
    """Withdraw an invitation."""
    therapists.revoke_invitation(db, actor=actor, invitation_id=invitation_id)


@router.get("/admin/therapists", tags=["admin"], responses=ERRORS)
def admin_list(
    actor: SignedInUser,
    db: UnitOfWork,
    verified: Annotated[bool | None, Query()] = None,
) -> list[TherapistProfileOut]:
    """Every therapist profile, unverified first (admins only)."""
    views = therapists.list_profiles(db, actor=actor, verified=verified)
    return [TherapistProfileOut.of(v) for v in views]


@router.post("/admin/therapists/{therapist_id}/verified", tags=["admin"], responses=ERRORS)
def verify(therapist_id: str, actor: SignedInUser, db: UnitOfWork) -> TherapistProfileOut:
    """Mark a therapist's profile verified (admins only)."""
    view = therapists.set_verified(db, actor=actor, therapist_id=therapist_id, verified=True)
    return TherapistProfileOut.of(view)


@router.delete("/admin/therapists/{therapist_id}/verified", tags=["admin"], responses=ERRORS)
def unverify(therapist_id: str, actor: SignedInUser, db: UnitOfWork) -> TherapistProfileOut:
    """Withdraw a profile's verification (admins only)."""
    view = therapists.set_verified(db, actor=actor, therapist_id=therapist_id, verified=False)
    return TherapistProfileOut.of(view)
