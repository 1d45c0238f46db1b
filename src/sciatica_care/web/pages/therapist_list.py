"""What the therapist's client list makes once for all its rows: the words every row says
(``client_list_words()``: the sentence of what a client shares, times in the viewer's zone and
the follow-up reason, each in the page's language), and ``macro | once``, a macro called once
for each distinct list of arguments on the page being rendered."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from sciatica_care.domain.follow_up import FollowUp
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import N_, gettext
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.therapist_reading import reasons_for_therapist
from sciatica_care.web.templating import templates, viewer_zone, when

#: What a client shares and since when (its two parts made by the template).
SHARES = N_("Shares: %(scopes)s · since %(since)s")


@dataclass(frozen=True, slots=True)
class ListWords:
    """The client list's words for one page: in its language, times in its viewer's zone."""

    language: str
    zone: tzinfo
    #: :data:`SHARES` as the template's ``trans`` says it (a format that escapes its values).
    shares: Markup

    def when(self, value: datetime | date | None) -> str:
        """The ``when`` filter on this page."""
        return when(value, self.zone, self.language)

    def first_reason(self, reading: FollowUp | None) -> str:
        """The first follow-up reason as the therapist reads it (``follow_up_for_therapist``)."""
        return reasons_for_therapist(reading, self.language)[0]


@pass_context
def client_list_words(context: Mapping[str, Any]) -> ListWords:
    """The page's :class:`ListWords`, made once before the list's rows."""
    language = request_language(context.get("request"))
    return ListWords(
        language=language,
        zone=zone_named(viewer_zone(context)),
        shares=Markup(gettext(language, SHARES)),
    )


def once(macro: Callable[..., Markup]) -> Callable[..., Markup]:
    """``macro`` made once for each distinct list of arguments; for a macro whose output
    depends only on its arguments (plain values: None, numbers, words, tuples of words) and on
    the page's language, which is one for the whole page. The arguments are told apart by
    their ``repr`` (``0.0`` is not ``-0.0``, ``1`` is not ``True``)."""
    made: dict[tuple[str, ...], Markup] = {}

    def call(*args: object) -> Markup:
        key = tuple(map(repr, args))
        out = made.get(key)
        if out is None:
            out = made[key] = macro(*args)
        return out

    return call


templates.env.filters["once"] = once
templates.env.globals["client_list_words"] = client_list_words
