"""Which techniques fit this person, ranked, and which to avoid and why.

Exclusions and precautions come from the contraindication matrix; the order comes from the
ranking adjustments, each adding a plain-language reason. Each technique ends up exactly once,
either in the recommendations or in the excluded list. The fit bands (``FIT_RULES``) then tell
the recommendations apart: "good fit" or "also possible"; an excluded one is "not for you now".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from sciatica_care.domain.kb import KnowledgeBase, Technique
from sciatica_care.domain.result import EvidenceSummary, Exclusion, Recommendation, trusted
from sciatica_care.domain.rules import Facts
from sciatica_care.domain.vocabulary import PRESSURES, TECHNIQUES, Pressure, Response, TechniqueId


@dataclass(frozen=True, slots=True)
class LearnedResponse:
    """What this client's own recorded sessions showed for one technique (from services)."""

    response: Response
    reason: str


#: Shown for an allowed technique that no ranking rule speaks for or against.
NEUTRAL_REASON = "A safe option for you: nothing in your answers argues for or against it."


@dataclass(frozen=True, slots=True)
class FitRules:
    """When an allowed technique is a "good fit" (a product rule: expert consensus).

    A good fit is clearly favoured for this person, so all of these must hold:

    - ``least_score``: something in the answers speaks for it (a neutral option is allowed,
      not favoured);
    - ``within_best``: its score is at most this far below the best (it is not trailing);
    - nothing in the answers argues against it (a "disfavour" adjustment, or a technique that
      made no difference or made things worse before);
    - no precaution cuts its pressure below the technique's own range (deep tissue at light
      pressure is no longer deep tissue work);
    - at most ``most_good_fits`` of them, taken in rank order: once one technique is "also
      possible", every technique ranked below it is too (bands are monotone with rank).

    Every other allowed technique is "also possible": safe with its precautions, weaker or cut
    back. Excluded techniques are "not for you now", with their reasons.
    """

    most_good_fits: int = 2
    least_score: int = 1
    within_best: int = 1


FIT_RULES = FitRules()


@dataclass(slots=True)
class _Draft:
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    cap_texts: list[str] = field(default_factory=list)
    precautions: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    max_pressure: int = 2


_RANK = {p: n for n, p in enumerate(PRESSURES)}


def _pressure(preference: Pressure, low: Pressure, high: Pressure, cap: int) -> Pressure:
    rank = max(_RANK[low], min(_RANK[preference], _RANK[high]))
    return PRESSURES[min(rank, cap)]


def _evidence(info: Technique) -> EvidenceSummary:
    e = info.evidence
    return trusted(
        EvidenceSummary, {"grade": e.grade, "summary": e.summary, "sources": list(e.sources)}
    )


def _in_favour(draft: _Draft) -> list[str]:
    return [r for r in draft.reasons or [NEUTRAL_REASON] if r not in draft.against]


def _fit_bands(
    allowed: list[TechniqueId], drafts: Mapping[TechniqueId, _Draft], kb: KnowledgeBase
) -> dict[TechniqueId, bool]:
    """Whether each allowed technique (in rank order) is a good fit, by ``FIT_RULES``."""
    best = drafts[allowed[0]].score if allowed else 0
    fits: dict[TechniqueId, bool] = {}
    good_fits = 0
    for rank, technique in enumerate(allowed, start=1):
        draft = drafts[technique]
        good = (
            good_fits == rank - 1  # every technique ranked above is a good fit too
            and good_fits < FIT_RULES.most_good_fits
            and draft.score >= FIT_RULES.least_score
            and draft.score >= best - FIT_RULES.within_best
            and not draft.against
            and draft.max_pressure >= _RANK[kb.techniques[technique].pressure.min]
        )
        good_fits += good
        fits[technique] = good
    return fits


class _Technique(NamedTuple):
    """A technique prepared once per knowledge base for ranking and for its recommendation."""

    name: str
    how: str
    low: Pressure
    high: Pressure
    least_pressure: int
    tie_break: int
    evidence: EvidenceSummary


#: A matrix cell prepared: (technique, excludes it, text, pressure cap or None).
_Cell = tuple[TechniqueId, bool, str, int | None]


class _Ranking(NamedTuple):
    techniques: dict[TechniqueId, _Technique]
    cells: dict[str, tuple[_Cell, ...]]


def _prepared(kb: KnowledgeBase) -> _Ranking:
    order = {t: i for i, t in enumerate(kb.tie_break)}
    techniques = {
        t: _Technique(
            name=info.name,
            how=info.how,
            low=info.pressure.min,
            high=info.pressure.max,
            least_pressure=_RANK[info.pressure.min],
            tie_break=order[t],
            evidence=_evidence(info),
        )
        for t, info in kb.techniques.items()
    }
    cells = {
        row.id: tuple(
            (
                t,
                cell.action == "exclude",
                cell.text,
                None if cell.max_pressure is None else _RANK[cell.max_pressure],
            )
            for t, cell in row.cells.items()
        )
        for row in kb.matrix
    }
    return _Ranking(techniques, cells)


def recommend(
    facts: Facts,
    kb: KnowledgeBase,
    *,
    pressure_preference: Pressure,
    session_minutes: str,
    learned: Mapping[TechniqueId, LearnedResponse] | None = None,
) -> tuple[list[Recommendation], list[Exclusion], list[str]]:
    """Rank the allowed techniques; return (recommendations, excluded, rule ids fired)."""
    prepared = kb.prepared(_prepared)
    techniques = prepared.techniques
    drafts = {t: _Draft() for t in TECHNIQUES}
    fired: list[str] = []
    for row in kb.matching(kb.matrix, facts):
        fired.append(row.id)
        for technique, excludes, text, cap in prepared.cells[row.id]:
            draft = drafts[technique]
            if excludes:
                draft.excluded.append(text)
            else:
                if text not in draft.precautions:
                    draft.precautions.append(text)
                if cap is not None:
                    draft.max_pressure = min(draft.max_pressure, cap)
                    draft.cap_texts.append(text)
    for adjustment in kb.matching(kb.adjustments, facts):
        fired.append(adjustment.id)
        for technique, weight in adjustment.effects.items():
            draft = drafts[technique]
            draft.score += weight
            text = adjustment.favour if weight > 0 else adjustment.disfavour
            if text:
                draft.reasons.append(text)
                if weight < 0:
                    draft.against.append(text)
    for technique, signal in (learned or {}).items():
        if drafts[technique].excluded:
            continue  # what helped never re-admits a technique excluded for safety
        drafts[technique].score += kb.outcome_weight.get(signal.response, 0)
        drafts[technique].reasons.insert(0, signal.reason)
        if kb.outcome_weight.get(signal.response, 0) < 0:
            drafts[technique].against.insert(0, signal.reason)
        fired.append(f"LEARNED-{technique.upper()}-{signal.response.upper()}")
    allowed = sorted(
        (t for t in TECHNIQUES if not drafts[t].excluded),
        key=lambda t: (-drafts[t].score, techniques[t].tie_break),
    )
    fits = _fit_bands(allowed, drafts, kb)
    # Each good fit's one reason is, where it can be, one that no other good fit gives.
    common: dict[str, int] = {}
    for t in allowed:
        if fits[t]:
            for r in set(_in_favour(drafts[t])):
                common[r] = common.get(r, 0) + 1
    recommendations: list[Recommendation] = []
    for rank, technique in enumerate(allowed, start=1):
        info, draft = techniques[technique], drafts[technique]
        good = fits[technique]
        reasons = draft.reasons or [NEUTRAL_REASON]
        if good:
            fit_reason = min(_in_favour(draft), key=lambda r: common[r])
        elif draft.against:
            fit_reason = draft.against[0]
        elif draft.max_pressure < info.least_pressure:
            fit_reason = draft.cap_texts[0]
        else:
            fit_reason = reasons[0]
        # Built without validating again: every value is fresh or the knowledge base's own.
        fields = {
            "technique": technique,
            "name": info.name,
            "rank": rank,
            "score": draft.score,
            "reasons": draft.reasons or [NEUTRAL_REASON],
            "precautions": draft.precautions,
            "pressure": _pressure(pressure_preference, info.low, info.high, draft.max_pressure),
            "session_minutes": session_minutes,
            "how": info.how,
            "evidence": info.evidence,
            "fit": "good_fit" if good else "also_possible",
            "fit_reason": fit_reason,
            "against": draft.against,
        }
        recommendations.append(trusted(Recommendation, fields))
    excluded = [
        trusted(
            Exclusion,
            {
                "technique": t,
                "name": techniques[t].name,
                "reasons": drafts[t].excluded,
                "fit": "not_for_you_now",
            },
        )
        for t in TECHNIQUES
        if drafts[t].excluded
    ]
    return recommendations, excluded, fired


def exclude_all(kb: KnowledgeBase, reasons: list[str]) -> list[Exclusion]:
    """Every technique excluded for the same reasons (a massage hold)."""
    return kb.memo(("exclude_all", *reasons), partial(_exclude_all, kb, reasons))


def _exclude_all(kb: KnowledgeBase, reasons: list[str]) -> list[Exclusion]:
    return [
        trusted(
            Exclusion,
            {
                "technique": t,
                "name": kb.techniques[t].name,
                "reasons": list(reasons),
                "fit": "not_for_you_now",
            },
        )
        for t in TECHNIQUES
    ]
