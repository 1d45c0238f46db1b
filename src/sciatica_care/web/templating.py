"""The Jinja2 environment for the server-rendered pages, with the vocabulary as filters.

Templates never hard-code an id list: they read the vocabulary (``vocab``) and the plain labels
(``label`` filter) from ``domain/vocabulary.py``. Autoescaping is on for every ``.html`` file,
so every free-text value a person typed is escaped wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup
from starlette.requests import Request

from sciatica_care import i18n
from sciatica_care.domain import vocabulary
from sciatica_care.domain.time_zones import DEFAULT_TIME_ZONE, local_time, time_zone_names
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.domain.vocabulary import LABELS, label
from sciatica_care.i18n import N_
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.web.language import (
    page_gettext,
    page_language,
    page_words,
    request_language,
    template_gettext,
    template_ngettext,
    template_pgettext,
)
from sciatica_care.web.static_files import StaticAssets

TEMPLATE_DIR = Path(__file__).parent / "templates"

templates = Jinja2Templates(directory=TEMPLATE_DIR)
templates.env.add_extension("jinja2.ext.i18n")
templates.env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
# Every page's words go through the catalog of the page's language (web/language.py); the
# newstyle callables escape and format like the rest of the template.
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    template_gettext, template_ngettext, newstyle=True, pgettext=template_pgettext
)
# The same gettext in one call (``_`` was Jinja's alias calling its wrapper calling ours).
templates.env.globals["gettext"] = templates.env.globals["_"] = page_gettext

#: One side of a body region, the region's label given as ``area`` (in English with a small
#: first letter after the side: "Left back of the calf").
SIDE_WORDS: dict[str, str] = {
    "left": N_("Left %(area)s"),
    "right": N_("Right %(area)s"),
    "both": N_("%(area)s (both sides)"),
}

GRADE_WORDS: dict[str, str] = {
    "moderate": N_("Moderate-quality evidence"),
    "low": N_("Low-quality evidence"),
    "very_low": N_("Very low-quality evidence"),
    "none": N_("No trial evidence"),
    "consensus": N_("Expert consensus"),
}


def region_side_label(region: str, side: str, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Name one side of one body region as a person reads it: "Left back of the calf"."""
    _ = i18n.translator(language)
    name = _(label("areas", region))
    if side == "both":
        return _(SIDE_WORDS["both"]) % {"area": name}
    area = f"{name[0].lower()}{name[1:]}"
    if side not in SIDE_WORDS:
        return f"{side} {area}"
    return _(SIDE_WORDS[side]) % {"area": area}


def citation(source_id: str, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The full citation of a knowledge-base source id (the id itself if unknown), from the
    knowledge base in ``language`` (a citation names a work in its own language)."""
    source = knowledge_base(language).sources.get(source_id)
    return source.citation if source else source_id


def grade_words(grade: str, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Say an evidence grade in words (in ``language``)."""
    if grade in GRADE_WORDS and language != i18n.DEFAULT_LANGUAGE:
        return i18n.gettext(language, GRADE_WORDS[grade])
    return GRADE_WORDS.get(grade, grade.replace("_", " "))


def when(
    value: datetime | date | None,
    zone: tzinfo | str | None = None,
    language: str = i18n.DEFAULT_LANGUAGE,
) -> str:
    """A date or time as a reader of ``language`` reads it: "3 Mar 2026, 14:05" in English,
    "2026. 3. 3. 오후 2:05" in Korean; a time in ``zone`` (a zone or an IANA name; stored times
    are UTC, a time without a zone is taken as UTC)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        where = zone if isinstance(zone, tzinfo) else zone_named(zone)
        local = local_time(value if value.tzinfo else value.replace(tzinfo=UTC), where)
        if language != i18n.DEFAULT_LANGUAGE:
            return i18n.format_when(local, language)
        return f"{local.day} {local:%b %Y, %H:%M}"
    if language != i18n.DEFAULT_LANGUAGE:
        return i18n.format_when(value, language)
    return f"{value.day} {value:%b %Y}"


def viewer_zone(context: Mapping[str, Any]) -> str:
    """The time zone of whoever is looking at the page (UTC when no one is signed in)."""
    request = context.get("request")
    viewer = getattr(getattr(request, "state", None), "actor", None) or context.get("user")
    return str(getattr(viewer, "time_zone", None) or DEFAULT_TIME_ZONE)


@pass_context
def when_filter(context: Mapping[str, Any], value: datetime | date | None, zone: str = "") -> str:
    """The ``when`` filter: times in ``zone`` when given, else in the viewer's own zone; in
    the page's language."""
    return when(value, zone or viewer_zone(context), _page_language(context))


def appointment_time(value: datetime, zone: str, language: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A session's time as its viewer reads it, with the zone named:
    "Tue 3 Jun 2026, 09:00 (Europe/London)"; "2026. 6. 3. (수) 09:00 (Europe/London)" in
    Korean."""
    return f"{_appointment_at(value, zone, language)} ({zone})"


def _appointment_at(value: datetime, zone: str, language: str) -> str:
    local = local_time(value, zone_named(zone))
    if language != i18n.DEFAULT_LANGUAGE:
        from babel.dates import format_datetime

        pattern = APPOINTMENT_PATTERNS.get(language, "medium")
        return str(format_datetime(local, pattern, locale=i18n.locale(language)))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


#: How an appointment's date and time are written, by language (Babel's patterns).
APPOINTMENT_PATTERNS: dict[str, str] = {"ko": "y. M. d. (E) HH:mm"}


def _page_language(context: Mapping[str, Any]) -> str:
    return request_language(context.get("request"))


@pass_context
def appointment_filter(context: Mapping[str, Any], value: datetime) -> str | Markup:
    """The ``appointment`` filter: a session's time in the viewer's zone, the zone named; in
    the page's language (where the zone's name, an IANA id, is marked as not to translate)."""
    zone = viewer_zone(context)
    language = _page_language(context)
    if language == i18n.DEFAULT_LANGUAGE:
        return appointment_time(value, zone)
    at = _appointment_at(value, zone, language)
    return Markup('{} <span translate="no">({})</span>').format(at, zone)


def local_input(value: datetime | None, zone: str) -> str:
    """A stored time as a ``datetime-local`` input value in ``zone`` (the input's own format,
    ``2026-03-03T14:05``, in every language: the browser shows it in its reader's way)."""
    if value is None:
        return ""
    return local_time(value, zone_named(zone)).strftime("%Y-%m-%dT%H:%M")


#: The vocabulary list behind each labelled kind, in the order the contract gives it.
KINDS: dict[str, tuple[str, ...]] = {
    "sex": vocabulary.SEXES,
    "side": vocabulary.SIDES,
    "trend": vocabulary.TRENDS,
    "diagnosis": vocabulary.DIAGNOSES,
    "symptoms": vocabulary.SYMPTOMS,
    "aggravated_by": vocabulary.AGGRAVATORS,
    "areas": vocabulary.REGIONS,
    "red_flags": vocabulary.RED_FLAGS,
    "conditions": vocabulary.CONDITIONS,
    "pressure_preference": vocabulary.PRESSURES,
    "goals": vocabulary.GOALS,
    "prior_response": vocabulary.RESPONSES,
    "techniques": vocabulary.TECHNIQUES,
}


def choices(kind: str) -> list[tuple[str, str]]:
    """Every id of a vocabulary kind with its plain label, in vocabulary order."""
    return [(value, label(kind, value)) for value in KINDS[kind]]


STATIC_DIR = Path(__file__).parent / "static"

#: Every static file's content hash, taken once at start (see ``web/static_files.py``).
static_assets = StaticAssets(STATIC_DIR)


def static_url(path: str) -> str:
    """The address of a static file, named by its content (``css/site.css`` ->
    ``/static/css/site.3f2a9c1b7d.css``), so browsers may cache it for a year. Every page links
    its static files through this one function."""
    return static_assets.url(path)


def _fallback_csrf_token(request: Request) -> str:
    """Stand-in until the app installs the real CSRF token global (see create_app)."""
    return ""


@pass_context
def label_filter(context: Any, value: object, kind: str) -> str:
    """``value | label(kind)``: the plain-language label of a vocabulary id, in the page's
    language (the labels are marked with ``N_`` in ``domain/vocabulary.py``)."""
    return template_gettext(context, label(kind, str(value)))


@pass_context
def region_side_filter(context: Any, region: str, side: str) -> str:
    """The ``region_side`` filter: one side of a body region in the page's language."""
    return region_side_label(region, side, page_language(context))


@pass_context
def citation_filter(context: Any, source_id: str) -> str:
    """The ``citation`` filter: from the knowledge base in the page's language."""
    return citation(source_id, page_language(context))


@pass_context
def grade_words_filter(context: Any, grade: str) -> str:
    """The ``grade_words`` filter: an evidence grade in words in the page's language."""
    return grade_words(grade, page_language(context))


#: Macro calls made once per process (``kept_call``): (page, macro, language, arguments) -> markup.
_KEPT_CALLS: dict[tuple[str, ...], Markup] = {}
_KEPT_CALLS_MAX = 256


@pass_context
def kept_call(context: Any, macro: Any, keep: bool, *args: Any, **kwargs: Any) -> Markup:
    """``macro(*args, **kwargs)``, made once per process when ``keep``: for a call whose
    output depends only on its arguments (plain values: words, numbers, empty or constant
    mappings; never what a person typed: the page says ``keep`` only when there is none) and
    on the page's language. The dashboard's quick log (two scales of eleven radio buttons)
    was a tenth of its rendering, the same on every view."""
    if not keep:
        return Markup(macro(*args, **kwargs))
    key = (
        str(context.name),
        str(macro.name),
        _page_language(context),
        repr(args),
        repr(sorted(kwargs.items())),
    )
    out = _KEPT_CALLS.get(key)
    if out is None:
        out = Markup(macro(*args, **kwargs))
        if len(_KEPT_CALLS) < _KEPT_CALLS_MAX:
            _KEPT_CALLS[key] = out
    return out


templates.env.filters["label"] = label_filter
templates.env.filters["region_side"] = region_side_filter
templates.env.filters["citation"] = citation_filter
templates.env.filters["grade_words"] = grade_words_filter
templates.env.filters["when"] = when_filter
templates.env.filters["local_input"] = local_input
templates.env.filters["appointment"] = appointment_filter
templates.env.globals["viewer_zone"] = pass_context(viewer_zone)
templates.env.globals["time_zone_names"] = time_zone_names
templates.env.globals["LABELS"] = LABELS
templates.env.globals["vocab"] = vocabulary
templates.env.globals["choices"] = choices
templates.env.globals["static_url"] = static_url
templates.env.globals["page_language"] = page_language
templates.env.globals["kept_call"] = kept_call
templates.env.globals["LANGUAGES"] = i18n.LANGUAGES
templates.env.globals.setdefault("csrf_token", _fallback_csrf_token)
templates.env.globals.setdefault("csrf_field_name", "csrf_token")
templates.env.globals.setdefault("csrf_header_name", "X-CSRF-Token")


def page_context(request: Request, **values: Any) -> dict[str, Any]:
    """The context every page gets: the request, the signed-in user (or None) and values; and
    the page's words (``_``, ``gettext``) in its language, as ``page_gettext`` says them."""
    said = page_words(request_language(request))
    context: dict[str, Any] = {"request": request, "user": None, "_": said, "gettext": said}
    context.update(values)
    return context
