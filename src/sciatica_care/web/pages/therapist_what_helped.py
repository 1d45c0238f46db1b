"""What helped, as the pages show it: per technique, the verdict in words and each figure.

The summary itself is the domain's (``domain/learning.py``); this only words it for a table:
a mean change as "-2.5 (4 sessions)", and no verdict below the minimum number of sessions.
"""

from __future__ import annotations

from dataclasses import dataclass

from sciatica_care.domain.learning import Figure, WhatHelped
from sciatica_care.web.templating import templates

VERDICT_WORDS: dict[str, str] = {
    "helped": "Helped",
    "no_change": "No clear change",
    "worse": "Made it worse",
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


def figure_words(figure: Figure) -> str:
    """A mean change with the sessions behind it: "-2.5 (4 sessions)", or "no scores"."""
    if figure.mean_change is None or figure.sessions == 0:
        return "no scores"
    change = f"{figure.mean_change:+g}".replace("-", "\u2212")
    if figure.mean_change == 0:
        change = "0"
    plural = "" if figure.sessions == 1 else "s"
    return f"{change} ({figure.sessions} session{plural})"


def technique_rows(summary: WhatHelped) -> list[TechniqueRow]:
    """The summary's techniques as table rows, in the summary's order."""
    rows = []
    for t in summary.techniques:
        if t.verdict is None:
            short = summary.min_sessions - t.sessions
            words = (
                f"Not enough sessions yet ({t.sessions} of {summary.min_sessions})"
                if short > 0
                else "Not enough pain scores yet"
            )
        else:
            words = VERDICT_WORDS.get(t.verdict, t.verdict)
        rows.append(
            TechniqueRow(
                technique=t.technique,
                name=t.name,
                sessions=t.sessions,
                verdict=t.verdict,
                verdict_words=words,
                leg_after=figure_words(t.leg_after_session),
                back_after=figure_words(t.back_after_session),
                leg_next_day=figure_words(t.leg_next_day),
                back_next_day=figure_words(t.back_next_day),
                sentence=t.sentence,
            )
        )
    return rows


templates.env.filters["technique_rows"] = technique_rows
