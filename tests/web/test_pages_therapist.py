"""The therapist's pages over HTTP: sign-up with a profile, sharing by code and invitation, the
client list and page, session notes with corrections and amendments, what helped, removing a
client, revoking, and the admin's Verify. Someone else's ids answer 404; every text is escaped.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from sciatica_care.db.tables import SessionNote, SessionNoteRevision
from tests.web.conftest import add_user
from tests.web.mailbox import sent_to, token_in
from tests.web.test_pages_support import XSS, csrf_of, pages, post_form, wizard_answers

__all__ = ["pages"]

PASSWORD = "a long enough password"
PROFILE = {
    "licence_number": "LMT-12345",
    "years_experience": "12",
    "years_treating_sciatica": "6",
    "techniques": ["swedish", "myofascial_release", "deep_tissue"],
    "languages": "English, Polish",
    "city": "Leeds",
    "bio": "Calm, careful work.",
}
NOTE = {
    "leg_pain_before": "6",
    "back_pain_before": "4",
    "techniques": ["swedish"],
    "pressure": "light",
    "duration_minutes": "45",
    "area": ["buttock:left", "buttock:right", "calf_back:left"],
    "subjective": "Slept badly, leg worse after sitting.",
    "objective": "Tender left piriformis.",
    "assessment": "Irritated nerve root, calm today.",
    "plan": "Gentle work again next week.",
    "leg_pain_after": "3",
    "back_pain_after": "2",
    "reactions": ["none"],
    "home_care": [],
}


def browser_of(pages: TestClient) -> TestClient:
    """Another person on the same app, with a cookie jar of their own."""
    return TestClient(pages.app)


def therapist_signs_up(
    http: TestClient, email: str = "tess@example.org", name: str = "Tess", **profile: Any
) -> str:
    """Sign up as a therapist through the page, then log in; returns the client-list page."""
    form = {"display_name": name, "email": email, "password": PASSWORD, **PROFILE, **profile}
    response = post_form(http, "/therapist/signup", "/therapist/signup", form)
    assert response.status_code == 200 and "Check your email" in response.text, response.text
    return logs_in(http, email)


def logs_in(http: TestClient, email: str) -> str:
    response = post_form(http, "/login", "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text[:500]
    return str(response.text)


def client_signs_up(
    http: TestClient, email: str = "alice@example.org", name: str = "Alice"
) -> None:
    response = post_form(
        http, "/signup", "/signup", {"email": email, "password": PASSWORD, "display_name": name}
    )
    assert response.status_code == 200 and "Check your email" in response.text
    logs_in(http, email)


def takes_assessment(http: TestClient, **changes: Any) -> None:
    response = post_form(http, "/assessment", "/assessment", wizard_answers(**changes))
    assert response.status_code == 200, response.text[:500]


def share_code_of(html: str) -> str:
    match = re.search(r'class="share-code">([A-Z0-9-]+)<', html)
    assert match, "the client list shows the share code"
    return match.group(1)


def shares_by_code(http: TestClient, code: str, scopes: tuple[str, ...] = ()) -> str:
    confirm = post_form(http, "/share", "/share/find", {"code": code})
    assert confirm.status_code == 200, confirm.text[:500]
    chosen = list(scopes) or ["assessments", "diary", "notes"]
    token = csrf_of(confirm.text)
    done = http.post("/share", data={"code": code, "scopes": chosen, "csrftoken": token})
    assert done.status_code == 200, done.text[:500]
    return done.text


def client_id_of(html: str) -> str:
    match = re.search(r'href="/therapist/clients/([0-9a-f]{32})"', html)
    assert match, "the client list links to the client"
    return match.group(1)


def note_id_of(html: str) -> str:
    match = re.search(r'href="/notes/([0-9a-f]{32})"', html)
    assert match, "the page links to the note"
    return match.group(1)


def writes_note(http: TestClient, client_id: str, **changes: Any) -> Any:
    page = f"/therapist/clients/{client_id}/notes/new"
    return post_form(http, page, f"/therapist/clients/{client_id}/notes", {**NOTE, **changes})


def age_note(pages: TestClient, note_id: str, hours: int) -> None:
    """Move a note's writing time back, as if ``hours`` had passed (the test's clock hook)."""
    earlier = timedelta(hours=hours)
    with pages.app.state.database.session() as db:
        note = db.scalars(select(SessionNote).where(SessionNote.id == note_id)).one()
        note.written_at -= earlier
        revisions = select(SessionNoteRevision).where(SessionNoteRevision.note_id == note_id)
        for revision in db.scalars(revisions):
            revision.changed_at -= earlier
        db.commit()


def sharing_pair(pages: TestClient, **assessment: Any) -> tuple[TestClient, TestClient, str]:
    """Tess the therapist and Alice the client, who took an assessment and shares everything."""
    tess, alice = pages, browser_of(pages)
    code = share_code_of(therapist_signs_up(tess))
    client_signs_up(alice)
    takes_assessment(alice, **assessment)
    shares_by_code(alice, code)
    return tess, alice, client_id_of(tess.get("/therapist/clients").text)


def test_therapist_sign_up_names_each_missing_field_and_keeps_the_answers(
    pages: TestClient,
) -> None:
    form = {"display_name": XSS, "email": "tess@example.org", "password": PASSWORD, "bio": XSS}
    response = post_form(pages, "/therapist/signup", "/therapist/signup", form)
    assert response.status_code == 422
    for anchor in ("licence_number", "years_experience", "techniques", "languages", "city"):
        assert f'href="#field-{anchor}"' in response.text, anchor
    assert XSS not in response.text and "&lt;script&gt;" in response.text
    assert 'value="tess@example.org"' in response.text, "answers are kept"
    assert PASSWORD not in response.text, "the password is never sent back"


def test_a_new_therapist_sees_an_empty_list_their_share_code_and_the_unverified_badge(
    pages: TestClient,
) -> None:
    html = therapist_signs_up(pages, bio=XSS)
    assert "Your clients" in html and "No client shares with you yet" in html
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", share_code_of(html))
    assert "Unverified" in html
    profile = pages.get("/therapist/profile").text
    assert "LMT-12345" in profile and "Unverified" in profile
    assert XSS not in profile and "&lt;script&gt;" in profile


def test_therapist_pages_are_not_for_clients_or_strangers(pages: TestClient) -> None:
    stranger = browser_of(pages)
    for path in ("/therapist/clients", "/therapist/profile", "/share", "/sharing"):
        response = stranger.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    client_signs_up(pages)
    assert pages.get("/therapist/clients").status_code == 404
    assert pages.get("/admin/therapists").status_code == 404


def test_a_client_shares_by_code_after_seeing_exactly_what_will_be_shared(
    pages: TestClient,
) -> None:
    tess, alice = pages, browser_of(pages)
    code = share_code_of(therapist_signs_up(tess, name=XSS))
    client_signs_up(alice)
    wrong = post_form(alice, "/share", "/share/find", {"code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 404 and "no therapist has this code" in wrong.text
    confirm = post_form(alice, "/share", "/share/find", {"code": code.lower().replace("-", "")})
    assert confirm.status_code == 200
    for scope in ("assessments", "diary", "notes"):  # consent: nothing ticked for the client
        assert f'name="scopes" value="{scope}">' in confirm.text, scope
    assert "LMT-12345" in confirm.text and "Unverified" in confirm.text
    assert XSS not in confirm.text
    nothing = alice.post(
        "/share", data={"code": code, "csrftoken": csrf_of(confirm.text)}, follow_redirects=True
    )
    assert nothing.status_code == 422 and "tick at least one" in nothing.text
    listed = shares_by_code(alice, code, scopes=("assessments", "diary"))
    client_id = client_id_of(tess.get("/therapist/clients").text)
    assert "Write a session note" not in tess.get(f"/therapist/clients/{client_id}").text
    assert tess.get(f"/therapist/clients/{client_id}/notes/new").status_code == 404
    assert "Who can see my data" in listed and "Assessments, Diary and weekly scores" in listed
    assert "Session notes" not in listed.split("Sharing that has ended")[0].split("<h1")[1]


def test_the_client_list_shows_pain_triage_and_precautions_first(pages: TestClient) -> None:
    tess, alice, client_id = sharing_pair(pages, conditions=["anticoagulants"])
    post_form(alice, "/diary/new", "/diary", {"leg_pain": "6", "back_pain": "3"})
    listing = tess.get("/therapist/clients").text
    assert "Alice" in listing and "Clients who share with you (1)" in listing
    assert "no deep tissue or trigger point work" in listing
    assert "Avoid: Deep tissue massage, Trigger point therapy" in listing
    assert "6/10" in listing and "Self-care with massage" in listing
    page = tess.get(f"/therapist/clients/{client_id}").text
    safety = page.index("Before you start")
    assert safety < page.index("Latest assessment") < page.index("Suggested techniques")
    assert "Techniques to avoid" in page and "Deep tissue massage" in page
    assert 'class="pain-map"' in page and "zone-static--marked" in page


def test_a_clients_name_is_shown_as_text_on_the_therapists_pages(pages: TestClient) -> None:
    tess, alice = pages, browser_of(pages)
    code = share_code_of(therapist_signs_up(tess))
    client_signs_up(alice, name=XSS)
    shares_by_code(alice, code)
    listing = tess.get("/therapist/clients").text
    page = tess.get(f"/therapist/clients/{client_id_of(listing)}").text
    for html in (listing, page):
        assert XSS not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_a_client_page_answers_404_to_an_unrelated_therapist_and_to_another_client(
    pages: TestClient,
) -> None:
    tess, _, client_id = sharing_pair(pages)
    note_id = note_id_of(writes_note(tess, client_id).text)
    other = browser_of(pages)
    therapist_signs_up(other, email="uma@example.org", name="Uma")
    for path in (
        f"/therapist/clients/{client_id}",
        f"/therapist/clients/{client_id}/notes/new",
        f"/notes/{note_id}",
        f"/notes/{note_id}/edit",
    ):
        assert other.get(path).status_code == 404, path
    bob = browser_of(pages)
    client_signs_up(bob, "bob@example.org", "Bob")
    assert bob.get(f"/therapist/clients/{client_id}").status_code == 404
    assert bob.get(f"/notes/{note_id}").status_code == 404
    assert pages.get("/therapist/clients/" + "0" * 32).status_code == 404


def test_the_note_form_names_each_wrong_field_and_keeps_the_answers(pages: TestClient) -> None:
    tess, _, client_id = sharing_pair(pages)
    response = writes_note(tess, client_id, pressure="", duration_minutes="an hour", subjective=XSS)
    assert response.status_code == 422
    assert 'href="#field-pressure"' in response.text
    assert 'href="#field-duration_minutes"' in response.text and "an hour" in response.text
    assert XSS not in response.text and "&lt;script&gt;" in response.text, "kept, escaped"
    assert 'value="buttock:left" checked' in response.text
    assert 'value="swedish" checked' in response.text


def test_a_note_is_corrected_freely_then_amended_with_its_reason_after_24_hours(
    pages: TestClient,
) -> None:
    tess, alice, client_id = sharing_pair(pages)
    saved = writes_note(tess, client_id, subjective=XSS)
    assert saved.status_code == 200 and "Session note saved" in saved.text
    note_id = note_id_of(saved.text)
    note = tess.get(f"/notes/{note_id}").text
    assert XSS not in note and "&lt;script&gt;" in note
    assert "Left buttock" not in note and "Buttock (both sides)" in note

    edit = tess.get(f"/notes/{note_id}/edit").text
    assert "Correct the session note" in edit and "Reason for the amendment" not in edit
    corrected = post_form(
        tess, f"/notes/{note_id}/edit", f"/notes/{note_id}", {**NOTE, "plan": "Two weeks."}
    )
    assert "Version 2: correction" in corrected.text and "Two weeks." in corrected.text

    age_note(pages, note_id, hours=25)
    amend = tess.get(f"/notes/{note_id}/edit").text
    assert "Amend the session note" in amend and "Reason for the amendment" in amend
    changed = {**NOTE, "plan": "Three weeks.", "objective": "Tender both sides."}
    missing = post_form(tess, f"/notes/{note_id}/edit", f"/notes/{note_id}", changed)
    assert missing.status_code == 422 and 'href="#field-reason"' in missing.text
    assert "Three weeks." in missing.text, "the answers are kept"
    amended = post_form(
        tess,
        f"/notes/{note_id}/edit",
        f"/notes/{note_id}",
        {**changed, "reason": "Checked my paper notes " + XSS},
    )
    history = amended.text
    words = re.sub(r"<[^>]+>", "", history)  # what a person wrote is marked translate="no"
    assert "Version 3: amendment" in history and "Reason: Checked my paper notes" in words
    assert "<del>Two weeks.</del>" in history and "<ins>Three weeks.</ins>" in history
    assert "<del>Tender left piriformis.</del>" in history
    assert XSS not in history
    assert "Amended" in tess.get(f"/therapist/clients/{client_id}").text
    assert alice.get(f"/notes/{note_id}").status_code == 200, "notes are part of her record"
    assert "Amend this note" not in alice.get(f"/notes/{note_id}").text


def test_what_helped_waits_for_three_sessions_then_shows_on_both_sides(
    pages: TestClient,
) -> None:
    tess, alice, client_id = sharing_pair(pages)
    writes_note(tess, client_id)
    page = tess.get(f"/therapist/clients/{client_id}").text
    assert "What helped" in page and "Not enough sessions yet (1 of 3)" in page
    writes_note(tess, client_id)
    writes_note(tess, client_id)
    page = tess.get(f"/therapist/clients/{client_id}").text
    assert "Swedish massage" in page and "Helped" in page and "\u22123 (3 sessions)" in page
    dashboard = alice.get("/dashboard").text
    assert "What helped" in dashboard
    assert "Swedish massage lowered your leg pain by 3 points on average" in dashboard


def test_an_invitation_link_works_once(pages: TestClient) -> None:
    tess, alice = pages, browser_of(pages)
    therapist_signs_up(tess)
    made = post_form(tess, "/therapist/clients", "/therapist/invitations", {})
    link = re.search(
        r'id="invite-link" type="text" readonly value="[^"]*(/share/invite/[^"]+)"', made.text
    )
    assert link, "the link is shown once"
    client_signs_up(alice)
    confirm = alice.get(link.group(1))
    assert confirm.status_code == 200
    assert "Share with Tess?" in re.sub(r"<[^>]+>", "", confirm.text)  # the name: translate="no"
    token = link.group(1).rsplit("/", 1)[1]
    done = alice.post(
        "/share",
        data={"invitation": token, "scopes": ["diary"], "csrftoken": csrf_of(confirm.text)},
    )
    assert "Tess" in done.text and "Diary and weekly scores" in done.text
    assert alice.get(link.group(1)).status_code == 404


def test_removing_a_client_ends_the_sharing_and_keeps_the_notes(pages: TestClient) -> None:
    tess, alice, client_id = sharing_pair(pages)
    note_id = note_id_of(writes_note(tess, client_id).text)
    removed = post_form(
        tess, f"/therapist/clients/{client_id}", f"/therapist/clients/{client_id}/remove", {}
    )
    assert "no longer on your list" in removed.text and "Alice" not in removed.text
    assert tess.get(f"/therapist/clients/{client_id}").status_code == 404
    assert tess.get(f"/notes/{note_id}").status_code == 404
    sharing = alice.get("/sharing").text
    assert "the therapist removed you from their list" in sharing
    assert alice.get(f"/notes/{note_id}").status_code == 200


def test_revoking_ends_the_therapists_access_on_the_next_request(pages: TestClient) -> None:
    tess, alice, client_id = sharing_pair(pages)
    assert tess.get(f"/therapist/clients/{client_id}").status_code == 200
    listed = alice.get("/sharing").text
    share_id = re.search(r'action="/sharing/([0-9a-f]{32})/revoke"', listed)
    assert share_id
    revoked = post_form(alice, "/sharing", f"/sharing/{share_id.group(1)}/revoke", {})
    assert "Stopped" in revoked.text and "Nobody else can see your data" in revoked.text
    assert tess.get(f"/therapist/clients/{client_id}").status_code == 404
    assert "Alice" not in tess.get("/therapist/clients").text


def test_an_admin_verifies_a_therapist(pages: TestClient) -> None:
    therapist_signs_up(browser_of(pages), name=XSS)
    add_user(pages.app, "ada@example.org", "admin", PASSWORD)
    post_form(pages, "/login", "/login", {"email": "ada@example.org", "password": PASSWORD})
    listing = pages.get("/admin/therapists").text
    assert "Waiting for verification (1)" in listing and XSS not in listing
    assert "has not confirmed their email address" in listing  # until the link is opened
    link = token_in(sent_to(pages.app, "tess@example.org")[-1], "/verify-email")
    assert browser_of(pages).get("/verify-email", params={"token": link}).status_code == 200
    listing = pages.get("/admin/therapists").text
    therapist_id = re.search(r'action="/admin/therapists/([0-9a-f]{32})/verify"', listing)
    assert therapist_id
    done = post_form(
        pages, "/admin/therapists", f"/admin/therapists/{therapist_id.group(1)}/verify", {}
    )
    assert "The profile is now verified" in done.text and "Verified (1)" in done.text


def test_a_wrong_next_session_gives_the_client_page_again_with_the_problem_by_the_field(
    pages: TestClient,
) -> None:
    """Not a date and a time, or one too far ahead: the client's page again (422), the problem in
    the summary and by the field, the value typed kept; nothing saved. Empty clears it."""
    tess, _alice, client_id = sharing_pair(pages)
    page = f"/therapist/clients/{client_id}"
    year = date.today().year + 1
    post_form(tess, page, f"{page}/next-session", {"next_session_at": f"{year}-03-04T09:30"})
    for typed, words in (
        ("next tuesday", "Next session: enter a date and a time"),
        (f"{year + 5}-03-04T09:30", "Next session: must be at most 2 years ahead"),
    ):
        wrong = post_form(tess, page, f"{page}/next-session", {"next_session_at": typed})
        assert wrong.status_code == 422, typed
        assert 'href="#field-next_session_at"' in wrong.text and words in wrong.text, typed
        assert 'id="field-next_session_at-error"' in wrong.text
        assert f'value="{typed}"' in wrong.text and 'aria-invalid="true"' in wrong.text
    assert f"4 Mar {year}, 09:30" in tess.get("/therapist/clients").text  # unchanged
    cleared = post_form(tess, page, f"{page}/next-session", {"next_session_at": ""})
    assert cleared.status_code == 200 and "There is a problem" not in cleared.text  # redirected
    assert f"4 Mar {year}, 09:30" not in tess.get("/therapist/clients").text


def test_the_next_session_shows_on_the_list_and_a_new_share_code_retires_the_old(
    pages: TestClient,
) -> None:
    tess, alice, client_id = sharing_pair(pages)
    page = f"/therapist/clients/{client_id}"
    year = date.today().year + 1  # a next session is booked at most two years ahead
    post_form(tess, page, f"{page}/next-session", {"next_session_at": f"{year}-03-04T09:30"})
    assert f"4 Mar {year}, 09:30" in tess.get("/therapist/clients").text
    assert f"4 Mar {year}, 09:30" in alice.get("/sharing").text
    old = share_code_of(tess.get("/therapist/clients").text)
    rotated = post_form(tess, "/therapist/clients", "/therapist/share-code/rotate", {})
    new = share_code_of(rotated.text)
    assert new != old and "The old one no longer works" in rotated.text
    bob = browser_of(pages)
    client_signs_up(bob, "bob@example.org", "Bob")
    assert post_form(bob, "/share", "/share/find", {"code": old}).status_code == 404
    assert post_form(bob, "/share", "/share/find", {"code": new}).status_code == 200


def test_a_therapist_who_logs_in_starts_at_their_client_list(pages: TestClient) -> None:
    therapist_signs_up(pages)
    pages.post("/logout", data={"csrftoken": csrf_of(pages.get("/therapist/clients").text)})
    page = post_form(pages, "/login", "/login", {"email": "tess@example.org", "password": PASSWORD})
    assert page.status_code == 200
    assert page.url.path == "/therapist/clients"


def test_a_client_with_an_assessment_but_no_check_ins_shows_the_assessed_pain(
    pages: TestClient,
) -> None:
    code = share_code_of(therapist_signs_up(pages))
    client = browser_of(pages)
    client_signs_up(client)
    takes_assessment(client, leg_pain="6", back_pain="2")
    shares_by_code(client, code)
    listing = pages.get("/therapist/clients").text
    assert "no check-ins" not in listing.lower()
    assert "6" in listing


def test_the_therapist_sees_the_client_diary_chart_in_the_therapist_s_words(
    pages: TestClient,
) -> None:
    code = share_code_of(therapist_signs_up(pages))
    client = browser_of(pages)
    client_signs_up(client)
    takes_assessment(client)
    for leg in ("6", "4"):
        post_form(client, "/diary/new", "/diary", {"leg_pain": leg, "back_pain": "2"})
    shares_by_code(client, code)
    client_id = client_id_of(pages.get("/therapist/clients").text)
    page = pages.get(f"/therapist/clients/{client_id}").text
    assert "Leg pain at the start (baseline)" in page
    assert "when you started" not in page
    assert "Leg pain when you started" in client.get("/dashboard").text


def test_a_therapist_cannot_open_a_client_s_check_in_for_editing(pages: TestClient) -> None:
    code = share_code_of(therapist_signs_up(pages))
    client = browser_of(pages)
    client_signs_up(client)
    post_form(client, "/diary/new", "/diary", {"leg_pain": "5", "back_pain": "2"})
    shares_by_code(client, code)
    entry = re.search(r'href="/diary/([0-9a-f]{32})/edit"', client.get("/diary").text)
    assert entry, "the client sees an edit link for their check-in"
    assert client.get(f"/diary/{entry.group(1)}/edit").status_code == 200
    assert pages.get(f"/diary/{entry.group(1)}/edit").status_code == 404
