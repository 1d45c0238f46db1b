"""The access-control matrix: EVERY route of the app (pages and API, enumerated from the app,
so a new route cannot escape) tried as each member of a fixed cast, with ids that belong to the
client, asserting exactly who may use it. Deny by default: a member not listed as allowed must
be refused (401/403/404, or a page's redirect to /login); someone else's ids answer 404.

The cast: the client (Alice), a second client (Bob), their therapist (Tess, shared with all
scopes), an unrelated therapist (Uma), a therapist whose access was revoked (Rita), an
anonymous visitor, and an admin (Ada). One app and one database per database kind; the cast is
built once per module. Routes that end something (a session, a share, a record) get a fresh one
for each attempt, and "sign out everywhere" a fresh account of the member's role, so the cast
stays intact.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sciatica_care.config import Settings
from sciatica_care.db.tables import DEFAULT_CLINIC_ID, Booking, ClinicianLink
from sciatica_care.domain.follow_up import recheck_questions
from sciatica_care.web.pages import report_document
from tests.booking_setup import days_ahead, open_diary_in, start_in_the_past
from tests.conftest import baseline
from tests.integration.databases import truncate_postgres
from tests.web.booking_setup import book, cancel, open_diary
from tests.web.conftest import PASSWORD, TEST_SECRET, add_user, signed_in_client
from tests.web.consent import API, PROFILE, note_body

CLIENT, OTHER, THERAPIST, UNRELATED, REVOKED, ANON, ADMIN = (
    "client",
    "other_client",
    "therapist",
    "unrelated_therapist",
    "revoked_therapist",
    "anonymous",
    "admin",
)
CAST = (CLIENT, OTHER, THERAPIST, UNRELATED, REVOKED, ANON, ADMIN)
ROLE = {
    CLIENT: "client",
    OTHER: "client",
    THERAPIST: "therapist",
    UNRELATED: "therapist",
    REVOKED: "therapist",
    ADMIN: "admin",
}
EVERYONE = frozenset(CAST)
SIGNED_IN = EVERYONE - {ANON}
CLIENTS = frozenset({CLIENT, OTHER})
THERAPISTS = frozenset({THERAPIST, UNRELATED, REVOKED})
NOT_ADMIN = SIGNED_IN - {ADMIN}
CLIENT_ONLY = frozenset({CLIENT})
THERAPIST_ONLY = frozenset({THERAPIST})
CLIENT_AND_THERAPIST = frozenset({CLIENT, THERAPIST})
ADMIN_ONLY = frozenset({ADMIN})
NOBODY: frozenset[str] = frozenset()
EMAILS = itertools.count()


class Cast:
    """The members' HTTP clients and the ids of the client's record."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.http: dict[str, TestClient] = {}
        self.ids: dict[str, str] = {}
        self.emails = {
            CLIENT: "alice@example.org",
            OTHER: "bob@example.org",
            THERAPIST: "tess@example.org",
            UNRELATED: "uma@example.org",
            REVOKED: "rita@example.org",
            ADMIN: "ada@example.org",
        }
        for member, email in self.emails.items():
            add_user(app, email, ROLE[member])  # type: ignore[arg-type]
            self.http[member] = signed_in_client(app, email)
        self.http[ANON] = self.anonymous()
        alice, tess, rita = self.http[CLIENT], self.http[THERAPIST], self.http[REVOKED]
        self.ids["client_id"] = self._me(alice)
        self.ids["therapist_id"] = self._me(tess)
        for member in (THERAPIST, UNRELATED, REVOKED):
            self.http[member].put(f"{API}/therapist/profile", json=PROFILE)
        assessment = alice.post(f"{API}/assessments", json=baseline())
        self.ids["assessment_id"] = assessment.json()["id"]
        self.ids["entry_id"] = self.diary_entry()
        self.ids["share_id"] = self._share(alice, tess)
        self._revoke(alice, self._share(alice, rita))
        note = tess.post(f"{API}/clients/{self.ids['client_id']}/notes", json=note_body())
        self.ids["note_id"] = note.json()["id"]
        self.ids["token"] = tess.post(f"{API}/therapist/invitations").json()["token"]
        alice.post(
            f"{API}/outcomes/sbi",
            json=dict.fromkeys(("leg_pain", "numbness_tingling", "weakness", "sitting_pain"), 2),
        )
        self.series_cast()

    def anonymous(self) -> TestClient:
        http = TestClient(self.app)
        http.headers["x-csrftoken"] = http.get(f"{API}/auth/csrf").json()["csrf_token"]
        return http

    def fresh_session(self, member: str) -> TestClient:
        return (
            self.anonymous() if member == ANON else signed_in_client(self.app, self.emails[member])
        )

    @staticmethod
    def _me(http: TestClient) -> str:
        me: str = http.get(f"{API}/me").json()["id"]
        return me

    def code(self, member: str = THERAPIST) -> str:
        code: str = self.http[member].get(f"{API}/therapist/share-code").json()["share_code"]
        return code

    def _share(self, client: TestClient, therapist: TestClient) -> str:
        code = therapist.get(f"{API}/therapist/share-code").json()["share_code"]
        body = {"code": code, "scopes": ["assessments", "diary", "notes"]}
        response = client.post(f"{API}/sharing", json=body)
        assert response.status_code == 201, response.text
        share_id: str = response.json()["id"]
        return share_id

    def _revoke(self, client: TestClient, share_id: str) -> None:
        assert client.delete(f"{API}/sharing/{share_id}").status_code == 204

    def new_account(self, role: str) -> TestClient:
        email = f"extra{next(EMAILS)}@example.org"
        add_user(self.app, email, role)  # type: ignore[arg-type]
        return signed_in_client(self.app, email)

    # Fresh targets for routes that end something.
    def diary_entry(self) -> str:
        entry = self.http[CLIENT].post(f"{API}/diary", json={"leg_pain": 5, "back_pain": 2})
        entry_id: str = entry.json()["id"]
        return entry_id

    def api_token(self) -> str:
        token = self.http[CLIENT].post(f"{API}/tokens", json={"name": "script"})
        token_id: str = token.json()["id"]
        return token_id

    def spare_share(self) -> str:
        """A share of the client's with a therapist made for this attempt."""
        return self._share(self.http[CLIENT], self.new_account("therapist"))

    def spare_client(self) -> str:
        """A client (shared with the therapist; shared with and revoked from the revoked
        therapist) made for this attempt, standing in for the client."""
        spare = self.new_account("client")
        self._share(spare, self.http[THERAPIST])
        self._revoke(spare, self._share(spare, self.http[REVOKED]))
        return self._me(spare)

    def invitation(self) -> str:
        made = self.http[THERAPIST].post(f"{API}/therapist/invitations")
        invitation_id: str = made.json()["id"]
        return invitation_id

    def _new_clinician_link(self) -> tuple[str, str]:
        """A read-only report link of the client's made for this attempt: its id and token."""
        page = self.http[CLIENT].post("/report/links", data={"days": "2"})
        found = re.search(r"/clinician/([A-Za-z0-9_-]+)\"", page.text)
        assert page.status_code == 200 and found, page.text
        with self.app.state.database.session() as db:
            link_id = db.scalars(
                select(ClinicianLink.id).order_by(ClinicianLink.created_at.desc()).limit(1)
            ).one()
        return link_id, found.group(1)

    def clinician_link(self) -> str:
        return self._new_clinician_link()[0]

    def clinician_token(self) -> str:
        return self._new_clinician_link()[1]

    # --- Bookings: one of the client's with the therapist, a series, waitlist places ---
    def series_cast(self) -> None:
        self.spares = itertools.count()
        # One diary for every booking route of the matrix (see _open_diary below).
        open_diary_in(self.app.state.database, self.ids["therapist_id"], horizon_days=365)
        self.ids["diary"] = "open"
        self.ids["booking_id"] = self.spare_booking()
        self.ids["series_id"] = self.spare_series()
        made = self.http[CLIENT].post(
            f"{API}/waitlist", json={"therapist_id": self.ids["therapist_id"], "length_minutes": 60}
        )
        self.ids["waitlist_id"] = made.json()["id"]

    def spare_booking(self) -> str:
        """A booking of the client's with the therapist, on a day no other spare uses (a
        series of two from it takes the same time a week later: odd days, so never clashing)."""
        return book(
            self.app,
            therapist_id=self.ids["therapist_id"],
            client_id=self.ids["client_id"],
            starts_at=days_ahead(30 + 2 * next(self.spares)),
        )

    def spare_series(self) -> str:
        booking_id = self.spare_booking()
        made = self.http[CLIENT].post(f"{API}/bookings/{booking_id}/series", json={"count": 2})
        assert made.status_code == 201, made.text
        series_id: str = made.json()["id"]
        return series_id

    def spare_series_booking(self) -> str:
        """The first booking of a fresh series of the client's."""
        series = self.http[CLIENT].get(f"{API}/series/{self.spare_series()}").json()
        booking_id: str = series["sessions"][0]["booking_id"]
        return booking_id

    def spare_place(self, *, offered: bool = False) -> str:
        """The client's place on a new therapist's waitlist (offered a time, when asked)."""
        therapist = self.new_account("therapist")
        therapist_id = self._me(therapist)
        open_diary(self.app, therapist_id)
        taken = book(
            self.app,
            therapist_id=therapist_id,
            client_id=self._me(self.http[OTHER]),
            starts_at=days_ahead(2),
        )
        body = {"therapist_id": therapist_id, "length_minutes": 60}
        place: str = self.http[CLIENT].post(f"{API}/waitlist", json=body).json()["id"]
        if offered:
            cancel(self.app, taken)
        return place

    def spare_offer(self) -> str:
        return self.spare_place(offered=True)


Body = Callable[[Cast], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    """Who may use a route, and how to call it."""

    allowed: frozenset[str]
    json: Body | None = None
    form: Body | None = None
    params: Body | None = None
    fresh: dict[str, Callable[[Cast], str]] = field(default_factory=dict)
    fresh_session: bool = False
    fresh_account: bool = False  # ends every session of the account: a new one of each role
    allowed_status: frozenset[int] | None = None  # default: any 2xx/3xx (API: 2xx)
    owned_by_client: bool = True  # path ids belong to the client (or their therapist)


def unique_signup(_: Cast) -> dict[str, Any]:
    return {"email": f"new{next(EMAILS)}@example.org", "password": PASSWORD}


def code_body(cast: Cast) -> dict[str, Any]:
    return {"code": cast.code(), "scopes": ["assessments", "diary", "notes"]}


ALL_SCOPES = {"scopes": ["assessments", "diary", "notes"]}
DIARY_ENTRY = {"leg_pain": 4, "back_pain": 2}
SAFETY_NO = {q: False for q, _ in recheck_questions(None)}
SBI = dict.fromkeys(("leg_pain", "numbness_tingling", "weakness", "sitting_pain"), 3)
PSFS = {"activities": [{"activity": "Sitting at work", "score": 4}]}
WRONG_PASSWORD = {"password": "not the password", "confirm": "delete my account"}
LOGIN = {"email": "alice@example.org", "password": PASSWORD}
NEXT_YEAR = date.today().year + 1
AVAILABILITY = {
    "session_lengths": [60],
    "weekly_hours": [{"weekday": 0, "starts": "09:00", "ends": "17:00"}],
}  # a next session is booked at most two years ahead


LINK_GONE = frozenset({404})  # a made-up emailed link finds nothing, for anyone


def const(value: dict[str, Any]) -> Body:
    return lambda _cast: value


# Every route of the app. Keys are "METHOD /path" exactly as the app declares them.
EXPECTED: dict[str, Rule] = {
    # --- API: accounts and the client's own data (acting on the signed-in account) ---
    "GET /api/v1/openapi.json": Rule(EVERYONE),
    "GET /api/v1/ping": Rule(EVERYONE),
    "POST /api/v1/auth/signup": Rule(EVERYONE, json=unique_signup, fresh_session=True),
    "POST /api/v1/auth/login": Rule(EVERYONE, json=const(LOGIN), fresh_session=True),
    "GET /api/v1/auth/csrf": Rule(EVERYONE),
    "POST /api/v1/auth/logout": Rule(EVERYONE, fresh_session=True),
    "POST /api/v1/auth/logout-everywhere": Rule(SIGNED_IN, fresh_account=True),
    "GET /api/v1/me": Rule(SIGNED_IN),
    # Password change and reset, email verification: one's own account, or a link's token.
    # A wrong current password or a made-up link is what the matrix can try without ending
    # the cast's sessions; the flows themselves are in test_passwords.py.
    "POST /api/v1/me/password": Rule(
        SIGNED_IN,
        json=const({"current_password": "not the password", "new_password": "x" * 12}),
        allowed_status=frozenset({422}),
    ),
    "POST /api/v1/me/verify-email": Rule(SIGNED_IN),
    "POST /api/v1/auth/password-reset": Rule(EVERYONE, json=const({"email": "nobody@example.org"})),
    "POST /api/v1/auth/password-reset/confirm": Rule(
        EVERYONE,
        json=const({"token": "made-up", "new_password": "x" * 12}),
        allowed_status=LINK_GONE,
    ),
    "POST /api/v1/auth/verify-email": Rule(
        EVERYONE, json=const({"token": "made-up"}), allowed_status=LINK_GONE
    ),
    "PATCH /api/v1/me": Rule(SIGNED_IN, json=const({"time_zone": "UTC"})),
    "POST /api/v1/tokens": Rule(SIGNED_IN, json=const({"name": "matrix"})),
    "GET /api/v1/tokens": Rule(SIGNED_IN),
    "DELETE /api/v1/tokens/{token_id}": Rule(CLIENT_ONLY, fresh={"token_id": Cast.api_token}),
    "POST /api/v1/assessments": Rule(EVERYONE - {ADMIN}, json=const(baseline())),
    "GET /api/v1/assessments": Rule(NOT_ADMIN),
    "GET /api/v1/assessments/{assessment_id}": Rule(CLIENT_AND_THERAPIST),
    "POST /api/v1/diary": Rule(NOT_ADMIN, json=const(DIARY_ENTRY)),
    "GET /api/v1/diary": Rule(NOT_ADMIN),
    "GET /api/v1/diary/{entry_id}": Rule(CLIENT_AND_THERAPIST),
    "PATCH /api/v1/diary/{entry_id}": Rule(CLIENT_ONLY, json=const({"note": "x"})),
    "DELETE /api/v1/diary/{entry_id}": Rule(CLIENT_ONLY, fresh={"entry_id": Cast.diary_entry}),
    # The safety re-check: one's own diary (a therapist's consent covers reading, not answering).
    "GET /api/v1/safety-check": Rule(NOT_ADMIN),
    "GET /api/v1/diary/{entry_id}/safety-check": Rule(CLIENT_ONLY),
    "POST /api/v1/diary/{entry_id}/safety-check": Rule(
        CLIENT_ONLY, json=const({"answers": SAFETY_NO}), fresh={"entry_id": Cast.diary_entry}
    ),
    "GET /api/v1/trend": Rule(NOT_ADMIN),
    "GET /api/v1/dashboard": Rule(NOT_ADMIN),
    "POST /api/v1/outcomes/sbi": Rule(NOT_ADMIN, json=const(SBI)),
    "GET /api/v1/outcomes/sbi": Rule(NOT_ADMIN),
    # The PSFS and the global rating: one's own (a therapist reads a client's with ?client_id=,
    # covered in test_outcome_measures.py).
    "POST /api/v1/psfs": Rule(NOT_ADMIN, json=const(PSFS)),
    "GET /api/v1/psfs": Rule(NOT_ADMIN),
    "POST /api/v1/global-rating": Rule(NOT_ADMIN, json=const({"rating": 1})),
    "GET /api/v1/global-rating": Rule(NOT_ADMIN),
    # --- API: therapists and admin ---
    "POST /api/v1/auth/signup/therapist": Rule(
        EVERYONE,
        json=lambda c: {**unique_signup(c), "display_name": "New", "profile": PROFILE},
        fresh_session=True,
    ),
    "GET /api/v1/therapist/profile": Rule(THERAPISTS),
    "PUT /api/v1/therapist/profile": Rule(THERAPISTS, json=const(PROFILE)),
    "GET /api/v1/therapist/share-code": Rule(THERAPISTS),
    "POST /api/v1/therapist/share-code/rotate": Rule(THERAPISTS),
    "POST /api/v1/therapist/invitations": Rule(THERAPISTS),
    "GET /api/v1/therapist/invitations": Rule(THERAPISTS),
    "DELETE /api/v1/therapist/invitations/{invitation_id}": Rule(
        THERAPIST_ONLY, fresh={"invitation_id": Cast.invitation}
    ),
    "GET /api/v1/admin/therapists": Rule(ADMIN_ONLY),
    "POST /api/v1/admin/therapists/{therapist_id}/verified": Rule(ADMIN_ONLY),
    "DELETE /api/v1/admin/therapists/{therapist_id}/verified": Rule(ADMIN_ONLY),
    # --- API: sharing ---
    "GET /api/v1/sharing/therapist": Rule(CLIENTS, params=lambda c: {"code": c.code()}),
    "POST /api/v1/sharing": Rule(CLIENTS, json=code_body),
    "GET /api/v1/sharing": Rule(NOT_ADMIN),
    "PATCH /api/v1/sharing/{share_id}": Rule(CLIENT_ONLY, json=const(ALL_SCOPES)),
    "DELETE /api/v1/sharing/{share_id}": Rule(CLIENT_ONLY, fresh={"share_id": Cast.spare_share}),
    # --- API: the therapist's workspace ---
    "GET /api/v1/therapist/clients": Rule(THERAPISTS),
    "GET /api/v1/therapist/clients/{client_id}": Rule(THERAPIST_ONLY),
    "DELETE /api/v1/therapist/clients/{client_id}": Rule(
        THERAPIST_ONLY, fresh={"client_id": Cast.spare_client}
    ),
    "GET /api/v1/therapist/clients/{client_id}/fhir": Rule(THERAPIST_ONLY),
    "PUT /api/v1/therapist/clients/{client_id}/next-session": Rule(
        THERAPIST_ONLY, json=const({"next_session_at": f"{NEXT_YEAR}-01-01T09:00:00+00:00"})
    ),
    # --- API: session notes and what helped ---
    "POST /api/v1/clients/{client_id}/notes": Rule(THERAPIST_ONLY, json=const(note_body())),
    "GET /api/v1/clients/{client_id}/notes": Rule(CLIENT_AND_THERAPIST),
    "GET /api/v1/notes": Rule(NOT_ADMIN),
    "GET /api/v1/notes/{note_id}": Rule(CLIENT_AND_THERAPIST),
    "PATCH /api/v1/notes/{note_id}": Rule(
        THERAPIST_ONLY, json=lambda _c: {"changes": {"plan": f"plan {next(EMAILS)}"}}
    ),
    "GET /api/v1/what-helped": Rule(NOT_ADMIN),
    "GET /api/v1/clients/{client_id}/what-helped": Rule(CLIENT_AND_THERAPIST),
    # --- API: data rights ---
    "GET /api/v1/export": Rule(NOT_ADMIN),
    "GET /api/v1/export/diary.csv": Rule(NOT_ADMIN),
    "GET /api/v1/export/sessions.csv": Rule(NOT_ADMIN),
    "GET /api/v1/export/outcomes.csv": Rule(NOT_ADMIN),
    "GET /api/v1/export.zip": Rule(NOT_ADMIN),
    "GET /api/v1/export/fhir": Rule(NOT_ADMIN),
    "POST /api/v1/me/erase": Rule(
        NOT_ADMIN, json=const(WRONG_PASSWORD), allowed_status=frozenset({422})
    ),
    "GET /api/v1/audit": Rule(NOT_ADMIN),
    # --- API: the doctor's report (of a client: theirs, or their therapist's by consent) ---
    "GET /api/v1/report.pdf": Rule(
        CLIENT_AND_THERAPIST, params=lambda c: {"client_id": c.ids["client_id"]}
    ),
    "POST /api/v1/report.pdf": Rule(NOT_ADMIN, json=const({"questions": "Can I drive?"})),
    # --- Pages: anyone (the assessment without an account, signing in and up) ---
    "GET /": Rule(EVERYONE),
    "GET /assessment": Rule(EVERYONE),
    "POST /assessment": Rule(EVERYONE, form=const({})),
    "POST /assessment/brief": Rule(EVERYONE, form=const({})),
    # An anonymous result opens only in the browser that took it: any other (404 for all).
    "GET /assessment/result/{result_id}": Rule(
        EVERYONE,
        fresh={"result_id": lambda _cast: "kept-in-another-browser"},
        allowed_status=LINK_GONE,
        owned_by_client=False,
    ),
    "GET /assessment/result/{result_id}/brief": Rule(
        EVERYONE,
        fresh={"result_id": lambda _cast: "kept-in-another-browser"},
        allowed_status=LINK_GONE,
        owned_by_client=False,
    ),
    "POST /assessment/edit": Rule(EVERYONE, form=const({})),
    "POST /assessment/triage": Rule(EVERYONE, form=const({"rf_fever": "yes"})),
    "GET /signup": Rule(EVERYONE),
    "POST /signup": Rule(EVERYONE, form=unique_signup, fresh_session=True),
    "POST /signup/keep": Rule(EVERYONE, form=const({}), fresh_session=True),
    "GET /login": Rule(EVERYONE),
    "POST /login": Rule(EVERYONE, form=const(LOGIN), fresh_session=True),
    "POST /logout": Rule(EVERYONE, fresh_session=True),
    "GET /therapist/signup": Rule(EVERYONE),
    "POST /therapist/signup": Rule(EVERYONE, form=const({}), fresh_session=True),
    "GET /privacy/erased": Rule(EVERYONE),
    # --- Pages: every account's own settings (its time zone) ---
    # The language switch: anyone (a cookie; signed in, the account's setting too).
    "GET /language": Rule(EVERYONE, params=const({"set": "en", "next": "/"})),
    "POST /language": Rule(EVERYONE, form=const({"language": "en", "next": "/"})),
    "GET /settings": Rule(SIGNED_IN),
    "POST /settings": Rule(SIGNED_IN, form=const({"time_zone": "UTC"})),
    "POST /settings/sign-out-everywhere": Rule(SIGNED_IN, fresh_account=True),
    "POST /settings/password": Rule(
        SIGNED_IN, form=const({"current_password": "not the password", "new_password": "x" * 12})
    ),
    "POST /settings/verify-email": Rule(SIGNED_IN),
    # Links from emails: anyone may open them; a made-up token finds nothing (404 for all).
    "GET /password-reset": Rule(EVERYONE),
    "POST /password-reset": Rule(EVERYONE, form=const({"email": "nobody@example.org"})),
    "GET /password-reset/choose": Rule(
        EVERYONE, params=const({"token": "made-up"}), allowed_status=LINK_GONE
    ),
    "POST /password-reset/choose": Rule(
        EVERYONE,
        form=const({"token": "made-up", "new_password": "x" * 12}),
        allowed_status=LINK_GONE,
    ),
    "GET /verify-email": Rule(
        EVERYONE, params=const({"token": "made-up"}), allowed_status=LINK_GONE
    ),
    # --- Pages: the client's own tracking ---
    "GET /dashboard": Rule(NOT_ADMIN),
    "GET /diary": Rule(NOT_ADMIN),
    "GET /diary/new": Rule(SIGNED_IN),  # an empty form (no data); saving it is refused
    "POST /diary": Rule(NOT_ADMIN, form=const(DIARY_ENTRY)),
    "POST /diary/quick": Rule(NOT_ADMIN, form=const(DIARY_ENTRY)),
    # Reading the entry is within the therapist's consent (diary); saving it is refused.
    "GET /diary/{entry_id}/edit": Rule(CLIENT_ONLY),
    "POST /diary/{entry_id}": Rule(CLIENT_ONLY, form=const(DIARY_ENTRY)),
    "POST /diary/{entry_id}/delete": Rule(CLIENT_ONLY, fresh={"entry_id": Cast.diary_entry}),
    "GET /diary/{entry_id}/safety-check": Rule(CLIENT_ONLY),
    "POST /diary/{entry_id}/safety-check": Rule(
        CLIENT_ONLY,
        form=const({f"sc_{q}": "no" for q in SAFETY_NO}),
        fresh={"entry_id": Cast.diary_entry},
    ),
    "GET /trend": Rule(NOT_ADMIN),
    "GET /sbi": Rule(NOT_ADMIN),
    "POST /sbi": Rule(NOT_ADMIN, form=const(SBI)),
    "GET /psfs": Rule(NOT_ADMIN),
    "POST /psfs": Rule(NOT_ADMIN, form=const({"activity_1": "Sitting", "score_1": "4"})),
    "GET /global-rating": Rule(NOT_ADMIN),
    "POST /global-rating": Rule(NOT_ADMIN, form=const({"rating": "1"})),
    "GET /assessments": Rule(NOT_ADMIN),
    "GET /assessments/{assessment_id}": Rule(CLIENT_AND_THERAPIST),
    "GET /assessments/{assessment_id}/brief": Rule(CLIENT_AND_THERAPIST),
    # --- Pages: sharing and the client's data rights ---
    "GET /share": Rule(CLIENTS),
    "POST /share/find": Rule(CLIENTS, form=lambda c: {"code": c.code()}),
    "GET /share/invite/{token}": Rule(CLIENTS),
    "POST /share": Rule(CLIENTS, form=code_body),
    "GET /sharing": Rule(CLIENTS),
    "POST /sharing/{share_id}/revoke": Rule(CLIENT_ONLY, fresh={"share_id": Cast.spare_share}),
    "GET /privacy": Rule(SIGNED_IN),  # links only; what they lead to is checked there
    "GET /privacy/audit": Rule(NOT_ADMIN),
    "GET /privacy/export.json": Rule(NOT_ADMIN),
    "GET /privacy/fhir.json": Rule(NOT_ADMIN),
    "GET /privacy/diary.csv": Rule(NOT_ADMIN),
    "GET /privacy/sessions.csv": Rule(NOT_ADMIN),
    "GET /privacy/outcomes.csv": Rule(NOT_ADMIN),
    "GET /privacy/export.zip": Rule(NOT_ADMIN),
    "GET /privacy/erase": Rule(SIGNED_IN),  # the confirmation form; erasing is checked
    "POST /privacy/erase": Rule(NOT_ADMIN, form=const(WRONG_PASSWORD)),
    # --- Pages: the doctor's report and the client's read-only links for a clinician ---
    "GET /report": Rule(SIGNED_IN),  # the questions box; the PDF itself is checked
    "POST /report.pdf": Rule(NOT_ADMIN, form=const({"questions": ""})),
    "GET /therapist/clients/{client_id}/report.pdf": Rule(THERAPIST_ONLY),
    "GET /report/links": Rule(CLIENTS),
    "POST /report/links": Rule(CLIENTS, form=const({"days": "3"})),
    "POST /report/links/{link_id}/revoke": Rule(
        CLIENT_ONLY, fresh={"link_id": Cast.clinician_link}
    ),
    # Whoever holds a live link reads that one report (no account); a made-up one finds nothing
    # (test_clinician_links.py), and an ended one neither.
    "GET /clinician/{token}": Rule(EVERYONE, fresh={"token": Cast.clinician_token}),
    "GET /clinician/{token}/report.pdf": Rule(EVERYONE, fresh={"token": Cast.clinician_token}),
    # --- Pages: the therapist's workspace ---
    "GET /therapist/profile": Rule(THERAPISTS),
    "POST /therapist/profile": Rule(THERAPISTS, form=const({})),
    "GET /therapist/clients": Rule(THERAPISTS),
    "POST /therapist/invitations": Rule(THERAPISTS),
    "POST /therapist/share-code/rotate": Rule(THERAPISTS),
    "GET /therapist/clients/{client_id}": Rule(THERAPIST_ONLY),
    "POST /therapist/clients/{client_id}/remove": Rule(
        THERAPIST_ONLY, fresh={"client_id": Cast.spare_client}
    ),
    "POST /therapist/clients/{client_id}/next-session": Rule(
        THERAPIST_ONLY, form=const({"next_session_at": f"{NEXT_YEAR}-01-01T09:00"})
    ),
    "GET /therapist/clients/{client_id}/notes/new": Rule(THERAPIST_ONLY),
    "POST /therapist/clients/{client_id}/notes": Rule(THERAPIST_ONLY, form=const({})),
    "GET /notes/{note_id}": Rule(CLIENT_AND_THERAPIST),
    "GET /notes/{note_id}/edit": Rule(THERAPIST_ONLY),
    "POST /notes/{note_id}": Rule(THERAPIST_ONLY, form=const({})),
    # --- Find and book: the directory, public profiles, free slots (public; the therapist
    # in the path is anyone's to look at) and the therapist's own availability ---
    "GET /api/v1/therapists": Rule(EVERYONE),
    "GET /api/v1/therapists/{therapist_id}": Rule(EVERYONE, owned_by_client=False),
    "GET /api/v1/therapists/{therapist_id}/slots": Rule(EVERYONE, owned_by_client=False),
    "GET /api/v1/therapist/availability": Rule(THERAPISTS),
    "PUT /api/v1/therapist/availability": Rule(THERAPISTS, json=const(AVAILABILITY)),
    "GET /therapists": Rule(EVERYONE),
    "GET /therapists/{therapist_id}": Rule(EVERYONE, owned_by_client=False),
    "GET /therapist/availability": Rule(THERAPISTS),
    "POST /therapist/availability": Rule(THERAPISTS, form=const({})),
    # --- book-series: recurring series and the waitlist (API and pages) ---
    "POST /api/v1/bookings/{booking_id}/series": Rule(
        CLIENT_AND_THERAPIST, params=const({"preview": "1"}), json=const({"count": 3})
    ),
    "GET /api/v1/series/{series_id}": Rule(CLIENT_AND_THERAPIST),
    "POST /api/v1/series/{series_id}/cancel": Rule(
        CLIENT_AND_THERAPIST, fresh={"series_id": Cast.spare_series}
    ),
    "POST /api/v1/series/{series_id}/confirm": Rule(THERAPIST_ONLY),
    "GET /api/v1/waitlist": Rule(NOT_ADMIN),
    # The client is on the list already (409); the other client joins (201).
    "POST /api/v1/waitlist": Rule(
        CLIENTS,
        json=lambda c: {"therapist_id": c.ids["therapist_id"], "length_minutes": 60},
        allowed_status=frozenset({201, 409}),
    ),
    "GET /api/v1/waitlist/{waitlist_id}": Rule(CLIENT_AND_THERAPIST),
    "DELETE /api/v1/waitlist/{waitlist_id}": Rule(
        CLIENT_ONLY, fresh={"waitlist_id": Cast.spare_place}
    ),
    "POST /api/v1/waitlist/{waitlist_id}/accept": Rule(
        CLIENT_ONLY, fresh={"waitlist_id": Cast.spare_offer}
    ),
    "POST /api/v1/waitlist/{waitlist_id}/decline": Rule(
        CLIENT_ONLY, fresh={"waitlist_id": Cast.spare_offer}
    ),
    "GET /bookings/{booking_id}/series": Rule(CLIENT_AND_THERAPIST),
    "POST /bookings/{booking_id}/series": Rule(
        CLIENT_AND_THERAPIST, form=const({"every_weeks": "1", "count": "3", "action": "preview"})
    ),
    "POST /bookings/{booking_id}/series/cancel": Rule(
        CLIENT_AND_THERAPIST, fresh={"booking_id": Cast.spare_series_booking}
    ),
    "POST /bookings/{booking_id}/series/confirm": Rule(
        THERAPIST_ONLY, fresh={"booking_id": Cast.spare_series_booking}
    ),
    "GET /therapists/{therapist_id}/waitlist": Rule(CLIENTS),
    "POST /therapists/{therapist_id}/waitlist": Rule(CLIENTS, form=const({"length_minutes": "60"})),
    "GET /waitlist/{waitlist_id}": Rule(CLIENT_ONLY),
    "POST /waitlist/{waitlist_id}/leave": Rule(
        CLIENT_ONLY, fresh={"waitlist_id": Cast.spare_place}
    ),
    "POST /waitlist/{waitlist_id}/accept": Rule(
        CLIENT_ONLY, fresh={"waitlist_id": Cast.spare_offer}
    ),
    "POST /waitlist/{waitlist_id}/decline": Rule(
        CLIENT_ONLY, fresh={"waitlist_id": Cast.spare_offer}
    ),
    # --- Pages: admin ---
    "GET /admin/therapists": Rule(ADMIN_ONLY),
    "POST /admin/therapists/{therapist_id}/verify": Rule(ADMIN_ONLY),
}


# --- Bookings (issue 8, CORE): the client's bookings with their therapist --------------------
BOOKING_SLOTS = itertools.count()


def _open_diary(cast: Cast) -> None:
    if "diary" not in cast.ids:
        open_diary_in(cast.app.state.database, cast.ids["therapist_id"])
        cast.ids["diary"] = "open"


#: The hours of :func:`free_time`: never within an hour and a quarter of the spare bookings'
#: 10:00 (a session of an hour, then the therapist's 15 minutes), whichever day they are on.
FREE_HOURS = (1, 3, 5, 7, 13, 15, 17, 19, 21)


def free_time(cast: Cast) -> str:
    """A time nobody has booked with the therapist yet (each call a new one)."""
    _open_diary(cast)
    n = next(BOOKING_SLOTS)
    return days_ahead(2 + n // len(FREE_HOURS), FREE_HOURS[n % len(FREE_HOURS)]).isoformat()


def booking_body(cast: Cast) -> dict[str, Any]:
    return {
        "therapist_id": cast.ids["therapist_id"],
        "starts_at": free_time(cast),
        "length_minutes": 60,
    }


def booking_form(cast: Cast) -> dict[str, Any]:
    return {"length_minutes": "60", "starts_at": free_time(cast)}


def new_booking(status: str = "confirmed", *, past: bool = False) -> Callable[[Cast], str]:
    """A booking of the client's with the therapist, made for this attempt, in ``status``."""

    def make(cast: Cast) -> str:
        made = cast.http[CLIENT].post(f"{API}/bookings", json=booking_body(cast))
        assert made.status_code == 201, made.text
        booking_id: str = made.json()["id"]
        with cast.app.state.database.session() as db:
            row = db.get(Booking, (DEFAULT_CLINIC_ID, booking_id))
            row.status = status
            if status == "proposed":
                row.proposed_starts_at = datetime.fromisoformat(free_time(cast))
            db.commit()
            if past:
                start_in_the_past(db, booking_id)
        return booking_id

    return make


def therapist_params(cast: Cast) -> dict[str, Any]:
    _open_diary(cast)
    return {}


BOOKING_RULES: dict[str, Rule] = {
    "POST /api/v1/bookings": Rule(CLIENTS, json=booking_body),
    "GET /api/v1/bookings": Rule(NOT_ADMIN),
    "GET /api/v1/bookings/{booking_id}": Rule(
        CLIENT_AND_THERAPIST, fresh={"booking_id": new_booking()}
    ),
    "POST /api/v1/bookings/{booking_id}/confirm": Rule(
        THERAPIST_ONLY, json=const({}), fresh={"booking_id": new_booking("requested")}
    ),
    # Both parties may decline (the therapist a request, the client a proposed time): on a
    # request the client is answered 409 "not now", not refused.
    "POST /api/v1/bookings/{booking_id}/decline": Rule(
        CLIENT_AND_THERAPIST,
        json=const({}),
        fresh={"booking_id": new_booking("requested")},
        allowed_status=frozenset({200, 409}),
    ),
    "POST /api/v1/bookings/{booking_id}/propose": Rule(
        THERAPIST_ONLY,
        json=lambda c: {"starts_at": free_time(c)},
        fresh={"booking_id": new_booking("requested")},
    ),
    "POST /api/v1/bookings/{booking_id}/accept": Rule(
        CLIENT_ONLY, json=const({}), fresh={"booking_id": new_booking("proposed")}
    ),
    "POST /api/v1/bookings/{booking_id}/reschedule": Rule(
        CLIENT_AND_THERAPIST,
        json=lambda c: {"starts_at": free_time(c)},
        fresh={"booking_id": new_booking()},
    ),
    "POST /api/v1/bookings/{booking_id}/cancel": Rule(
        CLIENT_AND_THERAPIST, json=const({}), fresh={"booking_id": new_booking()}
    ),
    "POST /api/v1/bookings/{booking_id}/status": Rule(
        THERAPIST_ONLY,
        json=const({"status": "completed"}),
        fresh={"booking_id": new_booking(past=True)},
    ),
    # Pages: the therapist's id in the book page's path is public (the directory shows it).
    "GET /therapists/{therapist_id}/book": Rule(
        CLIENTS, params=therapist_params, owned_by_client=False
    ),
    "POST /therapists/{therapist_id}/book": Rule(CLIENTS, form=booking_form, owned_by_client=False),
    "GET /bookings/{booking_id}": Rule(CLIENT_AND_THERAPIST, fresh={"booking_id": new_booking()}),
    "POST /bookings/{booking_id}/confirm": Rule(
        THERAPIST_ONLY, fresh={"booking_id": new_booking("requested")}
    ),
    "POST /bookings/{booking_id}/decline": Rule(
        CLIENT_AND_THERAPIST, fresh={"booking_id": new_booking("requested")}
    ),
    "POST /bookings/{booking_id}/propose": Rule(
        THERAPIST_ONLY,
        form=lambda c: {"starts_at": free_time(c)},
        fresh={"booking_id": new_booking("requested")},
    ),
    "POST /bookings/{booking_id}/accept": Rule(
        CLIENT_ONLY, fresh={"booking_id": new_booking("proposed")}
    ),
    "POST /bookings/{booking_id}/reschedule": Rule(
        CLIENT_AND_THERAPIST,
        form=lambda c: {"starts_at": free_time(c)},
        fresh={"booking_id": new_booking()},
    ),
    "POST /bookings/{booking_id}/cancel": Rule(
        CLIENT_AND_THERAPIST, form=const({}), fresh={"booking_id": new_booking()}
    ),
    "POST /bookings/{booking_id}/status": Rule(
        THERAPIST_ONLY,
        form=const({"status": "completed"}),
        fresh={"booking_id": new_booking(past=True)},
    ),
    "GET /bookings/{booking_id}/share": Rule(CLIENT_ONLY, fresh={"booking_id": new_booking()}),
    "POST /bookings/{booking_id}/share": Rule(
        CLIENT_ONLY, form=const(ALL_SCOPES), fresh={"booking_id": new_booking()}
    ),
    "GET /therapist/bookings": Rule(THERAPISTS),
}
EXPECTED.update(BOOKING_RULES)
# --- Issue 8, calendars and "My sessions" (book-ics) ---------------------------------------


def _cast_booking(cast: Cast) -> str:
    """A booking of the client's with their therapist, written as a row."""
    from tests.web.bookings import add_booking

    starts = datetime(NEXT_YEAR, 6, 1, 9, 0, tzinfo=UTC)
    ids = cast.ids
    return add_booking(
        cast.app, client_id=ids["client_id"], therapist_id=ids["therapist_id"], starts_at=starts
    )


def _cast_feed_token(cast: Cast) -> str:
    """A live calendar-feed token of the client's (the token is the credential)."""
    url: str = cast.http[CLIENT].post(f"{API}/calendar/feeds").json()["url"]
    return url.rsplit("/", 1)[1].removesuffix(".ics")


EXPECTED.update(
    {
        "GET /sessions": Rule(CLIENTS),
        "GET /calendar": Rule(NOT_ADMIN),
        "POST /calendar": Rule(NOT_ADMIN),
        "POST /calendar/revoke": Rule(NOT_ADMIN),
        # Fetched by calendar apps without cookies: whoever holds a live token gets the feed;
        # a made-up or revoked one finds nothing (test_calendar_feeds.py).
        "GET /calendar/{token}.ics": Rule(
            EVERYONE, fresh={"token": _cast_feed_token}, owned_by_client=False
        ),
        "GET /bookings/{booking_id}.ics": Rule(
            CLIENT_AND_THERAPIST, fresh={"booking_id": _cast_booking}
        ),
        "POST /api/v1/calendar/feeds": Rule(NOT_ADMIN),
        "GET /api/v1/calendar/feeds": Rule(NOT_ADMIN),
        "DELETE /api/v1/calendar/feeds": Rule(NOT_ADMIN),
    }
)


def enumerated_routes(app: FastAPI) -> set[str]:
    """Every "METHOD /path" the app answers (HEAD aside), pages and API, however included."""
    found: set[str] = set()

    def visit(routes: Any) -> None:
        for route in routes:
            if hasattr(route, "effective_route_contexts"):  # FastAPI's included routers
                visit(route.effective_route_contexts())
            elif getattr(route, "methods", None):
                found.update(f"{m} {route.path}" for m in route.methods - {"HEAD"})

    visit(app.routes)
    return found


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def cast(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    migrated_sqlite_template: Path,
) -> Iterator[Cast]:
    folder = tmp_path_factory.mktemp("matrix")
    if request.param == "sqlite":
        shutil.copyfile(migrated_sqlite_template, folder / "matrix.db")
        url = f"sqlite:///{folder / 'matrix.db'}"
    else:
        postgres: str | None = request.getfixturevalue("migrated_postgres")
        if postgres is None:
            pytest.skip("SCIATICA_CARE_TEST_POSTGRES_URL is not set")
        truncate_postgres(postgres)
        url = postgres
    settings = Settings(
        environment="test",
        database_url=url,
        data_dir=folder / "data",
        secret_key=TEST_SECRET,  # type: ignore[arg-type]
        migrate_on_start=False,
    )
    from sciatica_care.web.app import create_app

    app = create_app(settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_document, "html_to_pdf", drawn_once(report_document.html_to_pdf))
        yield Cast(app)
    app.state.database.dispose()


def drawn_once(draw: Callable[..., bytes]) -> Callable[..., bytes]:
    """``draw`` (HTML to PDF) that draws each document once: the report routes give the same
    report to several members of the cast, and drawing one takes a quarter of a CPU-second.
    Every request still builds its report's HTML from the database after its access check;
    only a document already drawn, the very same HTML with the same styles, is not drawn
    again."""
    drawn: dict[tuple[str, str], bytes] = {}

    def draw_once(html: str, **styles: Any) -> bytes:
        key = (html, repr(sorted(styles.items())))
        if key not in drawn:
            drawn[key] = draw(html, **styles)
        return drawn[key]

    return draw_once


def refused(status: int, location: str) -> bool:
    return status in {401, 403, 404} or (300 <= status < 400 and location.startswith("/login"))


def attempt(cast: Cast, key: str, rule: Rule, member: str) -> tuple[int, str, bytes]:
    method, path = key.split(" ", 1)
    ids = {name: make(cast) for name, make in rule.fresh.items()}
    lazy: dict[str, Callable[[], str]] = {
        "token_id": cast.api_token,
        "invitation_id": cast.invitation,
    }
    for name in re.findall(r"{(\w+)}", path):
        if name not in ids:
            ids[name] = lazy[name]() if name in lazy else cast.ids[name]
    url = path.format(**ids)
    if rule.fresh_account:
        http = cast.anonymous() if member == ANON else cast.new_account(ROLE[member])
    elif rule.fresh_session:
        http = cast.fresh_session(member)
    else:
        http = cast.http[member]
    response = http.request(
        method,
        url,
        json=rule.json(cast) if rule.json else None,
        data=rule.form(cast) if rule.form else None,
        params=rule.params(cast) if rule.params else None,
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("location", ""), response.content


def verdict(key: str, rule: Rule, member: str, status: int, location: str) -> str | None:
    """What is wrong with this answer, or None."""
    api = key.split(" ", 1)[1].startswith("/api/")
    if status >= 500:
        return f"server error {status}"
    if member in rule.allowed:
        if rule.allowed_status is not None:
            return None if status in rule.allowed_status else f"allowed, but got {status}"
        # Pages: anything but a refusal (a form re-rendered with its errors got through).
        ok = 200 <= status < 300 if api else not refused(status, location)
        return None if ok else f"allowed, but got {status} {location}".strip()
    if not refused(status, location):
        return f"must be refused, got {status}"
    if member == ANON:
        return None if (status == 401 or not api) else f"anonymous: expected 401, got {status}"
    has_ids = "{" in key and rule.owned_by_client
    same_kind = any(ROLE.get(m) == ROLE[member] for m in rule.allowed)
    if has_ids and same_kind and status != 404:
        return f"someone else's ids must answer 404, got {status}"
    return None


def test_every_route_is_classified(cast: Cast) -> None:
    routes = enumerated_routes(cast.app)
    unclassified = sorted(routes - set(EXPECTED))
    stale = sorted(set(EXPECTED) - routes)
    assert unclassified == [], f"classify these routes in EXPECTED: {unclassified}"
    assert stale == [], f"these routes no longer exist: {stale}"


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_only_the_allowed_members_of_the_cast_get_through(cast: Cast, key: str) -> None:
    rule = EXPECTED[key]
    wrong = {}
    for member in CAST:
        status, location, body = attempt(cast, key, rule, member)
        problem = verdict(key, rule, member, status, location)
        if not problem and member not in rule.allowed and body.startswith(b"%PDF"):
            problem = "refused, but sent a PDF"
        if not problem and key.endswith(".pdf") and status == 200 and not body.startswith(b"%PDF"):
            problem = "answered 200 without a PDF"
        if problem:
            wrong[member] = problem
    assert wrong == {}, key
