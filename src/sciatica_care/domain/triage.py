"""Safety triage: which rules match, the highest level, and whether massage is on hold.

The rules are data (``knowledge/data/triage.yaml``); this is the one small evaluator. Because
the level is the maximum over matching rules and the hold is an "or" over them, adding a red
flag or condition can only raise the level or add a hold, never lower or remove one — provided
no rule's condition is weakened by a flag, which the property tests check.
"""

from __future__ import annotations

from functools import partial

from sciatica_care.domain.kb import KnowledgeBase, TriageRule
from sciatica_care.domain.result import Triage, TriageFinding
from sciatica_care.domain.rules import Facts
from sciatica_care.domain.vocabulary import level_rank


def _finding(rule: TriageRule) -> TriageFinding:
    return TriageFinding(
        id=rule.id,
        level=rule.level,
        hold=rule.hold,
        reason=rule.reason,
        tell_doctor=rule.tell_doctor,
        sources=rule.sources,
    )


def triage_with_hold_reasons(facts: Facts, kb: KnowledgeBase) -> tuple[Triage, list[str]]:
    """The triage for ``facts`` and, under a hold, why every technique is excluded."""
    matched = kb.matching(kb.triage_rules, facts)
    matched.sort(key=lambda rule: -level_rank(rule.level))
    level = matched[0].level if matched else "self_care"
    hold = any(rule.hold for rule in matched)
    advice = kb.levels[level]
    headline, text = advice.headline, advice.advice
    if hold and level == "see_clinician":
        headline, text = advice.hold_headline or headline, advice.hold_advice or text
    rank = level_rank(level)
    result = Triage(
        level=level,
        massage_hold=hold,
        headline=headline,
        advice=text,
        reasons=[r.reason for r in matched],
        then=advice.then,
        tell_doctor=[r.tell_doctor for r in matched if level_rank(r.level) == rank],
        findings=[kb.memo(("finding", r.id), partial(_finding, r)) for r in matched],
    )
    if not hold:
        return result, []
    if level in ("emergency", "urgent"):
        return result, [advice.hold_reason]
    reasons = [r.hold_reason for r in matched if r.hold and r.hold_reason]
    return result, reasons or [advice.hold_reason]


def triage(facts: Facts, kb: KnowledgeBase) -> Triage:
    """Return the triage for ``facts`` (derived facts included): level, hold, and reasons.

    Findings are ordered most urgent first, then in the order the rules are written.
    """
    return triage_with_hold_reasons(facts, kb)[0]
