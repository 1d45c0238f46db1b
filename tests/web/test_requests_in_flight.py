"""More requests in flight than worker threads and pooled connections: every one is answered.

A request must never hold a pooled connection while it waits for a worker thread (after the
sign-in look-up, or while its response is serialized), or requests holding every connection
wait for a thread while every thread waits for a connection, until the pool's timeout answers
them 500. Driven in process through the ASGI app, on SQLite and PostgreSQL, with the signed-in
dashboards (API and page) and stored assessments mixed."""

from __future__ import annotations

import asyncio

import anyio.to_thread
import httpx
from fastapi import FastAPI
from sqlalchemy import text
from starlette.types import Message, Receive, Scope, Send

from sciatica_care.web.auth import UnitOfWork
from tests.web.conftest import PASSWORD, add_user

ANSWERS = {"age": 44, "back_pain": 4, "leg_pain": 6, "side": "left", "areas": ["buttock"]}
ANSWERS |= {"duration_weeks": 6, "seen_clinician": True}


def test_more_requests_than_threads_and_connections_are_all_answered(app: FastAPI) -> None:
    add_user(app, "many@example.org")
    pool = app.state.database.engine.pool

    async def run() -> list[int]:
        threads = int(anyio.to_thread.current_default_thread_limiter().total_tokens)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", timeout=120
        ) as http:
            signed_in = await http.post(
                "/api/v1/auth/login", json={"email": "many@example.org", "password": PASSWORD}
            )
            headers = {"x-csrftoken": signed_in.json()["csrf_token"]}
            waves = 2 * threads  # well over the threads and the pool's connections
            calls = [http.get("/api/v1/dashboard?days=365") for _ in range(waves)]
            calls += [http.get("/dashboard") for _ in range(waves)]
            calls += [
                http.post("/api/v1/assessments", json=ANSWERS, headers=headers)
                for _ in range(threads)
            ]
            answers = await asyncio.gather(*calls)
        return [a.status_code for a in answers]

    codes = asyncio.run(run())
    assert set(codes) <= {200, 201}, sorted(set(codes))
    assert pool.checkedout() == 0


def test_a_route_gives_its_connection_back_before_its_answer_is_sent(app: FastAPI) -> None:
    """The unit of work closes when the route has made its answer, not once a (perhaps slow)
    client has read it: a route that reads after its last commit leaves a transaction open,
    and its connection would otherwise stay out of the pool while the answer is sent."""
    pool = app.state.database.engine.pool
    held_while_sending: list[int] = []

    @app.get("/test-read-after-commit")
    def read_after_commit(db: UnitOfWork) -> dict[str, int]:
        return {"one": db.execute(text("SELECT 1")).scalar_one()}  # no commit after it

    async def watching(scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                held_while_sending.append(pool.checkedout())
            await send(message)

        await app(scope, receive, sending)

    async def run() -> int:
        transport = httpx.ASGITransport(app=watching)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            return (await http.get("/test-read-after-commit")).status_code

    assert asyncio.run(run()) == 200
    assert held_while_sending == [0]
