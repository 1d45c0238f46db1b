"""Follow-up that keeps people safe between sessions (``clinical/outcomes.md`` v2): when the
check-in asks the safety questions again, how the answers join the latest assessment, and the
"not settling" and "not improving" read-outs. Pure: the caller passes the clock and the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from statistics import fmean
from typing import Literal, get_args

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.diary import (
    MIC_POINTS,
    ROLLING_DAYS,
    DayPoint,
    PainPoint,
    TrendReadout,
)
from sciatica_care.domain.diary import is_meaningful as _meaningful
from sciatica_care.domain.safety_questions import (
    CANCER_QUESTIONS,
    CANCER_SYMPTOMS,
    QUESTION_TEXT,
    RECHECK_FLAGS,
)
from sciatica_care.domain.time_bounds import usable
from sciatica_care.domain.time_zones import local_day
from sciatica_care.domain.vocabulary import RedFlag, Symptom, TechniqueId, label
from sciatica_care.i18n import N_

#: At least once a week (outcomes.md v2).
RECHECK_EVERY = timedelta(days=7)
#: ... and whenever leg pain is up this much from the 7-day mean.
RECHECK_RISE = MIC_POINTS

RecheckReason = Literal["weekly", "leg_pain_up"]
RECHECK_REASONS: tuple[RecheckReason, ...] = get_args(RecheckReason)
REASON_WORDS: dict[str, str] = {
    "weekly": N_("Once a week we ask the safety questions again, in case anything has changed."),
    "leg_pain_up": N_(
        "Your leg pain is up 2 points or more from your 7-day average, so we ask the safety "
        "questions again."
    ),
}


def has_cancer(assessment: Assessment | None) -> bool:
    """Cancer now (``active_cancer``) or in the past (``cancer_history``)."""
    return assessment is not None and (
        "active_cancer" in assessment.conditions or "cancer_history" in assessment.red_flags
    )


def recheck_questions(assessment: Assessment | None) -> list[tuple[str, str]]:
    """The questions to ask, as (id, question): the red flags, and for a person with cancer
    also new numbness and new weakness."""
    ids: list[str] = list(RECHECK_FLAGS)
    if has_cancer(assessment):
        ids += CANCER_QUESTIONS
    return [(i, QUESTION_TEXT[i]) for i in ids]


def mean_before(
    points: Iterable[PainPoint], at: datetime, *, zone: tzinfo = UTC, days: int = ROLLING_DAYS
) -> float | None:
    """The 7-day mean leg pain a check-in at ``at`` is compared with: the mean of the daily
    means over the ``days`` calendar days (in ``zone``) ending on that day, from the check-ins
    before ``at`` (it does not count itself). None without an earlier check-in in that window."""
    if not usable(at):
        return None
    today = local_day(at, zone)
    first = today - timedelta(days=days - 1)
    by_day: dict[date, list[int]] = {}
    for p in points:
        if not usable(p.at):
            continue
        day = local_day(p.at, zone)
        if p.at < at and first <= day <= today:
            by_day.setdefault(day, []).append(p.leg)
    if not by_day:
        return None
    return fmean(fmean(legs) for legs in by_day.values())


def recheck_due(
    *,
    now: datetime,
    last_check_at: datetime | None,
    leg_pain: int | None = None,
    leg_mean_7d: float | None = None,
) -> RecheckReason | None:
    """Why the check-in asks the safety questions again, or None when it need not.

    ``leg_pain_up`` when this leg pain is 2 points or more above the 7-day mean; else
    ``weekly`` when the questions were last answered (a check-in's re-check, or a whole
    assessment) a week or more ago, or never."""
    if leg_pain is not None and leg_mean_7d is not None and leg_pain - leg_mean_7d >= RECHECK_RISE:
        return "leg_pain_up"
    if last_check_at is None or now - last_check_at >= RECHECK_EVERY:
        return "weekly"
    return None


def yes_answers(answers: Mapping[str, bool]) -> list[str]:
    """The questions answered yes, in the order they are asked."""
    order = [*RECHECK_FLAGS, *CANCER_QUESTIONS]
    return [q for q in order if answers.get(q)]


def unanswered(answers: Mapping[str, bool], assessment: Assessment | None) -> list[str]:
    """The questions the person was asked and has not answered yes or no."""
    return [q for q, _ in recheck_questions(assessment) if q not in answers]


def with_answers(
    assessment: Assessment,
    answers: Mapping[str, bool],
    *,
    leg_pain: int,
    back_pain: int,
    weeks_since: float,
) -> Assessment:
    """The latest assessment with the new answers: each yes is added as its red flag (new
    numbness or weakness as the symptom), the pain is the check-in's, and the episode is
    ``weeks_since`` older. A no never removes anything the assessment said."""
    yes = yes_answers(answers)
    flags: list[RedFlag] = [*assessment.red_flags, *(q for q in yes if q in RECHECK_FLAGS)]
    symptoms: list[Symptom] = [
        *assessment.symptoms,
        *(CANCER_SYMPTOMS[q] for q in yes if q in CANCER_SYMPTOMS),
    ]
    data = assessment.model_dump()
    data.update(
        red_flags=list(dict.fromkeys(flags)),
        symptoms=list(dict.fromkeys(symptoms)),
        leg_pain=leg_pain,
        back_pain=back_pain,
        duration_weeks=round(assessment.duration_weeks + max(0.0, weeks_since), 1),
    )
    return Assessment.model_validate(data)


def answers_only(answers: Mapping[str, bool], *, leg_pain: int, back_pain: int) -> Assessment:
    """For someone with no stored assessment: the answers alone, on a neutral background (an
    adult, one leg, already examined; no other flag), so that only what they said now decides
    the level. Used to show triage; never stored as an assessment."""
    yes = yes_answers(answers)
    return Assessment(
        age=30,
        back_pain=back_pain,
        leg_pain=leg_pain,
        side="left",
        duration_weeks=0,
        first_episode=False,
        seen_clinician=True,
        red_flags=[q for q in yes if q in RECHECK_FLAGS],
        symptoms=[CANCER_SYMPTOMS[q] for q in yes if q in CANCER_SYMPTOMS],
    )


# --- Not settling, not improving -------------------------------------------------------------

NOT_SETTLING = N_("This is not settling: see your GP or physiotherapist.")
NOT_IMPROVING = N_(
    "It is not improving as hoped: see your GP or physiotherapist about what to try next."
)
#: Each reason as a message (English, marked for translation) and its values: the pages say
#: it in the reader's language (``web/pages/tracking_words.py``); ``FollowUp.reasons`` is the
#: English. ``measure`` is "leg" or "back", ``technique`` a technique id.
ABOVE_START = N_(
    "Your %(measure)s (7-day average %(current)s) is %(change)s points above where you "
    "started (%(baseline)s)."
)
WORSE_TWO_WEEKS = N_(
    "Your %(measure)s has got worse over the last two weeks (7-day average %(before)s then, "
    "%(now)s now)."
)
NOT_IMPROVED_WEEKS = N_(
    "Your pain has not improved by the 2 points that matter in %(weeks)s weeks."
)
TECHNIQUE_NO_DIFFERENCE = N_(
    "%(technique)s has not made a meaningful difference after %(sessions)s sessions."
)
#: One reason: its message and the values it names.
Reason = tuple[str, dict[str, str]]
#: No meaningful improvement after this many sessions of one technique (techniques.md: review
#: after 4-6 sessions), or after this long in all (NHS: most sciatica settles in 4-6 weeks).
SESSIONS_TO_REVIEW = 4
WEEKS_TO_REVIEW = 6
TWO_WEEKS = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class FollowUp:
    """The follow-up read-out: whether it is not settling or not improving, in words."""

    not_settling: bool = False
    not_improving: bool = False
    reasons: tuple[str, ...] = ()
    advice: str = ""
    #: The reasons as messages and values, to say them in another language.
    details: tuple[Reason, ...] = ()

    @property
    def flagged(self) -> bool:
        """Anything to show: not settling or not improving."""
        return self.not_settling or self.not_improving


def _name(measure: str) -> str:
    return "leg pain" if measure == "leg" else "back pain"


def reason_words(reason: Reason) -> str:
    """A reason in English (the measure and the technique named in words)."""
    message, values = reason
    named = dict(values)
    if "measure" in named:
        named["measure"] = _name(named["measure"])
    if "technique" in named:
        named["technique"] = label("techniques", named["technique"])
    return message % named


def settling_reasons(trend: TrendReadout) -> list[str]:
    """Why it is not settling: a 7-day mean 2 points or more above the baseline, or a
    meaningful rise of the 7-day mean over the last two weeks. Empty when neither."""
    return [reason_words(r) for r in settling_details(trend)]


def settling_days(days: Sequence[DayPoint]) -> list[DayPoint]:
    """The two days the "worse over the last two weeks" reason compares: the last day before
    or on two weeks before the last day, and the last day (fewer when there are none such)."""
    if not days:
        return []
    last = days[-1]
    earlier = [d for d in days if d.day <= last.day - TWO_WEEKS]
    return [earlier[-1], last] if earlier else [last]


def settling_details(trend: TrendReadout) -> list[Reason]:
    """:func:`settling_reasons` as messages and values."""
    reasons: list[Reason] = []
    for change in (trend.leg, trend.back):
        if change.change is not None and change.change >= MIC_POINTS:
            reasons.append(
                (
                    ABOVE_START,
                    {
                        "measure": change.measure,
                        "current": f"{change.current:g}",
                        "change": f"{change.change:g}",
                        "baseline": f"{change.baseline:g}",
                    },
                )
            )
    compared = settling_days(trend.days)
    if reasons or len(compared) < 2:
        return reasons
    then, last = compared
    for measure, before, now in (
        ("leg", then.leg_7d, last.leg_7d),
        ("back", then.back_7d, last.back_7d),
    ):
        rise = round(now - before, 1)
        if rise > 0 and _meaningful(before, rise):
            reasons.append(
                (WORSE_TWO_WEEKS, {"measure": measure, "before": f"{before:g}", "now": f"{now:g}"})
            )
    return reasons


def follow_up(
    trend: TrendReadout,
    *,
    today: date,
    started_on: date | None,
    technique_sessions: Sequence[tuple[TechniqueId, int, str | None]] = (),
) -> FollowUp:
    """The read-out. ``started_on``: when the person started (first assessment or first
    check-in); ``technique_sessions``: (technique, sessions, verdict) from what helped.

    Not settling: see :func:`settling_reasons`. Not improving: 6 weeks or more since the start
    without a meaningful fall in leg or back pain, or 4 or more sessions of one technique whose
    verdict is no change or worse."""
    settling = settling_details(trend)
    improving: list[Reason] = []
    if started_on is not None and today - started_on >= timedelta(weeks=WEEKS_TO_REVIEW):
        measured = [c for c in (trend.leg, trend.back) if c.direction != "unknown"]
        if measured and not any(c.direction == "improving" for c in measured):
            weeks = (today - started_on).days // 7
            improving.append((NOT_IMPROVED_WEEKS, {"weeks": str(weeks)}))
    for technique, sessions, verdict in technique_sessions:
        if sessions >= SESSIONS_TO_REVIEW and verdict in ("no_change", "worse"):
            improving.append(
                (TECHNIQUE_NO_DIFFERENCE, {"technique": technique, "sessions": str(sessions)})
            )
    if settling:
        advice = NOT_SETTLING
    elif improving:
        advice = NOT_IMPROVING
    else:
        advice = ""
    return FollowUp(
        not_settling=bool(settling),
        not_improving=bool(improving),
        reasons=tuple(reason_words(r) for r in settling + improving),
        advice=advice,
        details=tuple(settling + improving),
    )
