"""What helped: per technique, how this client's pain changed around their massage sessions.

For each technique the client has had: the number of sessions, the mean change in leg and back
pain from before to after the session, and from before the session to the next-day diary (the
mean of the diary entries on the following calendar day), each with the number of sessions
behind it. A session that used several techniques counts for each of them, so those figures
cannot tell its techniques apart; the summary says so.

A benefit verdict (helped / no change) needs at least 3 sessions behind a figure and uses the
2-point minimal important change of the Numeric Pain Rating Scale (Farrar 2001; Childs 2005;
``clinical/outcomes.md``). Harm is a safety signal and needs no minimum (outcomes.md v2): one
session after which pain was up 2 points or more (straight after, or by the next day), or a
check-in reporting soreness for more than 48 hours after it, makes the technique ``worse``
from that first occurrence. The verdicts become :class:`LearnedResponse` signals for
:func:`sciatica_care.domain.plan.evaluate`, which weighs them but never re-admits a technique
excluded for safety.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from statistics import fmean
from typing import Literal

from pydantic import BaseModel, ConfigDict

from sciatica_care.domain.recommendation import LearnedResponse
from sciatica_care.domain.time_bounds import usable
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.vocabulary import TECHNIQUES, Response, TechniqueId, label

Measure = Literal["leg", "back"]
Span = Literal["after_session", "next_day"]


@dataclass(frozen=True, slots=True)
class VerdictRule:
    """When a mean change becomes a verdict, and where that threshold comes from."""

    points: float
    min_sessions: int
    sources: tuple[str, ...]


#: A mean fall of 2 points or more is "helped", a mean rise of 2 or more is "worse", anything
#: between is "no change": the 2-point minimal important change of the NPRS (Farrar 2001;
#: Childs 2005). The 30% relative criterion of the same sources is meant for one person's
#: change from their own baseline, not for a mean of session changes, so it is not used here.
#: No verdict from fewer than 3 sessions.
VERDICT_RULE = VerdictRule(points=2.0, min_sessions=3, sources=("Farrar 2001", "Childs 2005"))

SEVERAL_TECHNIQUES_NOTE = (
    "A session that used several techniques counts for each of them, so these figures cannot "
    "tell those techniques apart."
)


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """One massage session as recorded in its note (the services map note rows to this)."""

    session_at: datetime
    techniques: Sequence[TechniqueId]
    leg_before: int
    back_before: int
    leg_after: int | None = None
    back_after: int | None = None
    soreness_over_48h: bool = False


@dataclass(frozen=True, slots=True)
class DiaryPain:
    """One diary entry's pain scores."""

    recorded_at: datetime
    leg: int
    back: int
    soreness_over_48h: bool = False


class Figure(BaseModel):
    """A mean change in pain (negative: pain fell) and the number of sessions behind it."""

    model_config = ConfigDict(frozen=True)

    measure: Measure
    span: Span
    mean_change: float | None
    sessions: int


class Harm(BaseModel):
    """The worst single session of a technique that made things worse (a safety signal)."""

    model_config = ConfigDict(frozen=True)

    session_at: datetime
    measure: Measure | None
    span: Span | Literal["soreness"]
    rise: float | None
    occurrences: int


class TechniqueSummary(BaseModel):
    """What one technique did for this client, ready to show."""

    model_config = ConfigDict(frozen=True)

    technique: TechniqueId
    name: str
    sessions: int
    leg_after_session: Figure
    back_after_session: Figure
    leg_next_day: Figure
    back_next_day: Figure
    verdict: Response | None
    basis: Figure | None
    sentence: str
    harm: Harm | None = None


class WhatHelped(BaseModel):
    """The "what helped" summary for one client: one entry per technique they have had."""

    model_config = ConfigDict(frozen=True)

    techniques: list[TechniqueSummary]
    shared_sessions: int
    note: str
    threshold_points: float = VERDICT_RULE.points
    min_sessions: int = VERDICT_RULE.min_sessions
    sources: tuple[str, ...] = VERDICT_RULE.sources


def _local_day(at: datetime, zone: tzinfo) -> date:
    return local_day(at, zone)


def _next_day_means(diary: Iterable[DiaryPain], zone: tzinfo) -> dict[date, tuple[float, float]]:
    by_day: dict[date, list[DiaryPain]] = defaultdict(list)
    for entry in diary:
        by_day[_local_day(entry.recorded_at, zone)].append(entry)
    return {
        day: (fmean(e.leg for e in entries), fmean(e.back for e in entries))
        for day, entries in by_day.items()
    }


def _figure(measure: Measure, span: Span, changes: list[float]) -> Figure:
    mean = round(fmean(changes) + 0.0, 1) if changes else None
    return Figure(measure=measure, span=span, mean_change=mean, sessions=len(changes))


def _verdict_of(figure: Figure) -> Response | None:
    if figure.mean_change is None or figure.sessions < VERDICT_RULE.min_sessions:
        return None
    if figure.mean_change <= -VERDICT_RULE.points:
        return "helped"
    if figure.mean_change >= VERDICT_RULE.points:
        return "worse"
    return "no_change"


def _decide(figures: Sequence[Figure]) -> tuple[Response | None, Figure | None]:
    """Worse on any figure wins (safety first), then helped on any, then no change.

    Among figures with the same verdict, the one with the most sessions (then the largest
    change, then leg before back and after-session before next-day) is quoted.
    """
    judged = [(f, v) for f in figures if (v := _verdict_of(f)) is not None]
    for verdict in ("worse", "helped", "no_change"):
        same = [f for f, v in judged if v == verdict]
        if same:
            best = max(same, key=lambda f: (f.sessions, abs(f.mean_change or 0.0)))
            return verdict, best
    return None, None


def _points(value: float) -> str:
    number = f"{abs(value):g}"
    return "1 point" if number == "1" else f"{number} points"


def _sentence(name: str, sessions: int, verdict: Response | None, basis: Figure | None) -> str:
    over = f"over {sessions} session{'s' if sessions != 1 else ''}"
    if verdict is None or basis is None or basis.mean_change is None:
        short = VERDICT_RULE.min_sessions - sessions
        if short > 0:
            return f"{name}: {over} so far; {short} more needed before we can say whether it helps."
        return f"{name}: {over}, but too few pain scores after sessions to say whether it helps."
    pain = "leg pain" if basis.measure == "leg" else "back pain"
    when = "" if basis.span == "after_session" else " by the next day"
    over = f"over {basis.sessions} sessions"
    if verdict == "helped":
        return (
            f"{name} lowered your {pain}{when} by {_points(basis.mean_change)} on average {over}."
        )
    if verdict == "worse":
        return f"{name} raised your {pain}{when} by {_points(basis.mean_change)} on average {over}."
    direction = "down" if basis.mean_change < 0 else "up"
    moved = "no change" if not basis.mean_change else f"{direction} {_points(basis.mean_change)}"
    return (
        f"{name} made little difference to your {pain}{when} {over} ({moved} on average; "
        f"{_points(VERDICT_RULE.points)} is the change that matters)."
    )


#: A check-in reporting soreness over 48 hours counts against the last session this recent.
SORENESS_LOOKBACK = timedelta(days=7)
STOP_AND_TELL = "Stop this technique and tell your therapist."


def _harm_sentence(name: str, harm: Harm) -> str:
    times = "once" if harm.occurrences == 1 else f"{harm.occurrences} times"
    if harm.span == "soreness" or harm.rise is None:
        said = f"{name}: you were still sore more than 48 hours after a session"
    else:
        pain = "leg pain" if harm.measure == "leg" else "back pain"
        when = "straight after a session" if harm.span == "after_session" else "by the next day"
        said = f"{name}: your {pain} was up {_points(harm.rise)} {when}"
    return f"{said} ({times}). {STOP_AND_TELL}"


def _harms(
    session: SessionOutcome, next_day: list[DiaryPain], sore: bool
) -> list[tuple[Measure | None, Span | Literal["soreness"], float | None]]:
    """Every way this one session made things worse: pain up 2 points or more straight after
    or in any check-in the next day, or soreness over 48 hours."""
    out: list[tuple[Measure | None, Span | Literal["soreness"], float | None]] = []
    limit = VERDICT_RULE.points
    for measure, before, after in (
        ("leg", session.leg_before, session.leg_after),
        ("back", session.back_before, session.back_after),
    ):
        if after is not None and after - before >= limit:
            out.append((measure, "after_session", float(after - before)))  # type: ignore[arg-type]
        worst = max((e.leg if measure == "leg" else e.back for e in next_day), default=None)
        if worst is not None and worst - before >= limit:
            out.append((measure, "next_day", float(worst - before)))  # type: ignore[arg-type]
    if sore or session.soreness_over_48h:
        out.append((None, "soreness", None))
    return out


def what_helped(
    sessions: Iterable[SessionOutcome], diary: Iterable[DiaryPain], *, zone: tzinfo = UTC
) -> WhatHelped:
    """Summarise each technique's sessions; ``zone`` decides what "the next day" is."""
    diary = [entry for entry in diary if usable(entry.recorded_at)]
    sessions = sorted((s for s in sessions if usable(s.session_at)), key=lambda s: s.session_at)
    next_day = _next_day_means(diary, zone)
    entries_by_day: dict[date, list[DiaryPain]] = defaultdict(list)
    for entry in diary:
        entries_by_day[_local_day(entry.recorded_at, zone)].append(entry)
    sore_after: set[int] = set()
    for entry in (e for e in diary if e.soreness_over_48h):
        before = [
            i
            for i, s in enumerate(sessions)
            if s.session_at < entry.recorded_at <= s.session_at + SORENESS_LOOKBACK
        ]
        if before:
            sore_after.add(before[-1])
    changes: dict[TechniqueId, dict[tuple[Measure, Span], list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    counts: dict[TechniqueId, int] = defaultdict(int)
    harms: dict[TechniqueId, list[Harm]] = defaultdict(list)
    shared = 0
    for index, session in enumerate(sessions):
        techniques = list(dict.fromkeys(session.techniques))
        shared += len(techniques) > 1
        day_after = _local_day(session.session_at, zone) + timedelta(days=1)
        following = next_day.get(day_after)
        found = _harms(session, entries_by_day.get(day_after, []), index in sore_after)
        for technique in techniques:
            counts[technique] += 1
            row = changes[technique]
            if session.leg_after is not None:
                row["leg", "after_session"].append(session.leg_after - session.leg_before)
            if session.back_after is not None:
                row["back", "after_session"].append(session.back_after - session.back_before)
            if following is not None:
                row["leg", "next_day"].append(following[0] - session.leg_before)
                row["back", "next_day"].append(following[1] - session.back_before)
            if found:
                measure, span, rise = max(found, key=lambda h: h[2] or 0.0)
                harms[technique].append(
                    Harm(
                        session_at=session.session_at,
                        measure=measure,
                        span=span,
                        rise=rise,
                        occurrences=1,
                    )
                )
    summaries = []
    for technique in (t for t in TECHNIQUES if counts[t]):
        row = changes[technique]
        figures = [
            _figure(measure, span, row[measure, span])
            for span in ("after_session", "next_day")
            for measure in ("leg", "back")
        ]
        verdict, basis = _decide(figures)
        name = label("techniques", technique)
        sentence = _sentence(name, counts[technique], verdict, basis)
        harm = None
        if harms[technique]:
            worst = max(harms[technique], key=lambda h: (h.rise or 0.0, h.session_at))
            harm = worst.model_copy(update={"occurrences": len(harms[technique])})
            if verdict != "worse":
                # A safety signal needs no minimum of sessions (outcomes.md v2).
                verdict, basis, sentence = "worse", None, _harm_sentence(name, harm)
        summaries.append(
            TechniqueSummary(
                technique=technique,
                name=name,
                sessions=counts[technique],
                leg_after_session=figures[0],
                back_after_session=figures[1],
                leg_next_day=figures[2],
                back_next_day=figures[3],
                verdict=verdict,
                basis=basis,
                sentence=sentence,
                harm=harm,
            )
        )
    return WhatHelped(
        techniques=summaries,
        shared_sessions=shared,
        note=SEVERAL_TECHNIQUES_NOTE if shared else "",
    )


def learned_responses(summary: WhatHelped) -> dict[TechniqueId, LearnedResponse]:
    """The techniques with a verdict, as ``learned=`` for :func:`plan.evaluate`."""
    return {
        s.technique: LearnedResponse(response=s.verdict, reason=s.sentence)
        for s in summary.techniques
        if s.verdict is not None
    }
