"""What helped, as the pages show it: per technique, the verdict in words and each figure.

The summary itself is the domain's (``domain/learning.py``); this only words it for a table:
a mean change as "-2.5 (4 sessions)", and no verdict below the minimum number of sessions.
In English the sentence for the client and the note are the domain's own; in another language
they are said again from the summary's figures (``sentence_words``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context

from sciatica_care.domain.learning import (
    VERDICT_RULE,
    Figure,
    TechniqueSummary,
    WhatHelped,
)
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


#: The summary's note (the domain's ``SEVERAL_TECHNIQUES_NOTE``, word for word), to translate.
NOTE = N_(
    "A session that used several techniques counts for each of them, so these figures cannot "
    "tell those techniques apart."
)


def _points(value: float, language: str) -> str:
    number = f"{abs(value):g}"
    ngettext = translations(language).ngettext
    return ngettext("%(n)s point", "%(n)s points", 1 if number == "1" else 2) % {"n": number}


def _pain(measure: str | None, language: str) -> str:
    _ = translations(language).gettext
    return _("leg pain") if measure == "leg" else _("back pain")


def sentence_words(t: TechniqueSummary, language: str) -> str:
    """What one technique did, as a sentence to the client in ``language`` (English: the
    domain's own sentence)."""
    if language == DEFAULT_LANGUAGE:
        return t.sentence
    words = translations(language)
    _, ngettext = words.gettext, words.ngettext
    name = _(label("techniques", t.technique))
    harm = t.harm
    if harm is not None and t.verdict == "worse" and t.basis is None:
        times = _("once") if harm.occurrences == 1 else _("%(n)s times") % {"n": harm.occurrences}
        if harm.span == "soreness" or harm.rise is None:
            message = _(
                "%(name)s: you were still sore more than 48 hours after a session (%(times)s). "
                "Stop this technique and tell your therapist."
            )
        elif harm.span == "after_session":
            message = _(
                "%(name)s: your %(pain)s was up %(points)s straight after a session (%(times)s). "
                "Stop this technique and tell your therapist."
            )
        else:
            message = _(
                "%(name)s: your %(pain)s was up %(points)s by the next day (%(times)s). "
                "Stop this technique and tell your therapist."
            )
        rise = _points(harm.rise or 0.0, language)
        return message % {
            "name": name,
            "times": times,
            "pain": _pain(harm.measure, language),
            "points": rise,
        }
    basis = t.basis
    if t.verdict is None or basis is None or basis.mean_change is None:
        short = VERDICT_RULE.min_sessions - t.sessions
        values = {"name": name, "n": t.sessions, "short": short}
        if short > 0:
            return (
                ngettext(
                    "%(name)s: over %(n)s session so far; %(short)s more needed before we can say "
                    "whether it helps.",
                    "%(name)s: over %(n)s sessions so far; %(short)s more needed before we can say "
                    "whether it helps.",
                    t.sessions,
                )
                % values
            )
        return (
            ngettext(
                "%(name)s: over %(n)s session, but too few pain scores after sessions to say "
                "whether it helps.",
                "%(name)s: over %(n)s sessions, but too few pain scores after sessions to say "
                "whether it helps.",
                t.sessions,
            )
            % values
        )
    values = {
        "name": name,
        "pain": _pain(basis.measure, language),
        "points": _points(basis.mean_change, language),
        "n": basis.sessions,
        "threshold": _points(VERDICT_RULE.points, language),
    }
    after = basis.span == "after_session"
    if t.verdict == "helped":
        message = (
            _("%(name)s lowered your %(pain)s by %(points)s on average over %(n)s sessions.")
            if after
            else _(
                "%(name)s lowered your %(pain)s by the next day by %(points)s on average over "
                "%(n)s sessions."
            )
        )
    elif t.verdict == "worse":
        message = (
            _("%(name)s raised your %(pain)s by %(points)s on average over %(n)s sessions.")
            if after
            else _(
                "%(name)s raised your %(pain)s by the next day by %(points)s on average over "
                "%(n)s sessions."
            )
        )
    else:
        if not basis.mean_change:
            values["moved"] = _("no change")
        elif basis.mean_change < 0:
            values["moved"] = _("down %(points)s") % values
        else:
            values["moved"] = _("up %(points)s") % values
        message = (
            _(
                "%(name)s made little difference to your %(pain)s over %(n)s sessions "
                "(%(moved)s on average; %(threshold)s is the change that matters)."
            )
            if after
            else _(
                "%(name)s made little difference to your %(pain)s by the next day over %(n)s "
                "sessions (%(moved)s on average; %(threshold)s is the change that matters)."
            )
        )
    return message % values


def technique_rows(summary: WhatHelped, language: str = DEFAULT_LANGUAGE) -> list[TechniqueRow]:
    """The summary's techniques as table rows, in the summary's order (words in
    ``language``)."""
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
                sentence=sentence_words(t, language),
            )
        )
    return rows


@pass_context
def technique_rows_filter(context: Any, summary: WhatHelped) -> list[TechniqueRow]:
    """``helped | technique_rows``: the rows in the language of the page."""
    return technique_rows(summary, request_language(context.get("request")))


templates.env.filters["technique_rows"] = technique_rows_filter
