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
from sciatica_care.services.errors import (
    InvalidCredentials,
    InvalidInput,
    NotSignedIn,
    ServiceError,
    Throttled,
)
from sciatica_care.web.auth import sign_in_refusal

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
        from sciatica_care.web.error_pages import error_page

        return error_page(request, status, message, getattr(request.state, "actor", None))
    except Exception:  # no error template (yet): plain text is still a clear answer
        return PlainTextResponse(message, status_code=status)


def _page_words(request: Request, exc: ServiceError) -> str:
    """What an error page says about ``exc``, in the request's language."""
    from sciatica_care.i18n import DEFAULT_LANGUAGE, translator
    from sciatica_care.web.language import request_language

    language = request_language(request)
    if language == DEFAULT_LANGUAGE:
        return str(exc)
    _ = translator(language)
    if isinstance(exc, Throttled):
        minutes = max(1, -(-exc.retry_after // 60))
        return _("Too many failed sign-ins. Please try again in %(minutes)s minutes.") % {
            "minutes": minutes
        }
    if isinstance(exc, InvalidCredentials):
        return _("Wrong email address or password.")
    if isinstance(exc, NotSignedIn):
        return _("Please log in first.")
    return str(exc)


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
        refused = await sign_in_refusal(request)
        if refused is not None:  # a bad sign-in is refused first, whatever the input
            return await _refused(request, refused)
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
            page = _page_error(request, exc.status, _page_words(request, exc))
            if "Retry-After" in headers:
                page.headers["Retry-After"] = headers["Retry-After"]
            return page
        errors = (
            [{"field": p.field, "message": p.message} for p in exc.problems]
            if isinstance(exc, InvalidInput)
            else []
        )
        return JSONResponse(
            {"detail": str(exc), "errors": errors}, status_code=exc.status, headers=headers
        )
