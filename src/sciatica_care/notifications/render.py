"""Emails from Jinja2 templates: ``<kind>.txt`` (first line ``Subject: …``, a blank line, the
body) and, when it exists, ``<kind>.html``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    select_autoescape,
)

TEMPLATES = Path(__file__).with_name("templates")

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str | None = None


def render_email(kind: str, **context: Any) -> RenderedEmail:
    """The email ``kind`` filled in with ``context``; ValueError if its text lacks a subject."""
    rendered = _env.get_template(f"{kind}.txt").render(**context)
    first, _, body = rendered.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"{kind}.txt must start with 'Subject: '")
    try:
        html: str | None = _env.get_template(f"{kind}.html").render(**context)
    except TemplateNotFound:
        html = None
    return RenderedEmail(
        subject=first.removeprefix("Subject: ").strip(), text=body.lstrip("\n"), html=html
    )
