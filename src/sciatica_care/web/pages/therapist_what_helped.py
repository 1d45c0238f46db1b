"""What helped, as the pages show it: per technique, the verdict in words and each figure.

The summary itself is the domain's (``domain/learning.py``); this only words it for a table:
a mean change as "-2.5 (4 sessions)", and no verdict below the minimum number of sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context

from sciatica_care.domain.learning import Figure, WhatHelped
from sciatica_care.domain.vocabulary import label
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translations
from sciatica_care.web.language import request_language
from sciatica_care.web.templating import templates

#: Each verdict in words, in English (shown translated).
VERDICT_WORDS: dict[str, str] = {
    "helped": N_("Helped"),
    "no_change": N_("No clear change"),
    "worse": N_("Made it worse"),
}


@dataclass(frozen=True, slots=True)
class TechniqueRow:
    """One technique's line: its name, sessions, verdict in words and the four figures."""

    technique: str
    name: str
    sessions: int
    verdict: str | None
    verdict_words: str
    leg_after: str
    back_after: str
    leg_next_day: str
    back_next_day: str
    sentence: str


def figure_words(figure: Figure, language: str = DEFAULT_LANGUAGE) -> str:
    """A mean change with the sessions behind it: "-2.5 (4 sessions)", or "no scores"."""
    words = translations(language)
    if figure.mean_change is None or figure.sessions == 0:
        return words.gettext("no scores")
    change = f"{figure.mean_change:+g}".replace("-", "\u2212")
    if figure.mean_change == 0:
        change = "0"
    return words.ngettext(
        "%(change)s (%(n)s session)", "%(change)s (%(n)s sessions)", figure.sessions
    ) % {"change": change, "n": figure.sessions}


def technique_rows(summary: WhatHelped, language: str = DEFAULT_LANGUAGE) -> list[TechniqueRow]:
    """The summary's techniques as table rows, in the summary's order (words in
    ``language``; the sentence for the client is the summary's own)."""
    _ = translations(language).gettext
    rows = []
    for t in summary.techniques:
        if t.verdict is None:
            short = summary.min_sessions - t.sessions
            words = (
                _("Not enough sessions yet (%(n)s of %(needed)s)")
                % {"n": t.sessions, "needed": summary.min_sessions}
                if short > 0
                else _("Not enough pain scores yet")
            )
        else:
            words = _(VERDICT_WORDS[t.verdict]) if t.verdict in VERDICT_WORDS else t.verdict
        name = t.name if language == DEFAULT_LANGUAGE else _(label("techniques", t.technique))
        rows.append(
            TechniqueRow(
                technique=t.technique,
                name=name,
                sessions=t.sessions,
                verdict=t.verdict,
                verdict_words=words,
                leg_after=figure_words(t.leg_after_session, language),
                back_after=figure_words(t.back_after_session, language),
                leg_next_day=figure_words(t.leg_next_day, language),
                back_next_day=figure_words(t.back_next_day, language),
                sentence=t.sentence,
            )
        )
    return rows


@pass_context
def technique_rows_filter(context: Any, summary: WhatHelped) -> list[TechniqueRow]:
    """``helped | technique_rows``: the rows in the language of the page."""
    return technique_rows(summary, request_language(context.get("request")))


templates.env.filters["technique_rows"] = technique_rows_filter
