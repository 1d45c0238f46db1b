"""Outcome measures (``clinical/outcomes.md``).

- The Sciatica Bothersomeness Index (SBI), weekly: four items 0-6, total 0-24. It has no
  established minimal important change, so the read-out reports the change itself and claims
  nothing about whether it matters (Patrick 1995, Grøvle 2010, Haugen 2011).
- The Patient-Specific Functional Scale (PSFS): the person names up to five activities they find
  hard and rates each 0 (unable) to 10 (as before the problem); the score is the mean, and a
  change of about 2 points in the mean matters (Stratford 1995, the detectable change).
- The global rating of change: "compared with when you started, your sciatica is…", seven points
  from much worse (-3) to much better (+3); "better" or "much better" counts as improved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sciatica_care.domain.time_bounds import PastDay
from sciatica_care.i18n import N_

SBI_ITEMS: dict[str, str] = {
    "leg_pain": N_("Leg pain"),
    "numbness_tingling": N_("Numbness or tingling in the leg, foot or groin"),
    "weakness": N_("Weakness in the leg or foot"),
    "sitting_pain": N_("Back or leg pain while sitting"),
}
SBI_MAX = 24
ItemScore = Annotated[int, Field(ge=0, le=6, description="0 not at all - 6 extremely")]


class SbiInput(BaseModel):
    """How bothersome each symptom was in the last week, 0 (not at all) to 6 (extremely)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    week_of: PastDay | None = Field(
        default=None, description="any day of the week (from 1900 to today); default today"
    )
    leg_pain: ItemScore
    numbness_tingling: ItemScore
    weakness: ItemScore
    sitting_pain: ItemScore

    def items(self) -> list[int]:
        """The four item scores in the instrument's order."""
        return [getattr(self, name) for name in SBI_ITEMS]


def sbi_total(items: Sequence[int]) -> int:
    """The SBI total, 0-24: the sum of the four items."""
    if len(items) != len(SBI_ITEMS) or any(not 0 <= i <= 6 for i in items):
        raise ValueError("the SBI has four items, each 0-6")
    return sum(items)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (one SBI a week; a second one replaces the first)."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class SbiChange:
    """The change in the SBI total from the first week to the latest, in words."""

    first: int | None
    latest: int | None
    change: int | None
    summary: str


def sbi_change(totals_oldest_first: Sequence[int]) -> SbiChange:
    """Report the change itself; the SBI has no established threshold for a change that matters."""
    if not totals_oldest_first:
        return SbiChange(None, None, None, "no weekly bothersomeness score yet")
    first, latest = totals_oldest_first[0], totals_oldest_first[-1]
    if len(totals_oldest_first) == 1:
        return SbiChange(first, latest, None, f"first score: {first} of {SBI_MAX}")
    change = latest - first
    moved = "down" if change < 0 else "up"
    words = (
        f"{latest} of {SBI_MAX}, {moved} {abs(change)} since your first week ({first})"
        if change
        else f"{latest} of {SBI_MAX}, the same as your first week"
    )
    return SbiChange(first, latest, change, words)


# --- Patient-Specific Functional Scale -------------------------------------------------------

PSFS_MAX_ACTIVITIES = 5
PSFS_MAX = 10
#: About 2 points in the mean is a change that matters: Stratford P, et al. Assessing
#: disability and change on individual patients: a report of a patient specific measure.
#: Physiotherapy Canada 1995;47:258-263 (reported as the detectable change).
PSFS_MEANINGFUL_CHANGE = 2
PSFS_SOURCE = (
    "Stratford P, et al. Assessing disability and change on individual patients: a report of a "
    "patient specific measure. Physiotherapy Canada 1995;47:258-263."
)
#: One line of plain text: no control characters (no NUL, tab or line break).
ActivityName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]*$"
    ),
]
ActivityScore = Annotated[
    int, Field(ge=0, le=PSFS_MAX, description="0 unable to do it - 10 as before the problem")
]


class PsfsActivity(BaseModel):
    """One activity the person finds hard, in their words, and how well they can do it now."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    activity: ActivityName = Field(description="the activity in the person's words, 1-80 chars")
    score: ActivityScore


class PsfsInput(BaseModel):
    """The PSFS: one to five activities, each rated 0 (unable) to 10 (as before the problem)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answered_on: PastDay | None = Field(
        default=None, description="the day it was answered (from 1900 to today); default today"
    )
    activities: list[PsfsActivity] = Field(
        min_length=1, max_length=PSFS_MAX_ACTIVITIES, description="one to five activities"
    )

    def items(self) -> list[int]:
        """The scores, in the order the activities were given."""
        return [a.score for a in self.activities]

    def names(self) -> list[str]:
        """The activity names, in the order of :meth:`items`."""
        return [a.activity for a in self.activities]


def psfs_mean(items: Sequence[int]) -> float:
    """The PSFS score: the mean of the activity scores (one to five, each 0-10)."""
    if not 1 <= len(items) <= PSFS_MAX_ACTIVITIES or any(not 0 <= i <= PSFS_MAX for i in items):
        raise ValueError("the PSFS has one to five activities, each 0-10")
    return sum(items) / len(items)


def _one_decimal(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class PsfsChange:
    """The change in the PSFS mean from the first time to the latest, in words. Higher is
    better; ``meaningful`` is True when it moved by the 2-point change that matters."""

    first: float | None
    latest: float | None
    change: float | None
    meaningful: bool
    summary: str


def psfs_change(means_oldest_first: Sequence[float]) -> PsfsChange:
    """The latest PSFS mean against the first, and whether it moved by 2 points or more."""
    if not means_oldest_first:
        return PsfsChange(None, None, None, False, "no activity score yet")
    first, latest = means_oldest_first[0], means_oldest_first[-1]
    shown = f"{_one_decimal(latest)} of {PSFS_MAX}"
    if len(means_oldest_first) == 1:
        return PsfsChange(first, latest, None, False, f"first score: {shown}")
    change = round(latest - first, 1)
    meaningful = abs(change) >= PSFS_MEANINGFUL_CHANGE
    if change == 0:
        return PsfsChange(first, latest, 0.0, False, f"{shown}, the same as when you started")
    moved = "up" if change > 0 else "down"
    since = f"{shown}, {moved} {_one_decimal(abs(change))} since you started ({first:.1f})"
    if not meaningful:
        verdict = f"less than the {PSFS_MEANINGFUL_CHANGE}-point change that matters"
    elif change > 0:
        verdict = f"improving by at least the {PSFS_MEANINGFUL_CHANGE}-point change that matters"
    else:
        verdict = f"worse by at least the {PSFS_MEANINGFUL_CHANGE}-point change that matters"
    return PsfsChange(first, latest, change, meaningful, f"{since}: {verdict}")


# --- Global rating of change -----------------------------------------------------------------

#: "Compared with when you started, your sciatica is…", -3 (much worse) to +3 (much better).
GLOBAL_RATINGS: dict[int, str] = {
    -3: N_("much worse"),
    -2: N_("worse"),
    -1: N_("a little worse"),
    0: N_("about the same"),
    1: N_("a little better"),
    2: N_("better"),
    3: N_("much better"),
}
#: "Better" or "much better" counts as improved (``clinical/outcomes.md``).
GLOBAL_RATING_IMPROVED = 2
GlobalRatingValue = Annotated[
    int, Field(ge=-3, le=3, description="-3 much worse, 0 about the same, +3 much better")
]


class GlobalRatingInput(BaseModel):
    """Compared with when you started, your sciatica is… (-3 much worse to +3 much better)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answered_on: PastDay | None = Field(
        default=None, description="the day it was answered (from 1900 to today); default today"
    )
    rating: GlobalRatingValue


def global_rating_label(value: int) -> str:
    """The words for a rating, e.g. 2 -> "better"."""
    return GLOBAL_RATINGS[value]


def improved(value: int) -> bool:
    """Whether a global rating counts as improved: "better" or "much better"."""
    return value >= GLOBAL_RATING_IMPROVED


# --- When to ask -----------------------------------------------------------------------------

#: The PSFS and the global rating are asked at the start and then every two weeks.
ASK_EVERY = timedelta(days=14)


def psfs_due(last_answered: date | None, *, today: date) -> bool:
    """Whether to ask the PSFS: never answered yet (the start), or two weeks since the last."""
    return last_answered is None or today - last_answered >= ASK_EVERY


def global_rating_due(started: date | None, last_answered: date | None, *, today: date) -> bool:
    """Whether to ask the global rating of change: it compares with the start, so only from
    two weeks after the first PSFS (``started``), then every two weeks."""
    if started is None or today - started < ASK_EVERY:
        return False
    return last_answered is None or today - last_answered >= ASK_EVERY
