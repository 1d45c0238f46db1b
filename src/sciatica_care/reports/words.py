"""The doctor's report's sentences about change, in the report's language.

The domain writes these read-outs in English (``summary``, ``verdict``, ``sentence``) and the
English report shows them as written. In another language they are said again from the same
figures, each a whole sentence in the catalog (no glued fragments: Korean word order differs).
"""

from __future__ import annotations

from sciatica_care.domain.diary import Change
from sciatica_care.domain.learning import SEVERAL_TECHNIQUES_NOTE, TechniqueSummary, WhatHelped
from sciatica_care.domain.outcomes import (
    PSFS_MAX,
    PSFS_MEANINGFUL_CHANGE,
    SBI_MAX,
    PsfsChange,
    SbiChange,
)
from sciatica_care.i18n import DEFAULT_LANGUAGE, N_, translations, translator

#: "Compared with when you started, your sciatica is…" (outcomes.py GLOBAL_RATINGS).
GLOBAL_RATING_WORDS: dict[int, str] = {
    -3: N_("much worse"),
    -2: N_("worse"),
    -1: N_("a little worse"),
    0: N_("about the same"),
    1: N_("a little better"),
    2: N_("better"),
    3: N_("much better"),
}


def _number(value: float) -> str:
    return f"{abs(value):g}"


def points(value: float, language: str) -> str:
    """ "1 point", "2.5 points" in ``language``."""
    number = _number(round(value, 1))
    return translations(language).ngettext(
        "%(n)s point", "%(n)s points", 1 if number == "1" else 2
    ) % {"n": number}


def sbi_words(change: SbiChange, language: str) -> str:
    """The SBI change (outcomes.sbi_change) in ``language``."""
    if language == DEFAULT_LANGUAGE:
        return change.summary
    _ = translator(language)
    if change.latest is None or change.first is None:
        return _("no weekly bothersomeness score yet")
    values = {"latest": change.latest, "max": SBI_MAX, "first": change.first}
    if change.change is None:
        return _("first score: %(first)s of %(max)s") % values
    values["n"] = abs(change.change)
    if change.change < 0:
        return _("%(latest)s of %(max)s, down %(n)s since your first week (%(first)s)") % values
    if change.change > 0:
        return _("%(latest)s of %(max)s, up %(n)s since your first week (%(first)s)") % values
    return _("%(latest)s of %(max)s, the same as your first week") % values


def psfs_words(change: PsfsChange, language: str) -> str:
    """The PSFS change (outcomes.psfs_change) in ``language``."""
    if language == DEFAULT_LANGUAGE:
        return change.summary
    _ = translator(language)
    if change.latest is None or change.first is None:
        return _("no activity score yet")
    values = {
        "latest": f"{change.latest:.1f}",
        "max": PSFS_MAX,
        "first": f"{change.first:.1f}",
        "n": f"{abs(change.change or 0):.1f}",
        "mic": PSFS_MEANINGFUL_CHANGE,
    }
    if change.change is None:
        return _("first score: %(latest)s of %(max)s") % values
    if change.change == 0:
        return _("%(latest)s of %(max)s, the same as when you started") % values
    if not change.meaningful:
        if change.change > 0:
            return (
                _(
                    "%(latest)s of %(max)s, up %(n)s since you started (%(first)s): less than "
                    "the %(mic)s-point change that matters"
                )
                % values
            )
        return (
            _(
                "%(latest)s of %(max)s, down %(n)s since you started (%(first)s): less than "
                "the %(mic)s-point change that matters"
            )
            % values
        )
    if change.change > 0:
        return (
            _(
                "%(latest)s of %(max)s, up %(n)s since you started (%(first)s): improving by "
                "at least the %(mic)s-point change that matters"
            )
            % values
        )
    return (
        _(
            "%(latest)s of %(max)s, down %(n)s since you started (%(first)s): worse by at "
            "least the %(mic)s-point change that matters"
        )
        % values
    )


def trend_words(change: Change, language: str) -> str:
    """A pain trend's verdict (diary.describe_change) in ``language``."""
    if language == DEFAULT_LANGUAGE:
        return change.verdict
    _ = translator(language)
    name = _("leg pain") if change.measure == "leg" else _("back pain")
    if change.change is None or change.baseline is None:
        return _("not enough check-ins yet to say how your %(name)s is changing") % {"name": name}
    values = {"name": name, "points": points(change.change, language)}
    if change.change == 0:
        return _("about the same: no change in your %(name)s since you started") % values
    if not change.meaningful:
        if change.change < 0:
            return (
                _(
                    "about the same: %(name)s down %(points)s since you started, less than "
                    "the 2-point change that matters"
                )
                % values
            )
        return (
            _(
                "about the same: %(name)s up %(points)s since you started, less than the "
                "2-point change that matters"
            )
            % values
        )
    if change.change < 0:
        return (
            _("improving: %(name)s down %(points)s since you started, a change that matters")
            % values
        )
    return _("worse: %(name)s up %(points)s since you started, a change that matters") % values


def helped_words(summary: TechniqueSummary, language: str) -> str:
    """What one technique did (learning.what_helped's ``sentence``) in ``language``."""
    if language == DEFAULT_LANGUAGE:
        return summary.sentence
    _ = translator(language)
    from sciatica_care.domain.learning import VERDICT_RULE

    basis, harm = summary.basis, summary.harm
    if summary.verdict == "worse" and harm is not None and basis is None:
        times = harm.occurrences
        if harm.span == "soreness" or harm.rise is None:
            return _(
                "Still sore more than 48 hours after a session (%(times)s times). Stop this "
                "technique and tell your therapist."
            ) % {"times": times}
        name = _("leg pain") if harm.measure == "leg" else _("back pain")
        values = {"name": name, "points": points(harm.rise, language), "times": times}
        if harm.span == "after_session":
            return (
                _(
                    "%(name)s up %(points)s straight after a session (%(times)s times). Stop "
                    "this technique and tell your therapist."
                )
                % values
            )
        return (
            _(
                "%(name)s up %(points)s by the next day (%(times)s times). Stop this technique "
                "and tell your therapist."
            )
            % values
        )
    if summary.verdict is None or basis is None or basis.mean_change is None:
        short = VERDICT_RULE.min_sessions - summary.sessions
        if short > 0:
            return _(
                "%(sessions)s sessions so far; %(short)s more needed before we can say whether "
                "it helps."
            ) % {"sessions": summary.sessions, "short": short}
        return _(
            "%(sessions)s sessions, but too few pain scores after sessions to say whether it helps."
        ) % {"sessions": summary.sessions}
    values = {
        "name": _("leg pain") if basis.measure == "leg" else _("back pain"),
        "points": points(basis.mean_change, language),
        "sessions": basis.sessions,
        "mic": points(VERDICT_RULE.points, language),
    }
    next_day = basis.span != "after_session"
    if summary.verdict == "helped":
        if next_day:
            return (
                _(
                    "Lowered the %(name)s by the next day by %(points)s on average over "
                    "%(sessions)s sessions."
                )
                % values
            )
        return (
            _("Lowered the %(name)s by %(points)s on average over %(sessions)s sessions.") % values
        )
    if summary.verdict == "worse":
        if next_day:
            return (
                _(
                    "Raised the %(name)s by the next day by %(points)s on average over "
                    "%(sessions)s sessions."
                )
                % values
            )
        return (
            _("Raised the %(name)s by %(points)s on average over %(sessions)s sessions.") % values
        )
    return (
        _(
            "Made little difference to the %(name)s over %(sessions)s sessions (%(points)s on "
            "average; %(mic)s is the change that matters)."
        )
        % values
    )


def helped_note(summary: WhatHelped, language: str) -> str:
    """The note under "What helped" in ``language``."""
    _ = translator(language)
    if summary.note == SEVERAL_TECHNIQUES_NOTE:
        return _(
            "A session that used several techniques counts for each of them, so these figures "
            "cannot tell those techniques apart."
        )
    return summary.note
