"""Calendar feeds over the API: make (or rotate), list and stop one's private feed address."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from sciatica_care.services import calendar_feeds
from sciatica_care.web.api.therapists import ERRORS
from sciatica_care.web.auth import SignedInUser, UnitOfWork, settings_of

router = APIRouter(tags=["calendar"])


class NewFeedOut(BaseModel):
    id: str
    token: str = Field(description="shown only this once; only its hash is kept")
    url: str = Field(description="the private iCalendar address to subscribe to")
    webcal_url: str = Field(description="the same address as webcal:// for calendar apps")
    created_at: datetime


class FeedOut(BaseModel):
    id: str
    created_at: datetime


@router.post("/calendar/feeds", status_code=status.HTTP_201_CREATED, responses=ERRORS)
def make_feed(request: Request, actor: SignedInUser, db: UnitOfWork) -> NewFeedOut:
    """A new private feed address of your sessions; any earlier address stops working."""
    new = calendar_feeds.make_feed(db, actor=actor, settings=settings_of(request))
    return NewFeedOut(
        id=new.id,
        token=new.token,
        url=new.url,
        webcal_url=new.webcal_url,
        created_at=new.created_at,
    )


@router.get("/calendar/feeds", responses=ERRORS)
def list_feeds(actor: SignedInUser, db: UnitOfWork) -> list[FeedOut]:
    """Your working feed addresses (the token itself is never shown again)."""
    rows = calendar_feeds.active_feeds(db, actor=actor)
    out = [FeedOut(id=r.id, created_at=r.created_at) for r in rows]
    db.commit()
    return out


@router.delete("/calendar/feeds", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def revoke_feeds(actor: SignedInUser, db: UnitOfWork) -> None:
    """Stop your feed address: calendar apps subscribed to it get 404 from now on."""
    calendar_feeds.revoke_feeds(db, actor=actor)
