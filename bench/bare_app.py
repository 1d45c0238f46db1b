"""The baselines of rows 1 and 2: a bare FastAPI app with no middleware and no database.

- ``GET /api/v1/ping`` answers the same JSON as the app's ping (row 1's baseline);
- ``POST /api/v1/assessments`` takes the JSON body, as any JSON endpoint does, and answers with
  the bytes of the file ``BENCH_BARE_ANSWER`` names (``bench/write_floor.py`` puts the app's own
  answer to the same assessment there): the same HTTP exchange as a stored write, with none of
  its work. Served by ``bench_web.py`` and ``write_floor.py`` with uvicorn.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Response

ANSWER_FILE = os.environ.get("BENCH_BARE_ANSWER")
ANSWER = Path(ANSWER_FILE).read_bytes() if ANSWER_FILE else b"{}"

app = FastAPI()


@app.get("/api/v1/ping")
async def ping() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/api/v1/assessments")
async def assessments(body: dict[str, Any]) -> Response:
    return Response(ANSWER, media_type="application/json")
