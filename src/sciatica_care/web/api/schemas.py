"""Request and response bodies of the API (the OpenAPI schema is made from these)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sciatica_care.domain.assessment import Assessment

PlainText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


TimeZoneName = Annotated[
    str,
    Field(
        max_length=64,
        description="IANA time zone name such as Europe/London (default UTC)",
        examples=["Europe/London", "America/New_York"],
    ),
]


class SignUpIn(Body):
    email: Annotated[PlainText, Field(max_length=320)]
    password: Annotated[str, Field(min_length=8, max_length=1024)]
    role: Literal["client", "therapist"] = "client"
    display_name: Annotated[PlainText, Field(max_length=200)] = ""
    time_zone: TimeZoneName = "UTC"
    assessment: Assessment | None = Field(
        default=None, description="an anonymous assessment to keep as the first of the history"
    )


class LogInIn(Body):
    email: Annotated[PlainText, Field(max_length=320)]
    password: Annotated[str, Field(max_length=1024)]


class MeOut(BaseModel):
    id: str
    email: str
    role: str
    display_name: str
    clinic_id: str
    time_zone: str = Field(description="IANA time zone name: the account's days and times")
    reminder_hours_before: int | None = Field(
        default=24, description="hours before a booking its reminder is emailed; null: none"
    )


class MeChangesIn(Body):
    time_zone: TimeZoneName | None = None
    reminder_hours_before: Literal[2, 24, 48] | None = Field(
        default=None,
        description="hours before a booking to email a reminder: 2, 24 or 48; null: no "
        "reminders; leave it out to keep the current setting",
    )


class SignedInOut(BaseModel):
    user: MeOut
    expires_at: datetime
    kept_assessment_id: str | None = None
    csrf_token: str = Field(
        description="send it back in the x-csrftoken header on cookie-authenticated writes"
    )


class CsrfOut(BaseModel):
    csrf_token: str
    header: str


class TokenIn(Body):
    name: Annotated[PlainText, Field(min_length=1, max_length=100)]
    scope: Literal["read", "write"] = Field(
        default="read", description="read: GET only; write: may also change data"
    )
    expires_in_days: int = Field(default=90, ge=1, le=365, description="1 to 365 days")


class TokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    scope: Literal["read", "write"]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = None


class SignedOutEverywhereOut(BaseModel):
    ended: int = Field(description="how many sessions and tokens ended")


class NewTokenOut(TokenOut):
    token: str = Field(description="shown once: send it as 'Authorization: Bearer <token>'")


class ErrorItem(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    detail: str
    errors: list[ErrorItem] = Field(default_factory=list)
