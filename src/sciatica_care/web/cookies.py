"""The app's cookie names and attributes, in one place.

Over TLS (``SCIATICA_CARE_SECURE_COOKIES=always``, or ``auto`` on an https request) every cookie
is ``Secure`` and named with the ``__Host-`` prefix, which browsers accept only from a secure
origin, without a Domain and with Path=/: a sibling host or a plain-http port cannot set (toss)
it. Over plain http (``make run`` on localhost) the plain names are used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SESSION = "sc_session"
#: The anonymous visitor's pre-session: what the CSRF token is bound to before sign-in.
VISITOR = "sc_visitor"
HOST_PREFIX = "__Host-"


def secure_request(scope: Mapping[str, Any], mode: str) -> bool:
    """Whether cookies on this request are Secure (and ``__Host-`` named)."""
    return mode == "always" or (mode == "auto" and scope.get("scheme") == "https")


def name(base: str, *, secure: bool) -> str:
    """The cookie's name on a secure or a plain request."""
    return f"{HOST_PREFIX}{base}" if secure else base


def header(cookie: str, value: str, *, secure: bool) -> bytes:
    """A Set-Cookie value for a browser-session cookie: HttpOnly, SameSite=Lax, Path=/."""
    parts = [f"{name(cookie, secure=secure)}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")
