"""Which techniques fit this person, ranked, and which to avoid and why.

Exclusions and precautions come from the contraindication matrix; the order comes from the
ranking adjustments, each adding a plain-language reason. Each technique ends up exactly once,
either in the recommendations or in the excluded list. The fit bands (``FIT_RULES``) then tell
the recommendations apart: "good fit" or "also possible"; an excluded one is "not for you now".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from sciatica_care.domain.kb import KnowledgeBase, Technique
from sciatica_care.domain.result import EvidenceSummary, Exclusion, Recommendation, trusted
from sciatica_care.domain.rule_code import Matcher, matcher
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


_RANK = {p: n for n, p in enumerate(PRESSURES)}
#: The pressure of a technique no precaution caps (the strongest).
_UNCAPPED = len(PRESSURES) - 1


def _evidence(info: Technique) -> EvidenceSummary:
    e = info.evidence
    return trusted(
        EvidenceSummary, {"grade": e.grade, "summary": e.summary, "sources": list(e.sources)}
    )


_NEUTRAL = (NEUTRAL_REASON,)


class _Technique(NamedTuple):
    """A technique prepared once per knowledge base for ranking and for its recommendation."""

    name: str
    how: str
    least_pressure: int
    #: The pressure rank for each preference, within the technique's own range.
    pressure: dict[str, int]
    tie_break: int
    evidence: EvidenceSummary


#: A matrix cell prepared: (technique, excludes it, text, pressure cap or None).
_Cell = tuple[TechniqueId, bool, str, int | None]
#: An adjustment's effect prepared: (technique, weight, reason or "", whether it argues against).
_Effect = tuple[TechniqueId, int, str, bool]
#: What a matching matrix row or adjustment brings: (its id, its cells, its effects).
_Rule = tuple[str, tuple[_Cell, ...], tuple[_Effect, ...]]


class _Ranking(NamedTuple):
    techniques: dict[TechniqueId, _Technique]
    tie_break: dict[TechniqueId, int]
    #: The matrix rows, then the adjustments, matched by one generated function.
    rules: Matcher[_Rule]


def _prepared(kb: KnowledgeBase) -> _Ranking:
    order = {t: i for i, t in enumerate(kb.tie_break)}
    techniques = {
        t: _Technique(
            name=info.name,
            how=info.how,
            least_pressure=_RANK[info.pressure.min],
            pressure={
                p: max(_RANK[info.pressure.min], min(_RANK[p], _RANK[info.pressure.max]))
                for p in PRESSURES
            },
            tie_break=order[t],
            evidence=_evidence(info),
        )
        for t, info in kb.techniques.items()
    }
    rules: list[_Rule] = [
        (
            row.id,
            tuple(
                (
                    t,
                    cell.action == "exclude",
                    cell.text,
                    None if cell.max_pressure is None else _RANK[cell.max_pressure],
                )
                for t, cell in row.cells.items()
            ),
            (),
        )
        for row in kb.matrix
    ]
    rules += [
        (
            a.id,
            (),
            tuple(
                (t, weight, a.favour if weight > 0 else a.disfavour, weight < 0)
                for t, weight in a.effects.items()
            ),
        )
        for a in kb.adjustments
    ]
    conditions = [r.when for r in kb.matrix] + [a.when for a in kb.adjustments]
    tie_break = {t: techniques[t].tie_break for t in TECHNIQUES}
    return _Ranking(techniques, tie_break, matcher(conditions, rules))


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
    # Per technique: the score, the reasons (those arguing against it apart too), the
    # precautions, the strongest pressure allowed and the first text that capped it, and the
    # reasons it is excluded (only for an excluded technique).
    score = dict.fromkeys(TECHNIQUES, 0)
    reasons: dict[str, list[str]] = {}
    against: dict[str, list[str]] = {}
    precautions: dict[str, list[str]] = {}
    for t in TECHNIQUES:  # (one loop, not three comprehensions: this runs per evaluation)
        reasons[t], against[t], precautions[t] = [], [], []
    most = dict.fromkeys(TECHNIQUES, _UNCAPPED)
    capped_by: dict[str, str] = {}
    excluded: dict[str, list[str]] = {}
    fired: list[str] = []
    for rule_id, cells, effects in prepared.rules(facts.tokens, facts.numbers):
        fired.append(rule_id)
        for technique, excludes, text, cap in cells:
            if excludes:
                excluded.setdefault(technique, []).append(text)
                continue
            said = precautions[technique]
            if text not in said:
                said.append(text)
            if cap is not None:
                if cap < most[technique]:
                    most[technique] = cap
                capped_by.setdefault(technique, text)
        for technique, weight, text, argues_against in effects:
            score[technique] += weight
            if text:
                reasons[technique].append(text)
                if argues_against:
                    against[technique].append(text)
    for technique, signal in (learned or {}).items():
        if technique in excluded:
            continue  # what helped never re-admits a technique excluded for safety
        weight = kb.outcome_weight.get(signal.response, 0)
        score[technique] += weight
        reasons[technique].insert(0, signal.reason)
        if weight < 0:
            against[technique].insert(0, signal.reason)
        fired.append(f"LEARNED-{technique.upper()}-{signal.response.upper()}")
    # Best score first, ties in the knowledge base's order (the sort is stable).
    allowed = sorted(
        [t for t in TECHNIQUES if t not in excluded] if excluded else TECHNIQUES,
        key=prepared.tie_break.__getitem__,
    )
    allowed.sort(key=score.__getitem__, reverse=True)
    # The fit bands (FIT_RULES): good fits lead, at most so many, each clearly favoured.
    best = score[allowed[0]] if allowed else 0
    good: list[str] = []
    for rank, technique in enumerate(allowed, start=1):
        if not (
            len(good) == rank - 1  # every technique ranked above is a good fit too
            and len(good) < FIT_RULES.most_good_fits
            and score[technique] >= FIT_RULES.least_score
            and score[technique] >= best - FIT_RULES.within_best
            and not against[technique]
            and most[technique] >= techniques[technique].least_pressure
        ):
            break
        good.append(technique)
    # Each good fit's one reason is, where it can be, one that no other good fit gives. (Nothing
    # argues against a good fit: all its reasons are in its favour.)
    common: dict[str, int] = {}
    for fit in good:
        for r in set(reasons[fit] or _NEUTRAL):
            common[r] = common.get(r, 0) + 1
    recommendations: list[Recommendation] = []
    for rank, technique in enumerate(allowed, start=1):
        info = techniques[technique]
        said = reasons[technique] or [NEUTRAL_REASON]
        if rank <= len(good):
            fit_reason = min(said, key=common.__getitem__)
        elif against[technique]:
            fit_reason = against[technique][0]
        elif most[technique] < info.least_pressure:
            fit_reason = capped_by[technique]
        else:
            fit_reason = said[0]
        # Built without validating again: every value is fresh or the knowledge base's own.
        fields = {
            "technique": technique,
            "name": info.name,
            "rank": rank,
            "score": score[technique],
            "reasons": said,
            "precautions": precautions[technique],
            "pressure": PRESSURES[min(info.pressure[pressure_preference], most[technique])],
            "session_minutes": session_minutes,
            "how": info.how,
            "evidence": info.evidence,
            "fit": "good_fit" if rank <= len(good) else "also_possible",
            "fit_reason": fit_reason,
            "against": against[technique],
        }
        recommendations.append(trusted(Recommendation, fields))
    excluded_list = (
        [
            trusted(
                Exclusion,
                {
                    "technique": t,
                    "name": techniques[t].name,
                    "reasons": excluded[t],
                    "fit": "not_for_you_now",
                },
            )
            for t in TECHNIQUES
            if t in excluded
        ]
        if excluded
        else []
    )
    return recommendations, excluded_list, fired


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
