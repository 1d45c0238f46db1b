"""Read-only links for a clinician: made by the client (1-30 days, default 14), shown once,
stored only as a hash, opening the report (page and PDF) without an account, audited as
"clinician_link" and shown on "who looked at my record", refused after expiry and after
revocation on the very next request."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sciatica_care.db.tables import AuditEvent, ClinicianLink, utcnow
from sciatica_care.services import access, clinician_links
from sciatica_care.web.access_log import redact
from tests.conftest import baseline
from tests.web.consent import API
from tests.web.test_pages_support import post_form
from tests.web.test_report import EMERGENCY, text_of

LINK = re.compile(r'value="(https?://[^"]+/clinician/([A-Za-z0-9_-]+))"')


def make_link(http: TestClient, **form: str) -> tuple[str, str]:
    """Make a link on the links page; its address and token (shown once)."""
    page = post_form(http, "/report/links", "/report/links", form)
    assert page.status_code == 200, page.text
    match = LINK.search(page.text)
    assert match, "the new link is shown"
    return match.group(1), match.group(2)


def later(days: float) -> datetime:
    return utcnow() + timedelta(days=days)


def move_clock(monkeypatch: pytest.MonkeyPatch, to: datetime) -> None:
    for module in (access, clinician_links):
        monkeypatch.setattr(module, "utcnow", lambda: to)


@pytest.fixture
def assessed(alice: TestClient) -> TestClient:
    assert alice.post(f"{API}/assessments", json=EMERGENCY).status_code in {200, 201}
    return alice


def test_a_link_opens_the_report_without_an_account(
    app: FastAPI, assessed: TestClient, client: TestClient
) -> None:
    address, token = make_link(assessed, label="Dr Jones")
    assert address.endswith(f"/clinician/{token}")
    page = client.get(f"/clinician/{token}")
    assert page.status_code == 200
    assert "Go to an emergency department" in page.text
    assert page.text.index("Go to an emergency department") < page.text.index("Latest assessment")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in page.headers["x-robots-tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    document = client.get(f"/clinician/{token}/report.pdf")
    assert document.status_code == 200
    assert document.headers["referrer-policy"] == "no-referrer"
    assert "Go to an emergency department" in text_of(document.content)
    # Single purpose: the link signs nobody in.
    assert client.get(f"{API}/me").status_code == 401
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_only_a_hash_of_the_token_is_kept(app: FastAPI, assessed: TestClient) -> None:
    _, token = make_link(assessed)
    assert len(token) >= 22  # 128 bits or more in URL-safe base64 (it is 256)
    with app.state.database.session() as db:
        link = db.scalars(select(ClinicianLink)).one()
    assert link.token_hash != token and token not in link.token_hash
    assert len(link.token_hash) == 64


def test_every_open_is_audited_and_shown_to_the_client(
    app: FastAPI, assessed: TestClient, client: TestClient
) -> None:
    _, token = make_link(assessed)
    client.get(f"/clinician/{token}")
    client.get(f"/clinician/{token}/report.pdf")
    with app.state.database.session() as db:
        rows = db.scalars(select(AuditEvent).where(AuditEvent.actor_role == "clinician_link")).all()
    assert [(r.action, r.record_type) for r in rows] == [("read", "report"), ("read", "report")]
    assert all(token not in r.route for r in rows)
    assert {r.route for r in rows} == {
        "GET /clinician/{token}",
        "GET /clinician/{token}/report.pdf",
    }
    audit = assessed.get("/privacy/audit")
    assert "A clinician with your report link" in audit.text
    assert "your doctor&#39;s report" in audit.text or "your doctor's report" in audit.text
    api = assessed.get(f"{API}/audit").json()
    assert any(row["actor_role"] == "clinician_link" for row in api)


def test_a_link_is_refused_after_it_expires(
    assessed: TestClient, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, default = make_link(assessed)
    _, month = make_link(assessed, days="30")
    move_clock(monkeypatch, later(13.9))
    assert client.get(f"/clinician/{default}").status_code == 200
    move_clock(monkeypatch, later(14.01))
    gone = client.get(f"/clinician/{default}")
    assert gone.status_code == 404
    assert "Latest assessment" not in gone.text
    assert client.get(f"/clinician/{default}/report.pdf").status_code == 404
    assert client.get(f"/clinician/{month}").status_code == 200
    move_clock(monkeypatch, later(30.01))
    assert client.get(f"/clinician/{month}").status_code == 404


def test_a_revoked_link_is_refused_on_the_very_next_request(
    app: FastAPI, assessed: TestClient, client: TestClient
) -> None:
    _, token = make_link(assessed)
    assert client.get(f"/clinician/{token}").status_code == 200
    with app.state.database.session() as db:
        link_id = db.scalars(select(ClinicianLink.id)).one()
    ended = post_form(assessed, "/report/links", f"/report/links/{link_id}/revoke", {})
    assert ended.status_code == 200 and "The link has ended" in ended.text
    gone = client.get(f"/clinician/{token}")
    assert gone.status_code == 404 and "Latest assessment" not in gone.text
    assert "This link does not open a report" in gone.text
    assert gone.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in gone.headers["x-robots-tag"]
    assert client.get(f"/clinician/{token}/report.pdf").status_code == 404


def test_a_revocation_holds_even_for_a_reader_who_already_opened_it(
    app: FastAPI, assessed: TestClient
) -> None:
    """The access check reads the link afresh: an Actor made before the revocation is refused."""
    _, token = make_link(assessed)
    with app.state.database.session() as db:
        opened = clinician_links.open_link(db, token=token, route="test")
        db.commit()
        link = db.scalars(select(ClinicianLink)).one()
        link.revoked_at = utcnow()
        db.commit()
        assert not access.may_access(
            db, actor=opened.actor, client_id=opened.client_id, clinic_id=opened.actor.clinic_id
        )


def test_the_lifetime_is_one_to_thirty_days(assessed: TestClient) -> None:
    for days in ("0", "31", "two", "-3"):
        page = post_form(assessed, "/report/links", "/report/links", {"days": days})
        assert page.status_code == 422, days
        assert "Days it works" in page.text and "from 1 to 30" in page.text
        assert f'value="{days}"' in page.text
    default = post_form(assessed, "/report/links", "/report/links", {"days": ""})
    assert default.status_code == 200 and LINK.search(default.text)


def test_made_up_links_and_other_peoples_links_find_nothing(
    assessed: TestClient, client: TestClient, sign_in: object
) -> None:
    assert client.get("/clinician/made-up").status_code == 404
    assert client.get("/clinician/" + "x" * 300).status_code == 404
    make_link(assessed)
    bob = sign_in("bob@example.org")  # type: ignore[operator]
    links = bob.get("/report/links")
    assert links.status_code == 200 and "You have not made a link yet" in links.text


def test_only_clients_make_links(app: FastAPI, tess: TestClient) -> None:
    page = tess.get("/report/links")
    assert page.status_code == 403 and "Only for clients" in page.text
    assert tess.post("/report/links", data={"days": "5"}).status_code == 403
    with app.state.database.session() as db:
        assert db.scalars(select(ClinicianLink)).all() == []


def test_the_token_stays_out_of_the_access_log() -> None:
    line = '127.0.0.1 - "GET /clinician/AbC-123_x/report.pdf HTTP/1.1" 200'
    assert "AbC-123_x" not in redact(line)
    assert "/clinician/<hidden>/report.pdf" in redact(line)


def test_a_link_shows_nothing_when_the_client_is_erased(
    app: FastAPI, assessed: TestClient, client: TestClient
) -> None:
    _, token = make_link(assessed)
    erased = assessed.post(
        f"{API}/me/erase",
        json={"password": "correct horse battery", "confirm": "delete my account"},
    )
    assert erased.status_code == 204
    assert client.get(f"/clinician/{token}").status_code == 404


def test_the_client_ends_links_only_their_own(
    app: FastAPI, assessed: TestClient, sign_in: object
) -> None:
    make_link(assessed)
    with app.state.database.session() as db:
        link_id = db.scalars(select(ClinicianLink.id)).one()
    bob = sign_in("bob@example.org")  # type: ignore[operator]
    refused = bob.post(f"/report/links/{link_id}/revoke", follow_redirects=False)
    assert refused.status_code == 404


def test_making_a_link_works_with_a_recent_assessment(assessed: TestClient) -> None:
    assert assessed.post(f"{API}/assessments", json=baseline()).status_code in {200, 201}
    address, _ = make_link(assessed, days="1", label="GP")
    assert "/clinician/" in address
    listing = assessed.get("/report/links").text
    assert "GP" in listing and "End this link" in listing
