"""Therapist accounts: the profile (unverified until an admin verifies it), the share code a
client types to share with them, and invitation links.

Share codes are 8 characters from an alphabet without look-alikes (0/O, 1/I/L, U/V), shown as
"ABCD-EFGH"; typed with or without the dash, in any case. Invitation tokens are random and stored
only as a hash; an invitation is single-use and expires.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, ValidationError, model_validator
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sciatica_care.config import Settings
from sciatica_care.db.tables import ShareInvitation, TherapistProfile, User, utcnow
from sciatica_care.domain.assessment import field_errors
from sciatica_care.domain.directory import DirectoryFields
from sciatica_care.domain.vocabulary import TechniqueId
from sciatica_care.i18n import N_
from sciatica_care.services import accounts
from sciatica_care.services.access import is_record_id, require_role
from sciatica_care.services.actors import Actor
from sciatica_care.services.audit import record_event
from sciatica_care.services.errors import Conflict, FieldProblem, InvalidInput, NotFound

SHARE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
SHARE_CODE_LENGTH = 8
INVITATION_DAYS = 14
MAX_INVITATION_DAYS = 90

Line = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^\x00-\x1f]*$")]


class TherapistProfileInput(DirectoryFields):
    """What a therapist says about themself (with where they are and their extra training, see
    DirectoryFields). Every field is checked and named when wrong."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    licence_number: Annotated[Line, Field(min_length=1, max_length=64)] = Field(
        description="licence or registration number"
    )
    years_experience: int = Field(ge=0, le=70)
    years_treating_sciatica: int = Field(ge=0, le=70)
    techniques: list[TechniqueId] = Field(min_length=1, max_length=5)
    languages: list[Annotated[Line, Field(min_length=2, max_length=40)]] = Field(
        min_length=1, max_length=10
    )
    city: Annotated[Line, Field(min_length=1, max_length=100)]
    bio: Annotated[str, StringConstraints(max_length=1000, pattern=r"^[^\x00]*$")] = ""

    @model_validator(mode="after")
    def _sciatica_within_experience(self) -> TherapistProfileInput:
        if self.years_treating_sciatica > self.years_experience:
            raise ValueError(N_("years_treating_sciatica cannot exceed years_experience"))
        return self


def parse_profile(data: object) -> TherapistProfileInput:
    """Validate a profile from a dict (JSON or form); InvalidInput names every wrong field."""
    if isinstance(data, TherapistProfileInput):
        return data
    try:
        profile = TherapistProfileInput.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in field_errors(exc):
            field = error.field or "years_treating_sciatica"
            problems.append(FieldProblem(field, error.message))
        raise InvalidInput(problems) from None
    return profile.model_copy(
        update={
            "techniques": list(dict.fromkeys(profile.techniques)),
            "languages": list(dict.fromkeys(profile.languages)),
            "training": list(dict.fromkeys(profile.training)),
        }
    )


@dataclass(frozen=True, slots=True)
class PublicProfile:
    """What a client sees of a therapist before sharing (and in the directory)."""

    user_id: str
    display_name: str
    licence_number: str
    years_experience: int
    years_treating_sciatica: int
    techniques: tuple[str, ...]
    languages: tuple[str, ...]
    city: str
    bio: str
    verified: bool
    verified_at: datetime | None
    training: tuple[str, ...] = ()
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class TherapistProfileView(PublicProfile):
    """The therapist's own view (and the admin's): with email, share code, completeness."""

    email: str = ""
    share_code: str = ""
    complete: bool = False
    email_verified: bool = False  # only a verified address's profile can be verified


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """A new invitation; ``token`` is shown once (the link is ``/share/invite/{token}``)."""

    id: str
    token: str
    expires_at: datetime


def format_code(code: str) -> str:
    """A share code as shown: "ABCD-EFGH"."""
    return f"{code[:4]}-{code[4:]}" if len(code) == SHARE_CODE_LENGTH else code


def normalise_code(typed: str) -> str:
    """A typed share code as stored: upper case, without dashes or spaces."""
    return "".join(c for c in typed.upper() if c.isalnum())[:32]


def _new_code() -> str:
    return "".join(secrets.choice(SHARE_CODE_ALPHABET) for _ in range(SHARE_CODE_LENGTH))


def _public(user: User, row: TherapistProfile) -> PublicProfile:
    return PublicProfile(
        user_id=user.id,
        display_name=user.display_name,
        licence_number=row.licence_number,
        years_experience=row.years_experience,
        years_treating_sciatica=row.years_treating_sciatica,
        techniques=tuple(row.techniques),
        languages=tuple(row.languages),
        city=row.city,
        bio=row.bio,
        verified=row.verified_at is not None,
        verified_at=row.verified_at,
        training=tuple(row.training or ()),
        postcode=row.postcode,
        latitude=row.latitude,
        longitude=row.longitude,
    )


def _view(user: User, row: TherapistProfile) -> TherapistProfileView:
    public = _public(user, row)
    return TherapistProfileView(
        **{f: getattr(public, f) for f in PublicProfile.__dataclass_fields__},
        email=user.email,
        share_code=format_code(row.share_code),
        complete=bool(row.licence_number and row.techniques and row.city and row.languages),
        email_verified=user.email_verified_at is not None,
    )


def _apply(row: TherapistProfile, profile: TherapistProfileInput) -> None:
    for name, value in profile.model_dump().items():
        setattr(row, name, value)
    row.updated_at = utcnow()


def _profile_row(db: Session, *, clinic_id: str, user_id: str) -> TherapistProfile | None:
    return db.scalars(
        select(TherapistProfile).where(
            TherapistProfile.clinic_id == clinic_id, TherapistProfile.user_id == user_id
        )
    ).first()


def ensure_profile(db: Session, *, clinic_id: str, user_id: str) -> TherapistProfile:
    row = _profile_row(db, clinic_id=clinic_id, user_id=user_id)
    return _new_profile(db, clinic_id=clinic_id, user_id=user_id) if row is None else row


def _new_profile(db: Session, *, clinic_id: str, user_id: str) -> TherapistProfile:
    """An empty, unverified profile with a share code, flushed (not committed)."""
    row = TherapistProfile(clinic_id=clinic_id, user_id=user_id, share_code=_new_code())
    row.techniques, row.languages = [], []
    db.add(row)
    db.flush()
    return row


def register_therapist(
    db: Session,
    *,
    settings: Settings,
    email: str,
    password: str,
    display_name: str,
    profile: TherapistProfileInput | dict[str, object],
    language: str | None = None,
) -> None:
    """Sign up a therapist with an (unverified) profile without telling whether the email has
    an account (see ``services/registration.py``, also for ``language``); not signed in."""
    from sciatica_care.services.registration import register  # loads assessments: only here

    checked = parse_profile(profile)
    if not display_name.strip():
        raise InvalidInput([FieldProblem("display_name", N_("is required for a therapist"))])

    def add_profile(user: User) -> None:
        _apply(ensure_profile(db, clinic_id=user.clinic_id, user_id=user.id), checked)

    register(
        db,
        settings=settings,
        email=email,
        password=password,
        role="therapist",
        display_name=display_name,
        on_created=add_profile,
        language=language,
    )


def _user(db: Session, clinic_id: str, user_id: str) -> User:
    user = db.get(User, (clinic_id, user_id))
    if user is None:
        raise NotFound("therapist")
    return user


def get_profile(db: Session, *, actor: Actor) -> TherapistProfileView:
    """The therapist's own profile (created empty and unverified if it was never filled in)."""
    require_role(actor, "therapist")
    # The account with its profile in one statement (the client list page opens with it).
    mine = therapists_with_profiles(actor.clinic_id).where(User.id == actor.user_id)
    if (found := db.execute(mine).first()) is not None:
        return _view(found[0], found[1])
    row = _profile_row(db, clinic_id=actor.clinic_id, user_id=actor.user_id)
    if row is None:
        # Kept at once; one that exists is read in the caller's transaction (no commit here).
        row = _new_profile(db, clinic_id=actor.clinic_id, user_id=actor.user_id)
        db.commit()
    return _view(_user(db, actor.clinic_id, actor.user_id), row)


def update_profile(
    db: Session, *, actor: Actor, profile: TherapistProfileInput | dict[str, object]
) -> TherapistProfileView:
    """Change the therapist's profile. A verified profile stays verified (the admin verified
    the person and their licence; a changed licence number needs verifying again)."""
    require_role(actor, "therapist")
    checked = parse_profile(profile)
    row = ensure_profile(db, clinic_id=actor.clinic_id, user_id=actor.user_id)
    if row.licence_number != checked.licence_number:
        row.verified_at, row.verified_by = None, None
    _apply(row, checked)
    db.commit()
    return _view(_user(db, actor.clinic_id, actor.user_id), row)


def rotate_share_code(db: Session, *, actor: Actor) -> str:
    """A new share code for the therapist; the old one stops working at once."""
    require_role(actor, "therapist")
    row = ensure_profile(db, clinic_id=actor.clinic_id, user_id=actor.user_id)
    row.share_code = _new_code()
    row.updated_at = utcnow()
    db.commit()
    return format_code(row.share_code)


def therapists_with_profiles(clinic_id: str) -> Select[User, TherapistProfile]:
    """Therapist accounts of a clinic joined to their profiles; callers add their filters."""
    return (
        select(User, TherapistProfile)
        .join(
            TherapistProfile,
            (TherapistProfile.clinic_id == User.clinic_id) & (TherapistProfile.user_id == User.id),
        )
        .where(User.clinic_id == clinic_id, User.role == "therapist")
    )


def therapist_by_code(db: Session, *, clinic_id: str, code: str) -> tuple[User, TherapistProfile]:
    """The therapist whose current share code is ``code``; NotFound otherwise."""
    wanted = normalise_code(code)
    found = db.execute(
        therapists_with_profiles(clinic_id).where(
            User.disabled_at.is_(None), TherapistProfile.share_code == wanted
        )
    ).first()
    if len(wanted) != SHARE_CODE_LENGTH or found is None:
        raise NotFound("share code")
    return found[0], found[1]


def public_profile(user: User, row: TherapistProfile) -> PublicProfile:
    """The public part of a therapist's profile."""
    return _public(user, row)


def create_invitation(db: Session, *, actor: Actor, days: int = INVITATION_DAYS) -> NewInvitation:
    """An invitation link for one client, valid for ``days`` days (1-90), single use."""
    require_role(actor, "therapist")
    if not 1 <= days <= MAX_INVITATION_DAYS:
        raise InvalidInput([FieldProblem("days", f"must be 1 to {MAX_INVITATION_DAYS}")])
    ensure_profile(db, clinic_id=actor.clinic_id, user_id=actor.user_id)
    token = secrets.token_urlsafe(24)
    row = ShareInvitation(
        clinic_id=actor.clinic_id,
        therapist_id=actor.user_id,
        token_hash=accounts.hash_token(token),
        expires_at=utcnow() + timedelta(days=days),
    )
    db.add(row)
    db.commit()
    return NewInvitation(id=row.id, token=token, expires_at=row.expires_at)


def list_invitations(db: Session, *, actor: Actor) -> Sequence[ShareInvitation]:
    """The therapist's invitations, newest first (``used_at``/``revoked_at`` tell their state)."""
    require_role(actor, "therapist")
    return db.scalars(
        select(ShareInvitation)
        .where(
            ShareInvitation.clinic_id == actor.clinic_id,
            ShareInvitation.therapist_id == actor.user_id,
        )
        .order_by(ShareInvitation.created_at.desc())
        .limit(100)
    ).all()


def revoke_invitation(db: Session, *, actor: Actor, invitation_id: str) -> None:
    """Withdraw an unused invitation; NotFound for anyone else's or an unknown id."""
    require_role(actor, "therapist")
    row = (
        db.get(ShareInvitation, (actor.clinic_id, invitation_id))
        if is_record_id(invitation_id)
        else None
    )
    if row is None or row.therapist_id != actor.user_id:
        raise NotFound("invitation")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db.commit()


def open_invitation(db: Session, *, clinic_id: str, token: str) -> ShareInvitation:
    """The invitation behind ``token`` if it is still usable; NotFound otherwise."""
    row = db.scalars(
        select(ShareInvitation).where(
            ShareInvitation.clinic_id == clinic_id,
            ShareInvitation.token_hash == accounts.hash_token(token[:200]),
        )
    ).first()
    if row is None or row.used_at or row.revoked_at or row.expires_at <= utcnow():
        raise NotFound("invitation")
    return row


def list_profiles(
    db: Session, *, actor: Actor, verified: bool | None = None
) -> list[TherapistProfileView]:
    """Every therapist's profile, for the admin (unverified first)."""
    require_role(actor, "admin")
    query = therapists_with_profiles(actor.clinic_id)
    if verified is not None:
        column = TherapistProfile.verified_at
        query = query.where(column.is_not(None) if verified else column.is_(None))
    rows = db.execute(query.order_by(TherapistProfile.created_at)).all()
    views = [_view(user, row) for user, row in rows]
    return sorted(views, key=lambda v: v.verified)


def set_verified(
    db: Session, *, actor: Actor, therapist_id: str, verified: bool
) -> TherapistProfileView:
    """The admin marks a therapist's profile verified (or not). NotFound for a non-therapist."""
    require_role(actor, "admin")
    user = db.get(User, (actor.clinic_id, therapist_id)) if is_record_id(therapist_id) else None
    if user is None or user.role != "therapist":
        raise NotFound("therapist")
    if verified and user.email_verified_at is None:
        raise Conflict("the therapist has not verified their email address yet")
    row = ensure_profile(db, clinic_id=actor.clinic_id, user_id=user.id)
    row.verified_at, row.verified_by = (utcnow(), actor.user_id) if verified else (None, None)
    record_event(db, actor=actor, action="verify", record_type="therapist", record_id=user.id)
    db.commit()
    return _view(user, row)
