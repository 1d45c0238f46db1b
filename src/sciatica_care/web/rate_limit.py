"""Rate limits on the routes that cost CPU, per client address, before any other work is done.

- sign-in and sign-up (each hashes a password with argon2), and every other form that checks
  or sets a password (changing it, choosing one through a reset link, erasing the account)
  or mails a link (a password reset, an email verification): per address and for all
  addresses together (``rate_limit_sign_in``, ``rate_limit_sign_in_all``). A stolen session
  cannot test guesses of the password at the CPU's pace, nor anyone flood an inbox;
- assessment evaluation (the wizard, its early triage, the brief, the API): per address;
- data exports (JSON, CSV, FHIR; a therapist's FHIR export of a client too): per address;
- the doctor's report (each PDF is drawn by WeasyPrint) and every open of a clinician link:
  per address (``rate_limit_report``);
- a therapist's free slots (their public profile and the slots API): per address
  (``rate_limit_slots``).
- making a booking (the API and the book page's form; each checks the diary under the
  therapist's schedule lock): per address (``rate_limit_booking``).
- recurring-series previews and creations (each checks every date against the diary): per
  address (``rate_limit_series``).
- calendar feeds and single-booking .ics files: per address (``rate_limit_calendar``).

A refused request gets 429 with ``Retry-After`` and a short message (JSON under /api, plain text
otherwise) that says nothing about any account. Every app process counts together: the buckets
are kept in the database (``db/rate_buckets.py``; ``rate_limit_counts = process`` keeps them in
each process instead). A shared count runs on a few threads of the middleware's own, off the
event loop, so a count that waits for the database holds up no other request; on SQLite a count
is first tried on the event loop without waiting (some 20 µs), and goes to a thread only when
another process holds the file.

The client address is the connection's peer. Only when the peer is one of ``trusted_proxies`` is
``X-Forwarded-For`` read, from the right, skipping trusted proxies: the first address a trusted
proxy did not add itself is the client (anything left of it could be forged by the client).
IPv6 clients are counted per /64, the block one subscriber usually holds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import suppress
from ipaddress import IPv4Network, IPv6Network, ip_address

from anyio import CapacityLimiter, to_thread
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from sciatica_care import i18n
from sciatica_care.config import Settings
from sciatica_care.db.rate_buckets import Buckets, StoreBusy
from sciatica_care.services.throttle import Rate, RateLimiter, SharedRateLimiter
from sciatica_care.web.language import request_language
from sciatica_care.web.security import send_plain_error

log = logging.getLogger(__name__)

API = "/api/v1"
SIGN_IN_ROUTES = frozenset(
    {
        ("POST", "/login"),
        ("POST", "/signup"),
        ("POST", "/therapist/signup"),
        ("POST", f"{API}/auth/login"),
        ("POST", f"{API}/auth/signup"),
        ("POST", f"{API}/auth/signup/therapist"),
        # Each checks the password (argon2), sets a new one, or mails a reset link.
        ("POST", "/settings/password"),
        ("POST", f"{API}/me/password"),
        ("POST", "/privacy/erase"),
        ("POST", f"{API}/me/erase"),
        ("POST", "/password-reset"),
        ("POST", f"{API}/auth/password-reset"),
        ("POST", "/password-reset/choose"),
        ("POST", f"{API}/auth/password-reset/confirm"),
        # Each mails a verification link again.
        ("POST", "/settings/verify-email"),
        ("POST", f"{API}/me/verify-email"),
    }
)
ASSESSMENT_ROUTES = frozenset(
    {
        ("POST", "/assessment"),
        ("POST", "/assessment/triage"),
        ("POST", "/assessment/brief"),
        ("POST", f"{API}/assessments"),
    }
)
EXPORT_ROUTES = frozenset(
    {
        ("GET", f"{API}/export"),
        ("GET", f"{API}/export/diary.csv"),
        ("GET", f"{API}/export/sessions.csv"),
        ("GET", f"{API}/export/outcomes.csv"),
        ("GET", f"{API}/export.zip"),
        ("GET", "/privacy/export.json"),
        ("GET", "/privacy/diary.csv"),
        ("GET", "/privacy/sessions.csv"),
        ("GET", "/privacy/outcomes.csv"),
        ("GET", "/privacy/export.zip"),
        ("GET", f"{API}/export/fhir"),
        ("GET", "/privacy/fhir.json"),
    }
)
#: Exports whose path holds an id: (method, start, end) of the path.
EXPORT_PATTERNS = (("GET", f"{API}/therapist/clients/", "/fhir"),)

#: A therapist's free slots (the profile shows the next few): /therapists/{id} (page and API)
#: and /api/v1/therapists/{id}/slots.
SLOT_PREFIXES = ("/therapists/", f"{API}/therapists/")


def is_slots_route(method: str, path: str) -> bool:
    """Whether the request computes a therapist's free slots: ``GET /therapists/{id}`` (page
    and API) or ``GET /api/v1/therapists/{id}/slots``."""
    for prefix in SLOT_PREFIXES:
        if method == "GET" and path.startswith(prefix):
            rest = path[len(prefix) :].split("/")
            return len(rest) == 1 or (
                len(rest) == 2 and rest[1] == "slots" and prefix != "/therapists/"
            )
    return False


#: Making a booking (each takes the therapist's schedule lock): the API, and the book page's form.
BOOKING_ROUTE = ("POST", f"{API}/bookings")
BOOKING_PAGE = ("POST", "/therapists/", "/book")

#: Recurring-series previews and creations (book-series): (method, start, end) of the path.
SERIES_PATTERNS = (
    ("POST", f"{API}/bookings/", "/series"),
    ("POST", "/bookings/", "/series"),
)
#: Calendars (issue 8): a feed (fetched without cookies: a guessed token is refused by this
#: too) and one booking's .ics.
CALENDAR_SUFFIX = ".ics"
CALENDAR_PREFIXES = ("/calendar/", "/bookings/")

#: The doctor's report, wherever it is asked for: its PDF by any route, and the clinician link.
REPORT_SUFFIX = "/report.pdf"
CLINICIAN_LINK_PREFIX = "/clinician/"

Networks = Sequence[IPv4Network | IPv6Network]


def _matches(patterns: tuple[tuple[str, str, str], ...], method: str, path: str) -> bool:
    return any(
        method == m and path.startswith(start) and path.endswith(end) for m, start, end in patterns
    )


def _is_export(method: str, path: str) -> bool:
    return _matches(EXPORT_PATTERNS, method, path)


def _is_series(method: str, path: str) -> bool:
    return _matches(SERIES_PATTERNS, method, path)


def is_report_route(path: str) -> bool:
    """Whether ``path`` makes a doctor's report (a PDF, or the page of a clinician link)."""
    return path.endswith(REPORT_SUFFIX) or path.startswith(CLINICIAN_LINK_PREFIX)


def is_booking_route(method: str, path: str) -> bool:
    """Whether the request makes a booking."""
    page_method, start, end = BOOKING_PAGE
    page = method == page_method and path.startswith(start) and path.endswith(end)
    return (method, path) == BOOKING_ROUTE or page


def _is_trusted(address: str, trusted: Networks) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def _counted_as(address: str) -> str:
    """The key an address is counted under: IPv4 as is, IPv6 by its /64."""
    try:
        ip = ip_address(address)
    except ValueError:
        return address  # not an IP (a test client, a Unix socket): counted as given
    if ip.version == 6:
        mapped = ip.ipv4_mapped
        if mapped is not None:
            return str(mapped)
        return str(IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def client_address(scope: Scope, trusted: Networks) -> str:
    """The client's address as counted: the peer, or behind trusted proxies the forwarded one."""
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    if not trusted or not _is_trusted(peer, trusted):
        return _counted_as(peer)
    forwarded = ",".join(
        value.decode("latin-1")
        for name, value in scope.get("headers", [])
        if name.lower() == b"x-forwarded-for"
    )
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return _counted_as(hop)
    return _counted_as(hops[0] if hops else peer)


Limiter = RateLimiter | SharedRateLimiter

#: The threads a process's shared counts run on (each count is one short statement).
COUNT_THREADS = 4


class RateLimits:
    """ASGI middleware: refuses (429) a costly request over its address's or the global limit."""

    def __init__(self, app: ASGIApp, *, settings: Settings, buckets: Buckets | None) -> None:
        self.app = app
        self.trusted = settings.trusted_proxy_networks()
        self.shared = buckets is not None
        self.at_once = buckets is not None and buckets.answers_at_once
        self._threads: CapacityLimiter | None = None

        def limiter(name: str, rate: str) -> Limiter:
            if buckets is None:
                return RateLimiter(Rate.parse(rate))
            return SharedRateLimiter(name, Rate.parse(rate), buckets)

        self.sign_in = limiter("sign_in", settings.rate_limit_sign_in)
        self.sign_in_all = limiter("sign_in_all", settings.rate_limit_sign_in_all)
        self.assessment = limiter("assessment", settings.rate_limit_assessment)
        self.export = limiter("export", settings.rate_limit_export)
        self.report = limiter("report", settings.rate_limit_report)
        self.slots = limiter("slots", settings.rate_limit_slots)
        self.booking = limiter("booking", settings.rate_limit_booking)
        self.series = limiter("series", settings.rate_limit_series)
        self.calendar = limiter("calendar", settings.rate_limit_calendar)

    def _counts(self, scope: Scope) -> tuple[tuple[Limiter, str], ...]:
        """The limits the request counts against, in order, each with the key it counts as."""
        route = (str(scope.get("method", "")), str(scope.get("path", "")).rstrip("/") or "/")
        if route in SIGN_IN_ROUTES:
            address = client_address(scope, self.trusted)
            # Per address first, so one address over its limit does not use up the global one.
            return ((self.sign_in, address), (self.sign_in_all, "all"))
        limiter = self._limiter(route)
        if limiter is None:
            return ()
        return ((limiter, client_address(scope, self.trusted)),)

    def _limiter(self, route: tuple[str, str]) -> Limiter | None:
        if route in ASSESSMENT_ROUTES:
            return self.assessment
        if route in EXPORT_ROUTES or _is_export(*route):
            return self.export
        if is_report_route(route[1]):
            return self.report
        if is_slots_route(*route):
            return self.slots
        if is_booking_route(*route):
            return self.booking
        if _is_series(*route):
            return self.series
        if route[1].endswith(CALENDAR_SUFFIX) and route[1].startswith(CALENDAR_PREFIXES):
            return self.calendar
        return None

    async def _wait(self, counts: tuple[tuple[Limiter, str], ...]) -> int:
        pending = list(counts)
        if not self.shared:
            return _hit(pending)
        if self.at_once:  # SQLite: on the event loop, unless another process holds the file
            with suppress(StoreBusy):
                return _hit(pending, at_once=True)
        if self._threads is None:
            self._threads = CapacityLimiter(COUNT_THREADS)
        return await to_thread.run_sync(_hit, pending, limiter=self._threads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (counts := self._counts(scope)):
            await self.app(scope, receive, send)
            return
        if not (wait := await self._wait(counts)):
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        log.info("rate limited %s %s", scope.get("method"), path)
        await _send_too_many(scope, send, retry_after=wait)


def _hit(pending: list[tuple[Limiter, str]], *, at_once: bool = False) -> int:
    """Count the request against each limit in turn, stopping at the first that refuses it:
    0, or the seconds to wait. Each count done leaves ``pending``, so that after a StoreBusy
    (``at_once``) the rest can be counted on a thread."""
    while pending:
        limiter, key = pending[0]
        wait = limiter.hit(key, at_once=at_once)
        del pending[0]
        if wait:
            return wait
    return 0


def too_many_message(retry_after: int) -> str:
    """The words of a rate-limited answer."""
    if retry_after < 120:
        return f"too many requests; please try again in {retry_after} seconds"
    return f"too many requests; please try again in {-(-retry_after // 60)} minutes"


def too_many_text(retry_after: int, language: str) -> str:
    """The words of a rate-limited page (not under /api), in the reader's ``language``."""
    if language == i18n.DEFAULT_LANGUAGE:
        message = too_many_message(retry_after)
        return f"{message[0].upper()}{message[1:]}.\n"
    _ = i18n.translator(language)
    if retry_after < 120:
        words = _("Too many requests. Please try again in %(seconds)s seconds.")
        return words % {"seconds": retry_after} + "\n"
    words = _("Too many requests. Please try again in %(minutes)s minutes.")
    return words % {"minutes": -(-retry_after // 60)} + "\n"


async def _send_too_many(scope: Scope, send: Send, *, retry_after: int) -> None:
    message = too_many_message(retry_after)
    language = request_language(Request(scope))
    await send_plain_error(
        scope,
        send,
        429,
        message,
        text=too_many_text(retry_after, language),
        headers=[(b"retry-after", str(retry_after).encode())],
    )
