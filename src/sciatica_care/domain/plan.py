"""From an assessment to the full result: triage first, then the plan.

This is the one entry point of the clinical core: :func:`evaluate` is pure (no I/O) and
deterministic for a given assessment, knowledge base and learned outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.kb import EvidenceStatement, KnowledgeBase, deriving
from sciatica_care.domain.recommendation import (
    LearnedResponse,
    Ranking,
    exclude_all,
    prepare_ranking,
    ranked,
)
from sciatica_care.domain.result import (
    EvidenceNote,
    Recommendation,
    Result,
    SessionAdvice,
    Target,
    trusted,
)
from sciatica_care.domain.rule_code import Deriver, NotingMatcher, noting_matcher
from sciatica_care.domain.rules import fact_parts
from sciatica_care.domain.selfcare import PreparedSelfCare, prepare_self_care, self_care_of
from sciatica_care.domain.triage import PreparedTriage, prepare_triage, triage_of
from sciatica_care.domain.vocabulary import LABELS, SIDES, Region, TechniqueId


def _target(region: Region, side: str, kb: KnowledgeBase) -> Target:
    info = kb.targets[region]
    return trusted(
        Target,
        {
            "region": region,
            "label": LABELS["areas"][region],
            "side": side,
            "muscles": list(info.muscles),
            "dermatome": info.dermatome,
            "caution": info.caution,
        },
    )


def _targets(a: Assessment, targets: dict[str, dict[str, Target]]) -> list[Target]:
    answers = a.__dict__  # (a pydantic model's attributes cost more to read)
    sides, side = answers["area_sides"], answers["side"]
    if not sides:  # every region on the one side: looked up without a step of Python each
        return list(map(targets[side].__getitem__, answers["areas"]))
    return [targets[sides.get(region, side)][region] for region in answers["areas"]]


def _when_to_get_help(kb: KnowledgeBase) -> list[str]:
    flags = LABELS["red_flags"]
    go_now = [f"{flags[f]}: call 999 or go to A&E now." for f in kb.when_to_get_help.emergency]
    today = [f"{flags[f]}: see a doctor within 24 hours." for f in kb.when_to_get_help.urgent]
    return go_now + today


def _session(kb: KnowledgeBase, minutes: str) -> SessionAdvice:
    s = kb.session
    return trusted(
        SessionAdvice,
        {
            "minutes": minutes,
            "frequency": s.frequency,
            "review": s.review,
            "soreness": s.soreness,
            "sources": list(s.sources),
        },
    )


def _evidence_note(e: EvidenceStatement) -> EvidenceNote:
    return trusted(EvidenceNote, {"id": e.id, "text": e.text, "sources": list(e.sources)})


class _Parts(NamedTuple):
    """The parts of a result that depend only on the knowledge base, built once for it, and
    what each step prepares from it (fetched here once per evaluation, not once per step)."""

    derive: Deriver
    triage: PreparedTriage
    ranking: Ranking
    self_care: PreparedSelfCare

    #: The targets by side, then region.
    targets: dict[str, dict[str, Target]]
    sessions: dict[str, SessionAdvice]
    #: The evidence notes whose conditions hold; their ids go to the rules fired
    #: (``rule_code.noting_matcher``).
    evidence_matching: NotingMatcher[EvidenceNote]
    when_to_get_help: list[str]
    #: The session minutes at high irritability and otherwise (``kb.session``).
    minutes_high_irritability: str
    minutes_default: str
    version: str


def _parts(kb: KnowledgeBase) -> _Parts:
    s = kb.session
    return _Parts(
        derive=kb.prepared(deriving),
        triage=kb.prepared(prepare_triage),
        ranking=kb.prepared(prepare_ranking),
        self_care=kb.prepared(prepare_self_care),
        targets={
            side: {region: _target(region, side, kb) for region in kb.targets} for side in SIDES
        },
        sessions={m: _session(kb, m) for m in (s.minutes_high_irritability, s.minutes_default)},
        evidence_matching=noting_matcher(
            [e.when for e in kb.evidence_context],
            [_evidence_note(e) for e in kb.evidence_context],
            [e.id for e in kb.evidence_context],
        ),
        when_to_get_help=_when_to_get_help(kb),
        minutes_high_irritability=s.minutes_high_irritability,
        minutes_default=s.minutes_default,
        version=kb.version,
    )


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
    # Parts that depend only on the knowledge base are built once (kb.prepared); the rest
    # are built here, and the Result is put together without validating them again.
    # (The parts taken apart once, by unpacking; triage answers its level and hold beside it.)
    (
        derive,
        prepared_triage,
        ranking,
        prepared_self_care,
        targets,
        sessions,
        evidence_matching,
        when_to_get_help,
        minutes_high_irritability,
        minutes_default,
        version,
    ) = kb.prepared(_parts)
    tokens, numbers = fact_parts(assessment)
    derive(tokens, numbers)  # (a new set of tokens: the derived facts added in place)
    tri, level, hold, hold_reasons, fired = triage_of(prepared_triage, tokens, numbers)
    minutes = minutes_high_irritability if "is:high_irritability" in tokens else minutes_default
    recommendations: list[Recommendation] = []
    evidence: list[EvidenceNote] = []
    session: SessionAdvice | None = None
    if hold:
        excluded = list(exclude_all(kb, hold_reasons))  # (the knowledge base's memo: copied)
    else:
        recommendations, excluded, plan_fired = ranked(
            kb, ranking, tokens, numbers, assessment.pressure_preference, minutes, learned
        )
        fired += plan_fired
        session = sessions[minutes]
        evidence = evidence_matching(tokens, numbers, fired.append)
    care, sentences, avoided, care_fired = self_care_of(
        prepared_self_care, tokens, numbers, level, hold
    )
    fired += care_fired
    # Built without validating again: every part is the core's own, already typed; the lists
    # kept by the knowledge base (its memo) are copied so that no result shares them (the
    # exclusions under a hold, above).
    return trusted(
        Result,
        {
            "triage": tri,
            "recommendations": recommendations,
            "excluded": excluded,
            "self_care": sentences,
            "provisional": level == "see_clinician" and not hold,
            "self_care_plan": care,
            "exercises_to_avoid": avoided,
            # Where to work is for a therapist about to massage: not shown while massage is held.
            "targets": [] if hold else _targets(assessment, targets),
            "session": session,
            "evidence": evidence,
            "when_to_get_help": [] if level == "emergency" else list(when_to_get_help),
            "rules_fired": fired,
            "knowledge_version": version,
        },
    )
