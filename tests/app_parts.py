"""What every test app of a run can share, made once per test process (tests/conftest.py turns
these on for the whole run): the event loop TestClients send their requests to, and FastAPI's
per-app build of each included route.

Both are about the tests' own shape (a new app per test, a TestClient per member of a cast),
not the app's: a server builds one app and runs one event loop for its whole life.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from typing import Any

import anyio.from_thread
import pytest


@contextmanager
def one_event_loop_for_test_clients() -> Iterator[None]:
    """Every TestClient sends its requests to one event loop, kept running on its own thread,
    as a server's one loop serves every request. Left alone, a TestClient not entered with
    ``with`` starts an event loop on a new thread for each request (and each sync route a new
    worker thread on it): about a millisecond of CPU a request, over tens of thousands. A
    client entered with ``with`` (the app's start-up and shut-down run) keeps its own loop.
    Each request still runs to its end before the call returns, as before."""
    from starlette.testclient import TestClient

    with anyio.from_thread.start_blocking_portal() as portal:

        @contextmanager
        def shared_portal(self: TestClient) -> Iterator[anyio.from_thread.BlockingPortal]:
            yield self.portal if self.portal is not None else portal

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(TestClient, "_portal_factory", shared_portal)
            yield


@contextmanager
def routes_built_once() -> Iterator[None]:
    """FastAPI builds each route of an included router again for every app that includes it
    (its dependencies, request and response models: pydantic schemas), on the app's first
    requests: about a tenth of a CPU-second per app, which was half the time of a web test.

    The same route included the same way is built once per process here; another app gets a
    copy of that build carrying its own app (where dependency overrides are looked up) and its
    own request handler made from it, as FastAPI makes them. An app with dependency overrides
    gets its own build. Names FastAPI's private classes: if they change, this fails loudly.
    """
    from fastapi import routing

    build = routing._EffectiveRouteContext.from_api_route
    built: dict[int, list[tuple[Any, Any]]] = {}

    def from_api_route(cls: Any, *, original_route: Any, include_context: Any) -> Any:
        provider = include_context.dependency_overrides_provider
        if getattr(provider, "dependency_overrides", None):
            return build(original_route=original_route, include_context=include_context)
        key = dataclasses.replace(include_context, dependency_overrides_provider=None)
        same = built.setdefault(id(original_route), [])
        made = next((made for seen, made in same if seen == key), None)
        if made is None or made.original_route is not original_route:
            made = build(original_route=original_route, include_context=include_context)
            same.append((key, made))
            return made
        context = copy(made)
        context.dependency_overrides_provider = provider
        token = routing._effective_route_context_var.set(context)
        try:
            context.app = routing.request_response(original_route.get_route_handler())
        finally:
            routing._effective_route_context_var.reset(token)
        return context

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(routing._EffectiveRouteContext, "from_api_route", classmethod(from_api_route))
        yield
