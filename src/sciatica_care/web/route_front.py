"""A page's address is looked for among the pages' routes only, not the API's first.

The app's router tries its routes in order, each included router's one by one, and the API's
routers come first: a page (``/dashboard``) was tried against every API route (some hundred,
each a regular expression and FastAPI's bookkeeping around it) before its own, and its router
then matched it again to handle it. That was about a tenth of the dashboard page's CPU.

No API route can match an address outside ``/api``: each of them is the API's prefix
(``/api/v1``) then its own path. So for an address that does not start with ``/api`` the app's
router, given the same routes less the API's (in the same order: the static files, the
pages, any route added later), chooses what it chose before: the same route, the same
trailing-slash redirect, the same 404 or 405. Everything under ``/api``, and every other kind
of request (the lifespan), goes to the whole router as before.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from fastapi.routing import APIRouter
from starlette._utils import get_route_path
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

#: Every address of the API starts with this (its prefix, ``/api/v1``, does).
API_ROOT = "/api"


class RouteFront:
    """The app router's entry (its ``middleware_stack``): pages and static files are matched
    against the routes that are not the API's."""

    def __init__(self, router: APIRouter, api_routes: Iterable[BaseRoute]) -> None:
        self.router = router
        self.whole: ASGIApp = router.middleware_stack
        self._api = frozenset(map(id, api_routes))
        self._seen = -1  # how many routes the app had when the pages' router was made
        self._pages = router

    def _pages_router(self) -> APIRouter:
        routes = self.router.routes
        if len(routes) != self._seen:  # a route added (tests add some): made again
            pages = copy.copy(self.router)
            pages.routes = [
                route
                for route in routes
                if id(route) not in self._api
                and not str(getattr(route, "path", "")).startswith(API_ROOT)
            ]
            self._pages, self._seen = pages, len(routes)
        return self._pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or get_route_path(scope).startswith(API_ROOT):
            await self.whole(scope, receive, send)
            return
        # As the whole router would: url_for and the like see the app's router.
        scope.setdefault("router", self.router)
        await self._pages_router().app(scope, receive, send)


def front_pages(router: APIRouter, api_routes: Iterable[BaseRoute]) -> None:
    """Put a :class:`RouteFront` before ``router`` (the app's), which has ``api_routes``
    (the entries its API routers made, every one under ``/api``) among its routes. Not when
    the router has middleware of its own (the pages would skip it): it has none."""
    if router.middleware_stack == router.app:
        router.middleware_stack = RouteFront(router, api_routes)
