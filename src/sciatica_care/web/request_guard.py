"""Malformed requests are refused at the door with a 4xx, before the CSRF check or a route
parses them (both would otherwise fail with a 500 on some of them).

- ``multipart/form-data`` is refused (415): no form of the app uploads a file, every form is
  sent urlencoded, and the CSRF check cannot read a multipart body (it failed with a 500).
- An urlencoded body must be UTF-8 (400); a CSRF token, in its header or form field, must be
  ASCII (400); the ``Cookie`` header must be UTF-8 (400).
- No NUL character (``\\x00``) in the path, a query parameter, a form field or a JSON string:
  PostgreSQL refuses NUL in text, so it is refused here, once for every field (422 naming the
  field; 400 for the path).

Bodies of these kinds are read whole here and replayed to the app; other bodies pass untouched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sciatica_care.web.security import CSRF_FORM_FIELD, CSRF_HEADER

NUL = "\x00"
NUL_MESSAGE = "must not contain the NUL character (\\x00)"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request is refused: the status, what is wrong, and the field when there is one."""

    status: int
    message: str
    field: str = ""


def _media_type(headers: Headers) -> str:
    """The content type's media type, in lower case."""
    return headers.get("content-type", "").partition(";")[0].strip().lower()


MULTIPART_REFUSED = Refusal(
    415, "forms are sent as application/x-www-form-urlencoded (multipart is not accepted)"
)


def _head_refusal(scope: Scope, headers: Headers) -> Refusal | None:
    if NUL in str(scope.get("path", "")):
        return Refusal(400, f"the address {NUL_MESSAGE}")
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if NUL in name or NUL in value:
            return Refusal(422, NUL_MESSAGE, name.replace(NUL, "") or "query")
    for key, value in scope.get("headers", []):
        if key == b"cookie" and not _is_utf8(value):
            return Refusal(400, "the Cookie header must be UTF-8")
        if key == CSRF_HEADER.encode() and not value.isascii():
            return Refusal(400, "the CSRF token must be ASCII")
    return None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _field_refusal(items: Iterator[tuple[str, str]]) -> Refusal | None:
    for name, value in items:
        if name == CSRF_FORM_FIELD and not value.isascii():
            return Refusal(400, "the CSRF token must be ASCII")
        if NUL in name or NUL in value:
            return Refusal(422, NUL_MESSAGE, name.replace(NUL, "") or "form")
    return None


def _urlencoded_refusal(body: bytes) -> Refusal | None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "the form must be sent as UTF-8")
    return _field_refusal(iter(parse_qsl(text, keep_blank_values=True)))


def _json_nul_field(value: Any) -> str | None:
    """The dotted path of the first string (or key) holding a NUL; walked without recursion,
    however deeply the value nests."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str) and NUL in item:
            return path or "body"
        if isinstance(item, dict):
            for key, child in item.items():
                name = f"{path}.{key}" if path else str(key)
                if NUL in key:
                    return name.replace(NUL, "")
                stack.append((name, child))
        elif isinstance(item, list):
            stack.extend((f"{path}.{n}" if path else str(n), child) for n, child in enumerate(item))
    return None


def _json_refusal(body: bytes) -> Refusal | None:
    if b"\\u0000" not in body:  # the only way a JSON text can carry a NUL
        return None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the route answers that itself (400 or 422)
    field = _json_nul_field(value)
    return Refusal(422, NUL_MESSAGE, field) if field else None


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    chunks: list[bytes] = []
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


async def _refuse(scope: Scope, receive: Receive, send: Send, refusal: Refusal) -> None:
    # Imported here: the error responses render templates, which import the app's pages.
    from sciatica_care.web.api.errors import error_response

    errors = [{"field": refusal.field, "message": refusal.message}] if refusal.field else []
    detail = f"{refusal.field}: {refusal.message}" if refusal.field else refusal.message
    response = error_response(Request(scope), refusal.status, detail, errors)
    await response(scope, receive, send)


class RequestGuard:
    """The ASGI middleware: refuses malformed requests (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = _head_refusal(scope, headers)
        if refusal is not None:
            await _refuse(scope, receive, send, refusal)
            return
        if scope.get("method") in {"GET", "HEAD", "OPTIONS"}:  # no body the app reads
            await self.app(scope, receive, send)
            return
        media = _media_type(headers)
        # No content type: FastAPI reads such a body as JSON, so it is scanned as JSON too.
        forms = {"application/x-www-form-urlencoded", "multipart/form-data"}
        if media not in forms and not (
            media in {"", "application/json"} or media.endswith("+json")
        ):
            await self.app(scope, receive, send)
            return
        if media == "multipart/form-data":
            await _refuse(scope, receive, send, MULTIPART_REFUSED)
            return
        body, messages = await _read_body(receive)
        if media == "application/x-www-form-urlencoded":
            refusal = _urlencoded_refusal(body)
        else:
            refusal = _json_refusal(body)
        if refusal is not None:
            await _refuse(scope, receive, send, refusal)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)
