"""Which techniques fit this person, ranked, and which to avoid and why.

Exclusions and precautions come from the contraindication matrix; the order comes from the
ranking adjustments, each adding a plain-language reason. Each technique ends up exactly once,
either in the recommendations or in the excluded list. The fit bands (``FIT_RULES``) then tell
the recommendations apart: "good fit" or "also possible"; an excluded one is "not for you now".
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sciatica_care.domain.kb import KnowledgeBase, Technique
from sciatica_care.domain.ranking_code import Ranker, Rule, ranker
from sciatica_care.domain.result import (
    EvidenceSummary,
    Exclusion,
    Recommendation,
    trusted,
    trusted_each,
)
from sciatica_care.domain.rules import RED_FLAG_FACTS, Facts
from sciatica_care.domain.vocabulary import (
    CONDITIONS,
    PRESSURES,
    TECHNIQUES,
    Pressure,
    Response,
    TechniqueId,
)


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


def _fields(technique: TechniqueId, info: Technique, evidence: EvidenceSummary) -> dict[str, Any]:
    """A recommendation's fields with the technique's own filled in (``_Technique.fields``)."""
    fields: dict[str, Any] = dict.fromkeys(Recommendation.model_fields)
    fields.update(technique=technique, name=info.name, how=info.how, evidence=evidence)
    return fields


class _Technique(NamedTuple):
    """A technique prepared once per knowledge base for ranking and for its recommendation."""

    id: TechniqueId
    name: str
    how: str
    least_pressure: int
    #: For each preference, the pressure shown under each cap (the preference within the
    #: technique's own range, then at most the cap).
    pressure: dict[str, tuple[str, ...]]
    evidence: EvidenceSummary
    #: A recommendation's fields, in the model's order: the technique's own filled in, the
    #: rest None (``ranked`` sets them on a copy).
    fields: dict[str, Any]


class Ranking(NamedTuple):
    """The techniques and the matrix and adjustments, prepared once per knowledge base
    (``kb.prepared(prepare_ranking)``)."""

    #: The techniques in the vocabulary's order (the places of ``rank``'s answers).
    techniques: tuple[_Technique, ...]
    #: The places of the techniques in the knowledge base's tie-break order.
    order: tuple[int, ...]
    #: The matrix rows, then the adjustments, run by one generated function.
    rank: Ranker
    #: Every technique excluded under a massage hold, by the hold's reasons (built once each).
    held: dict[tuple[str, ...], list[Exclusion]]
    #: One technique excluded by the matrix, by (its place, the reasons): built once each (the
    #: reasons are the matrix's texts, in its order, so there are only so many).
    excluded: dict[tuple[Any, ...], Exclusion]


#: Each technique's place in the answers of the generated ranking function.
_PLACE = {t: i for i, t in enumerate(TECHNIQUES)}
_NONE_EXCLUDED = [None] * len(TECHNIQUES)
#: The facts a condition or a red-flag answer gives (``rules.RED_FLAG_FACTS``).
_CONDITION_OR_RED_FLAG = RED_FLAG_FACTS | {f"condition:{c}" for c in CONDITIONS}


def prepare_ranking(kb: KnowledgeBase) -> Ranking:
    techniques = []
    for t in TECHNIQUES:
        info = kb.techniques[t]
        least, top = _RANK[info.pressure.min], _RANK[info.pressure.max]
        evidence = _evidence(info)
        techniques.append(
            _Technique(
                id=t,
                name=info.name,
                how=info.how,
                least_pressure=least,
                pressure={
                    p: tuple(
                        PRESSURES[min(max(least, min(_RANK[p], top)), cap)]
                        for cap in range(len(PRESSURES))
                    )
                    for p in PRESSURES
                },
                evidence=evidence,
                fields=_fields(t, info, evidence),
            )
        )
    rules: list[Rule] = [
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
    order = tuple(_PLACE[t] for t in kb.tie_break)
    # Most matrix rows need a condition or a red flag, and most people give neither.
    ranked = ranker(conditions, rules, TECHNIQUES, _UNCAPPED, needing=_CONDITION_OR_RED_FLAG)
    return Ranking(tuple(techniques), order, ranked, {}, {})


def recommend(
    facts: Facts,
    kb: KnowledgeBase,
    *,
    pressure_preference: Pressure,
    session_minutes: str,
    learned: Mapping[TechniqueId, LearnedResponse] | None = None,
) -> tuple[list[Recommendation], list[Exclusion], list[str]]:
    """Rank the allowed techniques; return (recommendations, excluded, rule ids fired)."""
    return ranked(
        kb,
        kb.prepared(prepare_ranking),
        facts.tokens,
        facts.numbers,
        pressure_preference,
        session_minutes,
        learned,
    )


def _learn(
    kb: KnowledgeBase,
    learned: Mapping[TechniqueId, LearnedResponse],
    fired: list[str],
    score: list[int],
    reasons: list[list[str]],
    against: list[list[str]],
    excluded: list[list[str] | None],
) -> None:
    """Weigh in what this client's own sessions showed, technique by technique, in place."""
    for technique, signal in learned.items():
        i = _PLACE[technique]
        if excluded[i] is not None:
            continue  # what helped never re-admits a technique excluded for safety
        weight = kb.outcome_weight.get(signal.response, 0)
        score[i] += weight
        reasons[i].insert(0, signal.reason)
        if weight < 0:
            against[i].insert(0, signal.reason)
        fired.append(f"LEARNED-{technique.upper()}-{signal.response.upper()}")


def ranked(
    kb: KnowledgeBase,
    prepared: Ranking,
    tokens: AbstractSet[str],
    numbers: Mapping[str, float],
    pressure_preference: Pressure,
    session_minutes: str,
    learned: Mapping[TechniqueId, LearnedResponse] | None,
) -> tuple[list[Recommendation], list[Exclusion], list[str]]:
    """:func:`recommend` for the fact tokens and numbers, with the ranking prepared
    (``evaluate`` fetches all it prepares at once)."""
    techniques = prepared.techniques
    # Per technique (by place): the score, the reasons (those arguing against it apart too),
    # the precautions, the strongest pressure allowed and the first text that capped it, and
    # the reasons it is excluded (None for an allowed technique).
    fired, score, reasons, against, precautions, most, capped_by, excluded = prepared.rank(
        tokens, numbers
    )
    if learned:
        _learn(kb, learned, fired, score, reasons, against, excluded)
    # Best score first, ties in the knowledge base's order (the sort is stable).
    if excluded == _NONE_EXCLUDED:
        allowed = list(prepared.order)
    else:
        allowed = [i for i in prepared.order if excluded[i] is None]
    allowed.sort(key=score.__getitem__, reverse=True)
    # The fit bands (FIT_RULES): good fits lead, at most so many, each clearly favoured: the
    # first ``goods`` allowed techniques (every technique ranked above a good fit is one too).
    least_score, most_good_fits = FIT_RULES.least_score, FIT_RULES.most_good_fits
    within = (score[allowed[0]] if allowed else 0) - FIT_RULES.within_best
    goods = 0
    for i in allowed:
        if (
            goods == most_good_fits
            or score[i] < least_score
            or score[i] < within
            or against[i]
            or most[i] < techniques[i].least_pressure
        ):
            break
        goods += 1
    # Each good fit's one reason is, where it can be, one that no other good fit gives. (Nothing
    # argues against a good fit: all its reasons are in its favour.)
    # (With one good fit, every one of its reasons is given by it alone: its first is taken.)
    common: dict[str, int] = {}
    if goods > 1:
        for i in allowed[:goods]:
            for r in set(reasons[i] or _NEUTRAL):
                common[r] = common.get(r, 0) + 1
    each: list[dict[str, Any]] = []  # the recommendations' fields
    for rank, i in enumerate(allowed, 1):
        info = techniques[i]
        said = reasons[i] or [NEUTRAL_REASON]
        if rank <= goods:
            fit_reason = min(said, key=common.__getitem__) if goods > 1 else said[0]
        elif against[i]:
            fit_reason = against[i][0]
        elif most[i] < info.least_pressure:
            fit_reason = cast(str, capped_by[i])  # (capped: the text that capped it is kept)
        else:
            fit_reason = said[0]
        # Built without validating again: every value is fresh or the knowledge base's own. A
        # copy of the technique's own fields (their order the model's) costs less than a new
        # dict of them all.
        fields = info.fields.copy()
        fields["rank"] = rank
        fields["score"] = score[i]
        fields["reasons"] = said
        fields["precautions"] = precautions[i]
        fields["pressure"] = info.pressure[pressure_preference][most[i]]
        fields["session_minutes"] = session_minutes
        fields["fit"] = "good_fit" if rank <= goods else "also_possible"
        fields["fit_reason"] = fit_reason
        fields["against"] = against[i]
        each.append(fields)
    if excluded == _NONE_EXCLUDED:
        return trusted_each(Recommendation, each), [], fired
    made = prepared.excluded
    exclusions: list[Exclusion] = []
    for i, reasons_out in enumerate(excluded):
        if reasons_out is not None:
            key = (i, *reasons_out)
            exclusion = made.get(key)
            if exclusion is None:
                exclusion = made[key] = _exclusion(techniques[i], reasons_out)
            exclusions.append(exclusion)
    return trusted_each(Recommendation, each), exclusions, fired


def _exclusion(technique: _Technique, reasons: list[str]) -> Exclusion:
    return trusted(
        Exclusion,
        {
            "technique": technique.id,
            "name": technique.name,
            "reasons": reasons,
            "fit": "not_for_you_now",
        },
    )


def exclude_all(kb: KnowledgeBase, reasons: list[str]) -> list[Exclusion]:
    """Every technique excluded for the same reasons (a massage hold), built once per reasons
    (the same list each time: the caller copies it)."""
    held = kb.prepared(prepare_ranking).held
    key = tuple(reasons)
    out = held.get(key)
    if out is None:
        out = held[key] = _exclude_all(kb, reasons)
    return out


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
