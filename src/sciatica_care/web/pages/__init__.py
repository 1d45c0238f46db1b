"""The server-rendered pages: the assessment wizard and result, accounts, and tracking."""

from __future__ import annotations

from fastapi import APIRouter

from sciatica_care.web.pages import account, assessment, history, tracking

router = APIRouter()
for module in (assessment, account, tracking, history):
    router.include_router(module.router)
