"""Triage of the answers so far: the lowest level any way of finishing the assessment can reach.

The wizard must stop at the first answer that makes the level emergency or urgent, before the
remaining questions are answered. Triage is monotone: a red flag, condition, symptom, region or
higher pain never lowers the level (the property tests pin this). So filling every unanswered
field with the value that raises nothing — no flags, conditions or symptoms, pain 0, seen by a
clinician, improving, not a first episode, an age no rule looks at — gives a lower bound: every
completion of the answers triages at least as high. Duration and side are the fields whose
values each raise something with other answers (under 6 weeks or 6 weeks and more; a side that
makes "both legs" with the body map), and unanswered conditions may still bring peripheral
neuropathy (which takes numb feet out of "both legs"), so each of their candidate values is
tried and the calmest outcome kept.

If that lower bound is emergency or urgent, the person needs care whatever they would answer
next: stop and say so. This module only fills in and calls the one evaluator (``plan.evaluate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any

from sciatica_care.domain.assessment import AssessmentError, parse_assessment
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Result
from sciatica_care.domain.vocabulary import TriageLevel, level_rank

#: The value of each field that raises no triage rule (used where the person has not answered).
CALM: dict[str, Any] = {
    "age": 30,  # rules look at under 18, 50 and over, 70 and over
    "back_pain": 0,
    "leg_pain": 0,
    "side": "left",
    "trend": "improving",
    "first_episode": False,
    "seen_clinician": True,
    "pregnant": False,
}
#: Unanswered duration: one value each side of every boundary the rules use (6 and 12 weeks).
CALM_DURATIONS: tuple[float, ...] = (0.0, 6.0, 12.0)
#: Unanswered side: either leg (a body-map region without a side of its own takes ``side``, so
#: one of the two may make "both legs" where the other does not).
CALM_SIDES: tuple[str, ...] = ("left", "right")

#: Unanswered conditions: none, or peripheral neuropathy, the one condition that can take "both
#: legs" away (numb feet alone are not "both legs" with it; triage.md v2).
CALM_CONDITIONS: tuple[tuple[str, ...], ...] = ((), ("peripheral_neuropathy",))

#: The levels at which the wizard stops and shows the triage at once.
STOP_LEVELS: frozenset[TriageLevel] = frozenset({"emergency", "urgent"})


@dataclass(frozen=True, slots=True)
class EarlyTriage:
    """The lower bound: its level, and the full result of the calmest completion."""

    level: TriageLevel
    result: Result
    answered: frozenset[str]

    @property
    def stop(self) -> bool:
        """True when the answers so far already need emergency or urgent care."""
        return self.level in STOP_LEVELS


def _valid_part(partial: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that are valid on their own; a wrong or unknown field counts as unanswered."""
    data = dict(partial)
    probe = {**CALM, "duration_weeks": CALM_DURATIONS[0]}
    for _ in range(len(data) + 1):
        try:
            parse_assessment({**probe, **data})
            return data
        except AssessmentError as exc:
            wrong = {e.field.split(".")[0] for e in exc.errors} & set(data)
            if not wrong:
                break
            for name in wrong:
                del data[name]
    return {}


def early_triage(partial: Mapping[str, Any], kb: KnowledgeBase) -> EarlyTriage:
    """Triage the answers given so far (a partial assessment in the public vocabulary).

    Returns the lowest level that any completion of these answers can have, with the result of
    that completion (its reasons name only what was answered). Never raises on a partial or
    wrong answer: what is not valid is treated as not answered yet.
    """
    given = _valid_part(partial)
    durations = (given["duration_weeks"],) if "duration_weeks" in given else CALM_DURATIONS
    sides = (given["side"],) if "side" in given else CALM_SIDES
    conditions = (tuple(given["conditions"]),) if "conditions" in given else CALM_CONDITIONS
    best: Result | None = None
    for weeks, side, held in product(durations, sides, conditions):
        filled = {
            **CALM,
            "duration_weeks": weeks,
            "side": side,
            "conditions": list(held),
            **given,
        }
        result = evaluate(parse_assessment(filled), kb)
        if best is None or level_rank(result.triage.level) < level_rank(best.triage.level):
            best = result
    assert best is not None
    return EarlyTriage(level=best.triage.level, result=best, answered=frozenset(given))
