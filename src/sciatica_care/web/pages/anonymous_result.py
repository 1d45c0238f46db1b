"""An anonymous person's result, kept for a day in their own browser so that it has an address.

The choice (issue 10): nothing is stored on the server for a person without an account. The
assessment rides in a signed, HttpOnly cookie (``sc_result``) that only this browser sends,
with a random 128-bit id; the result's address is ``/assessment/result/<id>`` and carries no
health data, so nothing about the person reaches an access log. The page opens only when the
cookie's id matches the address (another browser gets 404), and the signature's timestamp ends
it after ``KEPT_HOURS`` (410 Gone), whatever the browser does with the cookie. Taking the
assessment again replaces it; clearing the browser's cookies erases it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request, Response
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from sciatica_care.domain.assessment import Assessment, AssessmentError, parse_assessment
from sciatica_care.web import cookies
from sciatica_care.web.auth import settings_of

COOKIE = "sc_result"
KEPT_HOURS = 24
_SALT = "sciatica-care anonymous result"


@dataclass(frozen=True, slots=True)
class Kept:
    """What the browser's cookie says about the result at an address."""

    state: Literal["here", "missing", "expired"]
    assessment: Assessment | None = None


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings_of(request).resolved_secret_key(), salt=_SALT)


def _secure(request: Request) -> bool:
    return cookies.secure_request(request.scope, settings_of(request).secure_cookies)


def keep(request: Request, response: Response, assessment: Assessment) -> str:
    """Put ``assessment`` in this browser's result cookie; return the result's new id."""
    result_id = secrets.token_urlsafe(16)  # 128 random bits
    payload: dict[str, Any] = {
        "id": result_id,
        "assessment": assessment.model_dump(mode="json", exclude_defaults=True),
    }
    secure = _secure(request)
    response.set_cookie(
        cookies.name(COOKIE, secure=secure),
        _serializer(request).dumps(payload),
        max_age=KEPT_HOURS * 3600,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )
    return result_id


def kept(request: Request, result_id: str) -> Kept:
    """The assessment kept in this browser under ``result_id``, if it is here and not expired."""
    raw = request.cookies.get(cookies.name(COOKIE, secure=_secure(request)))
    if not raw:
        return Kept("missing")
    try:
        payload = _serializer(request).loads(raw, max_age=KEPT_HOURS * 3600)
    except SignatureExpired:
        return Kept("expired")
    except BadSignature:
        return Kept("missing")
    if not isinstance(payload, dict) or payload.get("id") != result_id:
        return Kept("missing")
    try:
        return Kept("here", parse_assessment(payload.get("assessment")))
    except (AssessmentError, ValueError):
        return Kept("missing")  # e.g. kept before the vocabulary changed
