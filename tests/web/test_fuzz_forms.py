"""Property-based fuzzing of every page form: no generated post makes the server fail (5xx).

Every POST page route (enumerated from the app) is posted by a member of the access matrix's
cast who may use it, with the route's real ids. The fields are the ones its forms really have
(read from the rendered pages, where a form's action names the route) plus a stray one; the
values mix what the forms offer with hostile text: NUL, out-of-range dates and numbers, long
strings, markup, nested JSON. Bounded: a few examples per route, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.test_access_matrix import (
    ADMIN,
    ANON,
    CLIENT,
    EXPECTED,
    THERAPIST,
    Cast,
    cast,  # noqa: F401  (the fixture: the cast on SQLite and PostgreSQL)
    enumerated_routes,
)

EXAMPLES_PER_ROUTE = 6
# Posting these ends the member's session or the shared record the other routes need.
LAST = ("/logout", "/revoke", "/remove", "/delete", "/privacy/erase")
FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
CONTROL = re.compile(r'<(?:input|select|textarea|button)[^>]*name="([^"]+)"[^>]*>', re.S)
VALUE = re.compile(r'\bvalue="([^"]*)"')
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "11",
    "99999999999999999999",
    "1e309",
    "NaN",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "1899-12-31",
    "2026-02-30T25:61",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "x" * 5000,
    "[" * 2000 + "]" * 2000,
    '{"age": ' + "[" * 900 + "]" * 900 + "}",
    "\u202e\ufeff\U0001f600",
    "yes",
    "no",
]


def form_fields(members: Cast, pages: list[tuple[str, str]]) -> dict[str, dict[str, set[str]]]:
    """For each form action seen on the pages: its field names and the values they offer."""
    found: dict[str, dict[str, set[str]]] = {}
    for member, path in pages:
        text = members.http[member].get(path).text
        for action, body in FORM.findall(text):
            fields = found.setdefault(html.unescape(action), {})
            for control in re.finditer(CONTROL, body):
                values = fields.setdefault(html.unescape(control.group(1)), set())
                values.update(html.unescape(v) for v in VALUE.findall(control.group(0)))
    return found


def poster(allowed: frozenset[str]) -> str:
    return next(m for m in (CLIENT, THERAPIST, ADMIN, ANON) if m in allowed)


def fuzz(
    http: TestClient,
    url: str,
    body: st.SearchStrategy[dict[str, list[str]]],
    statuses: Counter[int],
    failures: list[str],
) -> None:
    """Post ``url`` with bodies drawn from ``body``; count the answers, note every 5xx."""

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=body)
    def no_server_error(data: dict[str, list[str]]) -> None:
        response = http.post(url, data=data, follow_redirects=False)
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"POST {url} {sorted(data)}: {response.status_code}")

    no_server_error()


def test_no_generated_form_post_makes_the_server_fail(cast: Cast) -> None:  # noqa: F811
    routes = sorted(
        (key.split(" ", 1)[1] for key in enumerated_routes(cast.app) if key.startswith("POST ")),
        key=lambda path: (any(path.endswith(end) for end in LAST), path),
    )
    routes = [path for path in routes if not path.startswith("/api/")]
    ids = cast.ids
    gets = [
        (poster(rule.allowed), key.split(" ", 1)[1].format(**ids))
        for key, rule in EXPECTED.items()
        if key.startswith("GET ")
        and not key.startswith("GET /api/")
        and rule.allowed - {ANON}
        and all(n in ids for n in re.findall(r"{(\w+)}", key))
    ]
    fields = form_fields(cast, gets)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    tried = 0
    for path in routes:
        rule = EXPECTED[f"POST {path}"]
        member = poster(rule.allowed) if rule.allowed else CLIENT
        url = path.format(**{n: cast.ids.get(n, "unknown") for n in re.findall(r"{(\w+)}", path)})
        known = fields.get(url, {})
        names = sorted(set(known) - {"csrftoken"}) or ["x"]
        value = st.one_of(
            st.sampled_from(sorted({v for vs in known.values() for v in vs}) or ["1"]),
            st.sampled_from(HOSTILE),
            st.text(max_size=40),
        )
        body = st.dictionaries(
            st.sampled_from([*names, "stray"]), st.lists(value, min_size=1, max_size=3)
        )
        tried += 1
        fuzz(cast.http[member], url, body, statuses, failures)
    print(f"\nform fuzzing: {sum(statuses.values())} posts to {tried} routes, {dict(statuses)}")
    assert tried >= 25
    assert failures == []
