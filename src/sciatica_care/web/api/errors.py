"""Errors as responses: service refusals and validation errors, each naming what is wrong.

Under /api the body is JSON: ``{"detail": str, "errors": [{"field", "message"}]}``. For pages,
the template ``error.html`` is rendered when it exists (context: status, message), else text.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError

from sciatica_care.domain.assessment import field_errors
from sciatica_care.services.errors import InvalidInput, ServiceError, Throttled

log = logging.getLogger(__name__)


class _Errors:
    """Stands in for a pydantic ValidationError so the domain's messages can be reused."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return self._errors


def validation_problems(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """FastAPI's request errors as ``{field, message}``, the body/query prefix dropped."""
    trimmed = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if loc and loc[0] in {"body", "query", "path", "header", "cookie"}:
            loc = loc[1:]
        trimmed.append({**error, "loc": loc})
    problems = field_errors(cast(ValidationError, _Errors(trimmed)))
    return [{"field": p.field or "body", "message": p.message} for p in problems]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page_error(request: Request, status: int, message: str) -> Response:
    try:
        from sciatica_care.web.templating import templates

        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "message": message, "user": getattr(request.state, "actor", None)},
            status_code=status,
        )
    except Exception:  # no error template (yet): plain text is still a clear answer
        return PlainTextResponse(message, status_code=status)


def error_response(
    request: Request, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> Response:
    """An error answer: JSON ``{detail, errors}`` under /api, else the error page."""
    if not _is_api(request):
        return _page_error(request, status, detail)
    return JSONResponse({"detail": detail, "errors": errors or []}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = validation_problems(list(exc.errors()))
        # Field names only: the values (and the messages quoting them) may be health data.
        log.info(
            "refused %s %s: fields %s",
            request.method,
            request.url.path,
            ", ".join(p["field"] for p in problems),
        )
        detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        if not _is_api(request):
            return _page_error(request, 422, detail)
        return JSONResponse({"detail": detail, "errors": problems}, status_code=422)

    @app.exception_handler(ServiceError)
    async def _refused(request: Request, exc: ServiceError) -> Response:
        headers = {}
        log.info("%s %s answered %s", request.method, request.url.path, exc.status)
        if isinstance(exc, Throttled):
            headers["Retry-After"] = str(exc.retry_after)
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if not _is_api(request):
            return _page_error(request, exc.status, str(exc))
        errors = (
            [{"field": p.field, "message": p.message} for p in exc.problems]
            if isinstance(exc, InvalidInput)
            else []
        )
        return JSONResponse(
            {"detail": str(exc), "errors": errors}, status_code=exc.status, headers=headers
        )
