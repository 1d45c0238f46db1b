"""The baseline of row 1: a bare FastAPI app answering ``GET /api/v1/ping`` with the same JSON
as the app's ping (no middleware, no database). Served by ``bench_web.py`` with uvicorn."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/api/v1/ping")
async def ping() -> dict[str, str]:
    return {"status": "ok"}
