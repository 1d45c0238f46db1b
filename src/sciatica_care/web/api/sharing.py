"""Sharing by consent over the API: the client finds a therapist by code or invitation,
shares chosen scopes, sees who can see their data, changes or revokes a share."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from sciatica_care.services import sharing
from sciatica_care.services.sharing import ShareView
from sciatica_care.web.api.schemas import Body, PlainText
from sciatica_care.web.api.therapists import ERRORS, PublicProfileOut
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(tags=["sharing"])

ScopeName = Literal["assessments", "diary", "notes"]


class ShareIn(Body):
    code: Annotated[PlainText, Field(max_length=32)] | None = Field(
        default=None, description="the therapist's share code (with or without the dash)"
    )
    invitation: Annotated[PlainText, Field(max_length=200)] | None = Field(
        default=None, description="the token of an invitation link"
    )
    scopes: list[ScopeName] = Field(
        description="what the client confirmed to share", min_length=1, max_length=3
    )


class ScopesIn(Body):
    scopes: list[ScopeName] = Field(min_length=1, max_length=3)


class ShareOut(BaseModel):
    id: str
    client_id: str
    client_name: str
    therapist_id: str
    therapist_name: str
    therapist_verified: bool
    scopes: list[str]
    via: str
    granted_at: datetime
    revoked_at: datetime | None
    ended_by: str | None
    next_session_at: datetime | None
    active: bool

    @classmethod
    def of(cls, view: ShareView) -> ShareOut:
        return cls.model_validate(view, from_attributes=True)


@router.get("/sharing/therapist", responses=ERRORS)
def find_therapist(
    actor: SignedInUser,
    db: UnitOfWork,
    code: Annotated[str | None, Query(max_length=32)] = None,
    invitation: Annotated[str | None, Query(max_length=200)] = None,
) -> PublicProfileOut:
    """Who a share code or invitation belongs to, to confirm before sharing."""
    profile = sharing.find_therapist(db, actor=actor, code=code, invitation=invitation)
    return PublicProfileOut.of(profile)


@router.post("/sharing", status_code=status.HTTP_201_CREATED, responses=ERRORS)
def share(body: ShareIn, actor: SignedInUser, db: UnitOfWork) -> ShareOut:
    """Share the confirmed scopes with a therapist (by code or invitation)."""
    view = sharing.share(
        db, actor=actor, scopes=body.scopes, code=body.code, invitation=body.invitation
    )
    return ShareOut.of(view)


@router.get("/sharing", responses=ERRORS)
def my_shares(actor: SignedInUser, db: UnitOfWork, include_ended: bool = False) -> list[ShareOut]:
    """Everyone who can see your data (and, with include_ended, who could)."""
    return [ShareOut.of(v) for v in sharing.my_shares(db, actor=actor, include_ended=include_ended)]


@router.patch("/sharing/{share_id}", responses=ERRORS)
def change_scopes(share_id: str, body: ScopesIn, actor: SignedInUser, db: UnitOfWork) -> ShareOut:
    """Change what a share covers."""
    return ShareOut.of(
        sharing.change_scopes(db, actor=actor, share_id=share_id, scopes=body.scopes)
    )


@router.delete("/sharing/{share_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def revoke(share_id: str, actor: SignedInUser, db: UnitOfWork) -> None:
    """Stop sharing: from the next request the therapist sees nothing more."""
    sharing.revoke(db, actor=actor, share_id=share_id)
