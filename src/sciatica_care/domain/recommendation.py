"""Which techniques fit this person, ranked, and which to avoid and why.

Exclusions and precautions come from the contraindication matrix; the order comes from the
ranking adjustments, each adding a plain-language reason. Each technique ends up exactly once,
either in the recommendations or in the excluded list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from sciatica_care.domain.kb import KnowledgeBase, Technique
from sciatica_care.domain.result import EvidenceSummary, Exclusion, Recommendation
from sciatica_care.domain.rules import Facts
from sciatica_care.domain.vocabulary import PRESSURES, TECHNIQUES, Pressure, Response, TechniqueId


@dataclass(frozen=True, slots=True)
class LearnedResponse:
    """What this client's own recorded sessions showed for one technique (from services)."""

    response: Response
    reason: str


#: Shown for an allowed technique that no ranking rule speaks for or against.
NEUTRAL_REASON = "A safe option for you: nothing in your answers argues for or against it."


@dataclass(slots=True)
class _Draft:
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    precautions: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    max_pressure: int = 2


_RANK = {p: n for n, p in enumerate(PRESSURES)}


def _pressure(preference: Pressure, low: Pressure, high: Pressure, cap: int) -> Pressure:
    rank = max(_RANK[low], min(_RANK[preference], _RANK[high]))
    return PRESSURES[min(rank, cap)]


def _evidence(info: Technique) -> EvidenceSummary:
    e = info.evidence
    return EvidenceSummary(grade=e.grade, summary=e.summary, sources=e.sources)


def recommend(
    facts: Facts,
    kb: KnowledgeBase,
    *,
    pressure_preference: Pressure,
    session_minutes: str,
    learned: Mapping[TechniqueId, LearnedResponse] | None = None,
) -> tuple[list[Recommendation], list[Exclusion], list[str]]:
    """Rank the allowed techniques; return (recommendations, excluded, rule ids fired)."""
    drafts = {t: _Draft() for t in TECHNIQUES}
    fired: list[str] = []
    for row in kb.matching(kb.matrix, facts):
        fired.append(row.id)
        for technique, cell in row.cells.items():
            draft = drafts[technique]
            if cell.action == "exclude":
                draft.excluded.append(cell.text)
            else:
                if cell.text not in draft.precautions:
                    draft.precautions.append(cell.text)
                if cell.max_pressure is not None:
                    draft.max_pressure = min(draft.max_pressure, _RANK[cell.max_pressure])
    for adjustment in kb.matching(kb.adjustments, facts):
        fired.append(adjustment.id)
        for technique, weight in adjustment.effects.items():
            draft = drafts[technique]
            draft.score += weight
            text = adjustment.favour if weight > 0 else adjustment.disfavour
            if text:
                draft.reasons.append(text)
    for technique, signal in (learned or {}).items():
        if drafts[technique].excluded:
            continue  # what helped never re-admits a technique excluded for safety
        drafts[technique].score += kb.outcome_weight.get(signal.response, 0)
        drafts[technique].reasons.insert(0, signal.reason)
        fired.append(f"LEARNED-{technique.upper()}-{signal.response.upper()}")
    order = {t: i for i, t in enumerate(kb.tie_break)}
    allowed = sorted(
        (t for t in TECHNIQUES if not drafts[t].excluded),
        key=lambda t: (-drafts[t].score, order[t]),
    )
    recommendations: list[Recommendation] = []
    for rank, technique in enumerate(allowed, start=1):
        info, draft = kb.techniques[technique], drafts[technique]
        recommendations.append(
            Recommendation(
                technique=technique,
                name=info.name,
                rank=rank,
                score=draft.score,
                reasons=draft.reasons or [NEUTRAL_REASON],
                precautions=draft.precautions,
                pressure=_pressure(
                    pressure_preference, info.pressure.min, info.pressure.max, draft.max_pressure
                ),
                session_minutes=session_minutes,
                how=info.how,
                evidence=kb.memo(("evidence", technique), partial(_evidence, info)),
            )
        )
    excluded = [
        Exclusion(technique=t, name=kb.techniques[t].name, reasons=drafts[t].excluded)
        for t in TECHNIQUES
        if drafts[t].excluded
    ]
    return recommendations, excluded, fired


def exclude_all(kb: KnowledgeBase, reasons: list[str]) -> list[Exclusion]:
    """Every technique excluded for the same reasons (a massage hold)."""
    return kb.memo(("exclude_all", *reasons), partial(_exclude_all, kb, reasons))


def _exclude_all(kb: KnowledgeBase, reasons: list[str]) -> list[Exclusion]:
    return [Exclusion(technique=t, name=kb.techniques[t].name, reasons=reasons) for t in TECHNIQUES]
