"""Pages matched against the pages' routes only (web/route_front.py) answer exactly as the
whole router did: the same route, redirect, 404 and 405, for pages, static files and the API."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.web.route_front import RouteFront

#: Pages, a page with a trailing slash, a page asked with the wrong method, a page with an id,
#: static files, nothing at all, and the API (which goes to the whole router either way).
ASKED = (
    ("GET", "/"),
    ("GET", "/dashboard"),
    ("GET", "/dashboard/"),
    ("PUT", "/dashboard"),
    ("GET", "/diary/not-an-entry/edit"),
    ("GET", "/trend?range=7"),
    ("GET", "/login"),
    ("GET", "/static/nothing.css"),
    ("GET", "/no-such-page"),
    ("GET", "/apiary"),
    ("GET", "/api"),
    ("GET", "/api/v1/ping"),
    ("PUT", "/api/v1/ping"),
    ("GET", "/api/v1/no-such-thing"),
    ("GET", "/api/v1/dashboard"),
)
CSRF = re.compile(r'(name="csrftoken" value="|name="csrf-token" content=")[^"]+')


def _answers(client: TestClient) -> list[tuple[int, str | None, str]]:
    out = []
    for method, path in ASKED:
        response = client.request(method, path, follow_redirects=False)
        out.append(
            (response.status_code, response.headers.get("location"), CSRF.sub("", response.text))
        )
    return out


def test_the_pages_routes_answer_as_the_whole_router(app: FastAPI) -> None:
    front = app.router.middleware_stack
    assert isinstance(front, RouteFront)

    @app.get("/added-later")  # a route added after the app was made is found
    def added() -> dict[str, str]:
        return {"added": "later"}

    # Each with a new browser (the CSRF check answers by the cookies it was given).
    with_front = _answers(TestClient(app))
    assert TestClient(app).get("/added-later").json() == {"added": "later"}
    app.router.middleware_stack = front.whole
    try:
        whole = _answers(TestClient(app))
    finally:
        app.router.middleware_stack = front
    assert with_front == whole
    assert [status for status, _, _ in whole][:4] == [200, 303, 307, 405]


def test_a_page_is_not_tried_against_the_api_routes(app: FastAPI) -> None:
    front = app.router.middleware_stack
    assert isinstance(front, RouteFront)
    pages = front._pages_router().routes
    assert pages and all(not str(getattr(r, "path", "")).startswith("/api") for r in pages)
    assert len(pages) < len(app.router.routes)
