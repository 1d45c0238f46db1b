"""From an assessment to the full result: triage first, then the plan.

This is the one entry point of the clinical core: :func:`evaluate` is pure (no I/O) and
deterministic for a given assessment, knowledge base and learned outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.kb import EvidenceStatement, KnowledgeBase
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
from sciatica_care.domain.triage import triage_with_hold_reasons
from sciatica_care.domain.vocabulary import LABELS, Region, TechniqueId


def _target(region: Region, side: str, kb: KnowledgeBase) -> Target:
    info = kb.targets[region]
    return Target(
        region=region,
        label=LABELS["areas"][region],
        side=side,
        muscles=info.muscles,
        dermatome=info.dermatome,
        caution=info.caution,
    )


def _targets(a: Assessment, kb: KnowledgeBase) -> list[Target]:
    out = []
    for region in a.areas:
        side = a.area_sides.get(region, a.side)
        out.append(kb.memo(("target", region, side), partial(_target, region, side, kb)))
    return out


def _when_to_get_help(kb: KnowledgeBase) -> list[str]:
    flags = LABELS["red_flags"]
    go_now = [f"{flags[f]}: call 999 or go to A&E now." for f in kb.when_to_get_help.emergency]
    today = [f"{flags[f]}: see a doctor within 24 hours." for f in kb.when_to_get_help.urgent]
    return go_now + today


def _session(kb: KnowledgeBase, minutes: str) -> SessionAdvice:
    s = kb.session
    return SessionAdvice(
        minutes=minutes,
        frequency=s.frequency,
        review=s.review,
        soreness=s.soreness,
        sources=s.sources,
    )


def _evidence_note(e: EvidenceStatement) -> EvidenceNote:
    return EvidenceNote(id=e.id, text=e.text, sources=e.sources)


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
    # Parts that depend only on the knowledge base are built once (kb.memo); the rest are
    # built here, and the Result only checks the instances it is given.
    facts = kb.derive(facts_of(assessment))
    tri, hold_reasons = triage_with_hold_reasons(facts, kb)
    level, hold = tri.level, tri.massage_hold
    fired = [f.id for f in tri.findings]
    high_irritability = "is:high_irritability" in facts.tokens
    s = kb.session
    minutes = s.minutes_high_irritability if high_irritability else s.minutes_default
    recommendations: list[Recommendation] = []
    evidence: list[EvidenceNote] = []
    session: SessionAdvice | None = None
    if hold:
        excluded = exclude_all(kb, hold_reasons)
    else:
        recommendations, excluded, plan_fired = recommend(
            facts,
            kb,
            pressure_preference=assessment.pressure_preference,
            session_minutes=minutes,
            learned=learned,
        )
        fired += plan_fired
        session = kb.memo(("session", minutes), partial(_session, kb, minutes))
        evidence = [
            kb.memo(("evidence_note", e.id), partial(_evidence_note, e))
            for e in kb.matching(kb.evidence_context, facts)
        ]
        fired += [e.id for e in evidence]
    help_list = kb.memo("when_to_get_help", partial(_when_to_get_help, kb))
    advice, avoided, care_fired = plan_self_care(facts, kb, level=level, hold=hold)
    fired += care_fired
    return Result(
        triage=tri,
        recommendations=recommendations,
        excluded=excluded,
        self_care=as_sentences(advice, kb),
        provisional=level == "see_clinician" and not hold,
        self_care_plan=advice,
        exercises_to_avoid=avoided,
        # Where to work is for a therapist about to massage: not shown while massage is held.
        targets=[] if hold else _targets(assessment, kb),
        session=session,
        evidence=evidence,
        when_to_get_help=[] if level == "emergency" else help_list,
        rules_fired=fired,
        knowledge_version=kb.version,
    )
