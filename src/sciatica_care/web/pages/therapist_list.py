"""What the therapist's client list makes once for all its rows: the words every row says
(``client_list_words()``: the sentence of what a client shares, times in the viewer's zone and
the follow-up reason, each in the page's language), and ``macro | once``, a macro called once
for each distinct list of arguments on the page being rendered."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape

from sciatica_care.domain.follow_up import FollowUp
from sciatica_care.domain.time_zones import zone as zone_named
from sciatica_care.i18n import N_, gettext
from sciatica_care.services.workspace import ClientRow
from sciatica_care.web.language import request_language
from sciatica_care.web.pages.therapist_reading import reasons_for_therapist
from sciatica_care.web.templating import templates, viewer_zone, when

#: What a client shares and since when (its two parts made by the template).
SHARES = N_("Shares: %(scopes)s · since %(since)s")
#: The techniques a client should avoid, named one after another.
AVOID = N_("Avoid: %(names)s")


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

    def cards(
        self,
        rows: Iterable[ClientRow],
        words: Mapping[str, str],
        pain: Callable[..., Markup],
        triage: Callable[..., Markup],
        scopes: Callable[..., Markup],
    ) -> Markup:
        """Each row's card, as ``pages/therapist_clients.html`` said it in a loop (the same
        markup, white space and all): ``words`` are the page's words for every row, ``pain``,
        ``triage`` and ``scopes`` its macros (``| once``). The pieces every card shares are
        joined once; each card adds its own values, escaped as the template escaped them."""
        w = {name: escape(said) for name, said in words.items()}
        # The two sentences as plain formats, their values escaped here: what ``Markup % values``
        # makes (each value escaped, a Markup one kept), without its helper object a value.
        avoid = gettext(self.language, AVOID)
        said_shares = str(self.shares)
        marks = {
            "not_settling": f'<span class="mark mark--warn">{w["not_settling"]}</span>',
            "not_improving": f'<span class="mark mark--warn">{w["not_improving"]}</span>',
            "both_legs": f'<span class="mark mark--info">{w["both_legs"]}</span>',
        }
        safety = (
            '\n      <div class="safety-first">\n        <p class="safety-first__title">'
            f"{w['precautions']}</p>\n        <ul>\n          "
        )
        facts = f'\n      <dl class="facts">\n        <div><dt>{w["leg_pain"]}</dt><dd>'
        back = f"</dd></div>\n        <div><dt>{w['back_pain']}</dt><dd>"
        level = f"</dd></div>\n        <div><dt>{w['triage']}</dt><dd>"
        session = f"</dd></div>\n        <div><dt>{w['next_session']}</dt><dd>"
        shares = '</dd></div>\n      </dl>\n      <p class="muted small">'
        out: list[str] = []
        add = out.append
        for r in rows:
            add('\n    <li class="client-card">\n      <h3><a href="/therapist/clients/')
            add(escape(r.client_id))
            if r.display_name:
                add(f'"><span translate="no">{escape(r.display_name)}</span></a></h3>\n      ')
            else:
                add(f'">{w["nameless"]}</a></h3>\n      ')
            if r.not_settling or r.not_improving or r.both_legs:
                add('\n      <p class="marks">\n        ')
                if r.not_settling:
                    add(marks["not_settling"])
                elif r.not_improving:
                    add(marks["not_improving"])
                add("\n        ")
                if r.both_legs:
                    add(marks["both_legs"])
                add("\n      </p>\n      ")
                if r.follow_up:
                    reason = escape(self.first_reason(r.follow_up_reading))
                    add(f'<p class="small">{reason} {w["suggest"]}</p>')
                add("\n      ")
            add("\n      ")
            if r.precautions or r.avoid:
                add(safety)
                for precaution in r.precautions:
                    add(f"<li>{escape(precaution)}</li>")
                add("\n          ")
                if r.avoid:
                    add(f"<li>{avoid % {'names': escape(', '.join(map(str, r.avoid)))}}</li>")
                add("\n        </ul>\n      </div>\n      ")
            add(facts)
            add(pain(r.leg_pain, r.leg_arrow))
            add(back)
            add(pain(r.back_pain, r.back_arrow))
            add(level)
            add(triage(r.triage_level))
            add(session)
            add(escape(self.when(r.next_session_at) or w["not_booked"]))
            add(shares)
            since = escape(self.when(r.shared_at))
            add(said_shares % {"scopes": scopes(r.scopes), "since": since})
            add("</p>\n    </li>\n    ")
        return Markup("".join(out))


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
