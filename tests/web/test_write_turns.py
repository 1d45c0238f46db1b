"""Stored writes (assessments, check-ins) take turns on SQLite (web/write_turns.py): one unit
of work at a time per process, waiting as a task; on a slow disk the turn passes on before the
commit's sync, so writes share syncs, and each answer still waits for a sync that covers its
write. A turn is given back when its unit of work fails or its request is cancelled.
PostgreSQL takes no turns.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from sciatica_care.db import group_commit
from sciatica_care.db.engine import is_sqlite
from sciatica_care.db.tables import utcnow
from sciatica_care.services import account_settings, assessments, diary, erase, follow_up
from sciatica_care.web.write_turns import WriteTurns
from tests.web.conftest import PASSWORD, add_user, signed_in_client
from tests.web.event_loop import on_the_event_loop
from tests.web.test_follow_up import form_post
from tests.web.test_sessions_and_tokens import shift_sessions

ANSWERS = {"age": 44, "back_pain": 4, "leg_pain": 6, "side": "left", "areas": ["buttock"]}
ANSWERS |= {"duration_weeks": 6, "seen_clinician": True}
WAIT_SECONDS = 30


async def _signed_in(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    answer = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"x-csrftoken": answer.json()["csrf_token"]}


def _post_together(
    app: FastAPI, email: str, writes: int, path: str = "/api/v1/assessments", body: Any = ANSWERS
) -> list[httpx.Response]:
    """``writes`` requests (stored assessments unless told) sent at once, in process, by one
    signed-in client."""

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", timeout=120
        ) as http:
            headers = await _signed_in(http, email)
            calls = [http.post(path, json=body, headers=headers) for _ in range(writes)]
            return list(await asyncio.gather(*calls))

    return asyncio.run(run())


def _watching(
    monkeypatch: pytest.MonkeyPatch,
    around: Callable[[], None],
    module: Any = assessments,
    name: str = "run_assessment",
) -> dict[str, int]:
    """Wrap a write's service (the stored assessment's unless told): count how many run at
    once; ``around`` runs inside each, before the write."""
    real = getattr(module, name)
    seen = {"active": 0, "most": 0}
    lock = threading.Lock()

    def watched(*args: Any, **kwargs: Any) -> Any:
        with lock:
            seen["active"] += 1
            seen["most"] = max(seen["most"], seen["active"])
        try:
            around()
            return real(*args, **kwargs)
        finally:
            with lock:
                seen["active"] -= 1

    monkeypatch.setattr(module, name, watched)
    return seen


@pytest.mark.parametrize(
    ("path", "body", "service", "table"),
    [
        ("/api/v1/assessments", ANSWERS, (assessments, "run_assessment"), "assessments"),
        (
            "/api/v1/diary",
            {"leg_pain": 3, "back_pain": 2},
            (follow_up, "record_check_in"),
            "diary_entries",
        ),
    ],
    ids=["assessment", "check-in"],
)
def test_stored_writes_take_turns_on_sqlite_only(
    app: FastAPI,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    body: Any,
    service: tuple[Any, str],
    table: str,
) -> None:
    add_user(app, "turns@example.org")
    sqlite = is_sqlite(database_url)
    # However slow this machine's disk is now, no turn passes on before its sync (that case:
    # the next test).
    monkeypatch.setattr(group_commit, "SLOW_SYNC_SECONDS", float("inf"))
    assert app.state.write_turns.one_at_a_time is sqlite
    second = threading.Event()
    first = threading.Lock()

    def give_a_second_write_its_chance() -> None:
        # The first write waits for a second one to start beside it: on SQLite none may, so
        # it gives up after half a second; on PostgreSQL one does.
        if first.acquire(blocking=False):
            second.wait(timeout=0.5 if sqlite else WAIT_SECONDS)
        else:
            second.set()

    seen = _watching(monkeypatch, give_a_second_write_its_chance, *service)
    answers = _post_together(app, "turns@example.org", 6, path, body)
    assert {a.status_code for a in answers} <= {200, 201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 6
    if sqlite:
        assert seen["most"] == 1
    else:  # PostgreSQL runs writers side by side
        assert seen["most"] > 1
    with app.state.database.session() as db:
        assert db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 6


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_a_slow_disk_writes_share_syncs_and_each_answer_waits_for_its_own(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(app, "slow.disk@example.org")
    database = app.state.database
    covered: list[set[str]] = []  # per completed sync: the assessments committed before it
    real = group_commit.sync_file

    def slow_sync(path: str) -> None:
        with database.engine.connect() as other:
            rows = {r[0] for r in other.execute(text("SELECT id FROM assessments"))}
        time.sleep(0.05)  # a slow disk: the sync itself takes 50 ms
        real(path)
        covered.append(rows)

    monkeypatch.setattr(group_commit, "sync_file", slow_sync)
    answered: list[tuple[str, set[str]]] = []  # each answer, and what was synced by then

    def synced_so_far() -> set[str]:
        return set().union(*covered)

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", timeout=120
        ) as http:
            headers = await _signed_in(http, "slow.disk@example.org")

            async def one() -> None:
                answer = await http.post("/api/v1/assessments", json=ANSWERS, headers=headers)
                assert answer.status_code == 200, answer.text
                answered.append((answer.json()["id"], synced_so_far()))

            await one()  # the first sync is measured: slow from here on
            syncs_before = len(covered)
            await asyncio.gather(*(one() for _ in range(8)))
            assert len(covered) - syncs_before < 8  # shared: fewer syncs than writes

    asyncio.run(run())
    assert len(answered) == 9
    for record_id, synced in answered:
        assert record_id in synced  # answered only once a sync had covered it


def test_a_turn_is_given_back_after_an_error_and_a_cancelled_wait() -> None:
    turns = WriteTurns(one_at_a_time=True)
    started, release = threading.Event(), threading.Event()

    def blocking() -> str:
        started.set()
        assert release.wait(WAIT_SECONDS)
        return "first"

    def failing() -> str:
        raise RuntimeError("the unit of work failed")

    async def run() -> list[str]:
        first = asyncio.create_task(turns.run(blocking))
        assert await asyncio.to_thread(started.wait, WAIT_SECONDS)  # it holds the turn
        waiting = asyncio.create_task(turns.run(lambda: "never"))
        await asyncio.sleep(0)  # it starts, and waits for the turn
        waiting.cancel()  # cancelled while waiting for its turn
        release.set()
        done = [await first]
        with pytest.raises(asyncio.CancelledError):
            await waiting
        with pytest.raises(RuntimeError):
            await turns.run(failing)
        done.append(await asyncio.wait_for(turns.run(lambda: "after"), WAIT_SECONDS))
        return done

    assert asyncio.run(run()) == ["first", "after"]


def test_without_turns_units_of_work_run_side_by_side() -> None:
    turns = WriteTurns(one_at_a_time=False)
    both = threading.Barrier(2, timeout=WAIT_SECONDS)

    async def run() -> list[int]:
        return list(await asyncio.gather(turns.run(both.wait), turns.run(both.wait)))

    assert sorted(asyncio.run(run())) == [0, 1]


@pytest.mark.parametrize(
    ("method", "path", "wrong", "right"),
    [
        ("POST", "/api/v1/diary", {"leg_pain": 30}, {"leg_pain": 3, "back_pain": 2}),
        ("GET", "/api/v1/dashboard?days=0", None, None),
    ],
    ids=["check-in", "dashboard"],
)
def test_routes_run_in_one_unit_of_work_refuse_anonymous_requests_before_reading_them(
    client: TestClient, method: str, path: str, wrong: Any, right: Any
) -> None:
    """Their sign-in is looked up in the unit of work's thread, after FastAPI has read the
    input: a request with no sign-in at all is refused before (401, not 422), as before; an
    unknown token, once the input is right."""
    assert client.request(method, path, json=wrong).status_code == 401
    unknown = {"authorization": "Bearer not-a-token"}
    answer = client.request(method, path.split("?")[0], json=right, headers=unknown)
    assert answer.status_code == 401, answer.text


WRONG_INPUT = [
    ("POST", "/api/v1/diary", {"leg_pain": 30}),
    ("GET", "/api/v1/dashboard?days=0", None),
    ("POST", "/api/v1/assessments", {"leg_pain": 30}),
]


@pytest.mark.parametrize(
    ("method", "path", "wrong"), WRONG_INPUT, ids=["check-in", "dashboard", "assessment"]
)
def test_a_bad_sign_in_is_refused_before_wrong_input_on_routes_that_look_it_up_late(
    app: FastAPI, alice: TestClient, method: str, path: str, wrong: Any
) -> None:
    """These routes look the sign-in up in the unit of work's thread, after FastAPI has read
    the input; when the input is refused first, the sign-in is looked up then, and a bad one
    is refused as it is everywhere else: an unknown token 401, a read-only token 403 (writes),
    an ended session 401 where a sign-in is needed. A good sign-in gets the input's 422."""
    unknown = TestClient(app, headers={"Authorization": "Bearer not-a-token"})
    assert unknown.request(method, path, json=wrong).status_code == 401
    made = alice.post("/api/v1/tokens", json={"name": "script", "scope": "read"})
    reader = TestClient(app, headers={"Authorization": f"Bearer {made.json()['token']}"})
    assert reader.request(method, path, json=wrong).status_code == (
        403 if method == "POST" else 422
    )
    wrong_answer = alice.request(method, path, json=wrong)
    assert wrong_answer.status_code == 422 and wrong_answer.json()["errors"], wrong_answer.text
    shift_sessions(app, last_seen_at=utcnow() - timedelta(minutes=31))  # idle: ended
    ended = alice.request(method, path, json=wrong).status_code
    # The assessment may be run signed out (evaluated, not stored): its input comes first.
    assert ended == (422 if path.endswith("assessments") else 401)
    # A body that is not JSON is refused before any dependency runs: still sign-in first.
    anonymous = TestClient(app)
    broken = anonymous.request(method, path, content=b"{", headers=JSON)
    assert broken.status_code == (422 if path.endswith("assessments") else 401), broken.text


JSON = {"content-type": "application/json"}


def test_an_anonymous_page_post_is_sent_to_log_in_without_a_thread_or_a_turn(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cookie, no token: the log-in page at once, from the event loop; the request neither
    waits for a thread nor takes a turn from the writes (a flood of them would)."""
    ran: list[object] = []
    monkeypatch.setattr(app.state.write_turns, "run", lambda *a, **k: ran.append(a))
    client.headers["x-csrftoken"] = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    answer = client.post("/settings", data={"time_zone": "Europe/Berlin"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert ran == []


def test_the_check_in_pages_write_off_the_event_loop(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick log, the full check-in form and a correction read their form on the event
    loop, then sign in, write and commit in one thread (in turns on SQLite): a commit's wait
    for the disk never holds up the event loop."""
    add_user(app, "pages@example.org")
    where: list[tuple[str, bool]] = []

    for module, name in ((follow_up, "record_check_in"), (diary, "update_entry")):
        real = getattr(module, name)

        def watched(*args: Any, real: Any = real, name: str = name, **kwargs: Any) -> Any:
            where.append((name, on_the_event_loop()))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)
    alice = signed_in_client(app, "pages@example.org")
    quick = alice.post("/diary/quick", data={"leg_pain": "3", "back_pain": "2"})
    full = alice.post("/diary", data={"leg_pain": "4", "back_pain": "2", "note": "walked"})
    assert quick.status_code == full.status_code == 200  # (the dashboard, after redirects)
    entry = alice.get("/api/v1/diary").json()[0]["id"]
    corrected = alice.post(f"/diary/{entry}", data={"leg_pain": "5", "back_pain": "2"})
    assert corrected.status_code == 200
    assert alice.get(f"/api/v1/diary/{entry}").json()["leg_pain"] == 5
    assert where == [
        ("record_check_in", False),
        ("record_check_in", False),
        ("update_entry", False),
    ]


def test_a_password_check_runs_beside_the_turns_and_other_writes_in_them(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Erasing the account checks the password (argon2: a tenth of a second of CPU): in a
    thread, off the event loop, but not in a turn, which would hold up every write of the
    process meanwhile (on SQLite). Saving the settings takes its turn (PostgreSQL: none does)."""
    turns = app.state.write_turns.one_at_a_time
    held: list[tuple[str, bool, bool]] = []

    def watch(module: Any, name: str) -> None:
        real = getattr(module, name)

        def watched(*args: Any, **kwargs: Any) -> Any:
            held.append((name, on_the_event_loop(), app.state.write_turns.held()))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)

    watch(account_settings, "change_settings")
    watch(erase, "erase_account")
    add_user(app, "eve@example.org")
    eve = signed_in_client(app, "eve@example.org")
    saved = form_post(eve, "/settings", "/settings", {"time_zone": "Europe/Berlin"})
    assert saved.status_code == 303, saved.text
    gone = form_post(
        eve,
        "/privacy/erase",
        "/privacy/erase",
        {"password": PASSWORD, "confirm": "delete my account"},
    )
    assert gone.status_code == 303 and gone.headers["location"] == "/privacy/erased"
    assert held == [("change_settings", False, turns), ("erase_account", False, False)]
