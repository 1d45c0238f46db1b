"""From an assessment to the full result: triage first, then the plan.

This is the one entry point of the clinical core: :func:`evaluate` is pure (no I/O) and
deterministic for a given assessment, knowledge base and learned outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.recommendation import LearnedResponse, exclude_all, recommend
from sciatica_care.domain.result import (
    EvidenceNote,
    Recommendation,
    Result,
    SessionAdvice,
    Target,
)
from sciatica_care.domain.rules import facts_of
from sciatica_care.domain.selfcare import as_sentences, plan_self_care
from sciatica_care.domain.triage import hold_reasons, triage
from sciatica_care.domain.vocabulary import LABELS, TechniqueId


def _targets(a: Assessment, kb: KnowledgeBase) -> list[Target]:
    out = []
    for region in a.areas:
        info = kb.targets[region]
        out.append(
            Target(
                region=region,
                label=LABELS["areas"][region],
                side=a.area_sides.get(region, a.side),
                muscles=info.muscles,
                dermatome=info.dermatome,
                caution=info.caution,
            )
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
    facts = kb.derive(facts_of(assessment))
    tri = triage(facts, kb)
    fired = [f.id for f in tri.findings]
    high_irritability = "is:high_irritability" in facts.tokens
    s = kb.session
    minutes = s.minutes_high_irritability if high_irritability else s.minutes_default
    recommendations: list[Recommendation] = []
    evidence: list[EvidenceNote] = []
    session: SessionAdvice | None = None
    if tri.massage_hold:
        excluded = exclude_all(kb, hold_reasons(tri, kb))
    else:
        recommendations, excluded, plan_fired = recommend(
            facts,
            kb,
            pressure_preference=assessment.pressure_preference,
            session_minutes=minutes,
            learned=learned,
        )
        fired += plan_fired
        session = SessionAdvice(
            minutes=minutes,
            frequency=s.frequency,
            review=s.review,
            soreness=s.soreness,
            sources=s.sources,
        )
        evidence = [
            EvidenceNote(id=e.id, text=e.text, sources=e.sources)
            for e in kb.evidence_context
            if e.matches(facts)
        ]
        fired += [e.id for e in evidence]
    advice, avoided, care_fired = plan_self_care(facts, kb, level=tri.level, hold=tri.massage_hold)
    fired += care_fired
    return Result(
        triage=tri,
        recommendations=recommendations,
        excluded=excluded,
        self_care=as_sentences(advice),
        provisional=tri.level == "see_clinician" and not tri.massage_hold,
        self_care_plan=advice,
        exercises_to_avoid=avoided,
        targets=_targets(assessment, kb) if tri.level != "emergency" else [],
        session=session,
        evidence=evidence,
        when_to_get_help=[] if tri.level == "emergency" else _when_to_get_help(kb),
        rules_fired=fired,
        knowledge_version=kb.version,
    )
