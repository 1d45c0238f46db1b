"""Emails from Jinja2 templates: ``<kind>.txt`` (first line ``Subject: …``, a blank line, the
body) and, when it exists, ``<kind>.html``.

Each email is written in its recipient's language: the templates' words go through Jinja2's
i18n extension (``{% trans %}``, ``_()``), with one environment per language holding that
language's catalog (i18n.translations), so two emails in two languages never share state.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    select_autoescape,
)
from markupsafe import escape

from sciatica_care import i18n

if TYPE_CHECKING:
    from sciatica_care.db.tables import User

TEMPLATES = Path(__file__).with_name("templates")


def escaped(value: Any) -> Any:
    """``value`` (a string, or a dataclass of strings such as a BookingMail) with its text
    HTML-escaped: for the words of ``booking_words.txt`` (a text template, so its macros insert
    values as they are) when an HTML email shows them."""
    if isinstance(value, str):
        return escape(value)
    if is_dataclass(value) and not isinstance(value, type):
        texts = {f.name: getattr(value, f.name) for f in fields(value)}
        return replace(value, **{k: escape(v) for k, v in texts.items() if isinstance(v, str)})
    return value


@cache
def environment(language: str) -> Environment:
    """The template environment of ``language`` (its catalog installed; English: the source)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
    env.install_gettext_translations(  # type: ignore[attr-defined]
        i18n.translations(language), newstyle=True
    )
    env.globals["language"] = language
    env.filters["escaped"] = escaped
    return env


def language_of(user: User | None, fallback: str | None = None) -> str:
    """The language to write to ``user`` in: the account's choice, else ``fallback`` (the
    language of the page that caused the email), else English."""
    for choice in (user.language if user is not None else None, fallback):
        if choice and i18n.is_language(choice):
            return choice
    return i18n.DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str | None = None


def render_email(
    kind: str, *, language: str = i18n.DEFAULT_LANGUAGE, **context: Any
) -> RenderedEmail:
    """The email ``kind`` in ``language``, filled in with ``context``; ValueError if its text
    lacks a subject."""
    env = environment(language if i18n.is_language(language) else i18n.DEFAULT_LANGUAGE)
    rendered = env.get_template(f"{kind}.txt").render(**context)
    first, _, body = rendered.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"{kind}.txt must start with 'Subject: '")
    try:
        html: str | None = env.get_template(f"{kind}.html").render(**context)
    except TemplateNotFound:
        html = None
    return RenderedEmail(
        subject=first.removeprefix("Subject: ").strip(), text=body.lstrip("\n"), html=html
    )
