"""The fallback load driver of ``bench_web.py`` when wrk is missing: asyncio + httpx in the
benchmark's own process (on a small machine it is itself the bottleneck: its figures are a
floor, not the server's capacity)."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx


async def _drive(
    base: str,
    method: str,
    path: str,
    *,
    body: Any,
    headers: dict[str, str],
    cookies: dict[str, str] | None,
    seconds: float,
    connections: int,
) -> tuple[int, float, float, float, int]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, cookies=cookies, limits=limits, timeout=30
    ) as http:

        async def call() -> httpx.Response:
            return await http.request(method, path, json=body)

        await asyncio.gather(*(call() for _ in range(connections)))  # open the connections
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await call()
                latencies.append(time.perf_counter() - start)
                errors += response.status_code >= 400

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0.0
    return len(latencies), elapsed, p50, p99, errors


def drive(
    base: str,
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    seconds: float,
    connections: int,
) -> tuple[int, float, float, float, int]:
    """Requests, seconds, p50 ms, p99 ms and errors (status >= 400) of a bounded run."""
    return asyncio.run(
        _drive(
            base,
            method,
            path,
            body=body,
            headers=headers or {},
            cookies=cookies,
            seconds=seconds,
            connections=connections,
        )
    )
