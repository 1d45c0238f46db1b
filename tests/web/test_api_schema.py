"""Schemathesis against the OpenAPI schema: no generated request makes the server fail (5xx).

Requests are signed in with a personal access token so that the generated bodies reach the
services, not only the sign-in check. Bounded: a few examples per operation."""

from __future__ import annotations

from collections import Counter
from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from tests.web.conftest import SignIn

EXAMPLES_PER_OPERATION = 15
SKIPPED = {("POST", "/api/v1/auth/logout")}  # nothing to fuzz, and it would end the session


def test_no_generated_request_makes_the_server_fail(app: FastAPI, sign_in: SignIn) -> None:
    http = sign_in("fuzz@example.org")
    token = http.post("/api/v1/tokens", json={"name": "fuzz"}).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        tried += 1

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def no_server_error(case: Any) -> None:
            response = case.call(headers=bearer)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:200]}")

        no_server_error()
    assert tried >= 15
    assert failures == []
    # The generated requests got past validation too, not only refused with 422.
    assert sum(n for status, n in statuses.items() if status < 300) >= 50, statuses
