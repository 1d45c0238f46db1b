"""From an assessment to the full result: triage first, then the plan.

This is the one entry point of the clinical core: :func:`evaluate` is pure (no I/O) and
deterministic for a given assessment, knowledge base and learned outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.recommendation import LearnedResponse, exclude_all_data, recommend_data
from sciatica_care.domain.result import Result
from sciatica_care.domain.rules import facts_of
from sciatica_care.domain.selfcare import self_care_data, sentences
from sciatica_care.domain.triage import triage_data
from sciatica_care.domain.vocabulary import LABELS, TechniqueId


def _targets(a: Assessment, kb: KnowledgeBase) -> list[dict[str, Any]]:
    out = []
    for region in a.areas:
        info = kb.targets[region]
        out.append(
            {
                "region": region,
                "label": LABELS["areas"][region],
                "side": a.area_sides.get(region, a.side),
                "muscles": info.muscles,
                "dermatome": info.dermatome,
                "caution": info.caution,
            }
        )
    return out


def _when_to_get_help(kb: KnowledgeBase) -> list[str]:
    flags = LABELS["red_flags"]
    go_now = [
        f"{flags[f]}: go to an emergency department now." for f in kb.when_to_get_help.emergency
    ]
    today = [f"{flags[f]}: see a doctor within 24 hours." for f in kb.when_to_get_help.urgent]
    return go_now + today


def evaluate(
    assessment: Assessment,
    kb: KnowledgeBase,
    *,
    learned: Mapping[TechniqueId, LearnedResponse] | None = None,
) -> Result:
    """Triage the assessment, then build the plan; return the full result.

    With a massage hold, nothing is recommended and every technique is excluded with the
    reason. ``learned`` carries what this client's own sessions showed, per technique.
    """
    # The parts are built as plain data and validated once, as one Result: several times
    # cheaper than building each of the thirty-odd small models on its own.
    facts = kb.derive(facts_of(assessment))
    tri, hold_reasons = triage_data(facts, kb)
    level, hold = tri["level"], tri["massage_hold"]
    fired = [f["id"] for f in tri["findings"]]
    high_irritability = "is:high_irritability" in facts.tokens
    s = kb.session
    minutes = s.minutes_high_irritability if high_irritability else s.minutes_default
    recommendations: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    session: dict[str, Any] | None = None
    if hold:
        excluded = exclude_all_data(kb, hold_reasons)
    else:
        recommendations, excluded, plan_fired = recommend_data(
            facts,
            kb,
            pressure_preference=assessment.pressure_preference,
            session_minutes=minutes,
            learned=learned,
        )
        fired += plan_fired
        session = {
            "minutes": minutes,
            "frequency": s.frequency,
            "review": s.review,
            "soreness": s.soreness,
            "sources": s.sources,
        }
        evidence = [
            {"id": e.id, "text": e.text, "sources": e.sources}
            for e in kb.evidence_context
            if e.matches(facts)
        ]
        fired += [e["id"] for e in evidence]
    advice, avoided, care_fired = self_care_data(facts, kb, level=level, hold=hold)
    fired += care_fired
    return Result.model_validate(
        {
            "triage": tri,
            "recommendations": recommendations,
            "excluded": excluded,
            "self_care": sentences(advice),
            "provisional": level == "see_clinician" and not hold,
            "self_care_plan": advice,
            "exercises_to_avoid": avoided,
            "targets": _targets(assessment, kb) if level != "emergency" else [],
            "session": session,
            "evidence": evidence,
            "when_to_get_help": [] if level == "emergency" else _when_to_get_help(kb),
            "rules_fired": fired,
            "knowledge_version": kb.version,
        }
    )
