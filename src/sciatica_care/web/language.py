"""The language a page is written in, chosen per person: the switch (a cookie, and the account's
setting when signed in), else the browser's ``Accept-Language``, else English.

Signing in sets the cookie from the account's setting, so every device follows the account.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from sciatica_care import i18n

LANGUAGE_COOKIE = "sc_lang"
ONE_YEAR = 365 * 24 * 3600


def request_language(request: Request | None) -> str:
    """The language to answer ``request`` in (worked out once per request)."""
    if request is None:
        return i18n.DEFAULT_LANGUAGE
    chosen = getattr(request.state, "language", None)
    if chosen:
        return str(chosen)
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    language = cookie if i18n.is_language(cookie) else None
    language = language or i18n.negotiate(request.headers.get("accept-language"))
    request.state.language = language
    return language


def chosen_language(request: Request) -> str | None:
    """The language to keep on an account made from ``request``: the switch's choice, else a
    language other than English the browser asks for; None when the page is English only by
    default (the account then follows whichever browser it is used in)."""
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if i18n.is_language(cookie):
        return cookie
    language = request_language(request)
    return language if language != i18n.DEFAULT_LANGUAGE else None


def remember_language(response: Response, language: str, *, secure: bool) -> None:
    """Keep the chosen language in a cookie for a year (it says nothing about the person)."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def _language_of(context: Any) -> str:
    return request_language(context.get("request"))


@pass_context
def page_language(context: Any) -> str:
    """The language of the page being rendered (for ``<html lang>`` and the switch)."""
    return _language_of(context)


@pass_context
def template_gettext(context: Any, message: str) -> str:
    """gettext for templates: ``message`` in the language of the page being rendered."""
    return i18n.gettext(_language_of(context), message)


@pass_context
def page_gettext(context: Any, message: str, **variables: Any) -> str:
    """The templates' ``_()`` and ``gettext()`` (and ``{% trans %}``): what Jinja's newstyle
    gettext does with ``template_gettext`` (the message in the page's language, marked safe
    when autoescaping, then formatted with the escaped ``variables``), in one call rather than
    three; and a message with nothing to format is not formatted (``%`` would change nothing
    in it). A page says some ninety messages: this was a sixth of the dashboard's rendering.
    Autoescaped (every page), it is :func:`page_words` of the page's language."""
    language = _language_of(context)
    if context.eval_ctx.autoescape:
        return page_words(language)(message, **variables)
    said: str = i18n.translations(language).gettext(message)
    if not variables and "%" not in said:
        return said
    return said % variables


#: How many messages without anything to format each language's ``page_words`` keeps.
PLAIN_KEPT = 2048


@cache
def page_words(language: str) -> Callable[..., str]:
    """The words of an autoescaped page (every page is: ``.html``) in ``language``: the
    message marked safe, then formatted with the escaped ``variables``. Given to each page's
    context as ``_`` and ``gettext`` (the page's language is not asked for again, through the
    request's state, at each of its some ninety messages); :func:`page_gettext` uses it too."""
    catalog = i18n.translations(language).gettext
    # A message with nothing to format, as said (most of a page's): a look-up, not the
    # catalog's and a new Markup each time. The messages are the templates' own words (and
    # the vocabulary's labels): a few hundred; past PLAIN_KEPT nothing more is kept.
    plain: dict[str, Markup] = {}

    def said(message: str, **variables: Any) -> str:
        if not variables:
            kept = plain.get(message)
            if kept is not None:
                return kept
        out = Markup(catalog(message))
        if not variables and "%" not in out:
            if len(plain) < PLAIN_KEPT:
                plain[message] = out
            return out
        return out % variables

    return said


@pass_context
def template_pgettext(context: Any, message_context: str, message: str) -> str:
    """pgettext for templates: ``pgettext("body", "Back")`` where English words have several
    meanings."""
    return i18n.pgettext(_language_of(context), message_context, message)


@pass_context
def template_ngettext(context: Any, singular: str, plural: str, n: int) -> str:
    """ngettext for templates, by the plural rules of the page's language."""
    return i18n.ngettext(_language_of(context), singular, plural, n)
