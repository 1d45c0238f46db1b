"""Safety triage: which rules match, the highest level, and whether massage is on hold.

The rules are data (``knowledge/data/triage.yaml``); this is the one small evaluator. Because
the level is the maximum over matching rules and the hold is an "or" over them, adding a red
flag or condition can only raise the level or add a hold, never lower or remove one — provided
no rule's condition is weakened by a flag, which the property tests check.
"""

from __future__ import annotations

from typing import Any

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.result import Triage
from sciatica_care.domain.rules import Facts
from sciatica_care.domain.vocabulary import level_rank


def triage_data(facts: Facts, kb: KnowledgeBase) -> tuple[dict[str, Any], list[str]]:
    """The triage for ``facts`` as plain data (see :func:`triage`), and the hold reasons.

    :func:`~sciatica_care.domain.plan.evaluate` validates this data once, with the whole
    Result, which is several times cheaper than building each model on its own.
    """
    matched = [rule for rule in kb.triage_rules if rule.matches(facts)]
    matched.sort(key=lambda rule: -level_rank(rule.level))
    level = matched[0].level if matched else "self_care"
    hold = any(rule.hold for rule in matched)
    advice = kb.levels[level]
    headline, text = advice.headline, advice.advice
    if hold and level == "see_clinician":
        headline, text = advice.hold_headline or headline, advice.hold_advice or text
    rank = level_rank(level)
    data = {
        "level": level,
        "massage_hold": hold,
        "headline": headline,
        "advice": text,
        "reasons": [r.reason for r in matched],
        "then": advice.then,
        "tell_doctor": [r.tell_doctor for r in matched if level_rank(r.level) == rank],
        "findings": [
            {
                "id": r.id,
                "level": r.level,
                "hold": r.hold,
                "reason": r.reason,
                "tell_doctor": r.tell_doctor,
                "sources": r.sources,
            }
            for r in matched
        ],
    }
    if not hold:
        return data, []
    if level in ("emergency", "urgent"):
        return data, [advice.hold_reason]
    reasons = [r.hold_reason for r in matched if r.hold and r.hold_reason]
    return data, reasons or [advice.hold_reason]


def triage(facts: Facts, kb: KnowledgeBase) -> Triage:
    """Return the triage for ``facts`` (derived facts included): level, hold, and reasons.

    Findings are ordered most urgent first, then in the order the rules are written.
    """
    return Triage.model_validate(triage_data(facts, kb)[0])


def hold_reasons(result: Triage, kb: KnowledgeBase) -> list[str]:
    """Why every technique is excluded under a hold, in the person's words."""
    if result.level in ("emergency", "urgent"):
        return [kb.levels[result.level].hold_reason]
    rules = {r.id: r for r in kb.triage_rules}
    reasons = [
        rules[f.id].hold_reason for f in result.findings if f.hold and rules[f.id].hold_reason
    ]
    return reasons or [kb.levels[result.level].hold_reason]
