"""Outcome measures. The Sciatica Bothersomeness Index (SBI), weekly: four items 0-6, total 0-24.

The SBI has no established minimal important change, so the read-out reports the change itself
and claims nothing about whether it matters (``clinical/outcomes.md``; Patrick 1995,
Grøvle 2010, Haugen 2011).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from sciatica_care.domain.time_bounds import PastDay

SBI_ITEMS: dict[str, str] = {
    "leg_pain": "Leg pain",
    "numbness_tingling": "Numbness or tingling in the leg, foot or groin",
    "weakness": "Weakness in the leg or foot",
    "sitting_pain": "Back or leg pain while sitting",
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
