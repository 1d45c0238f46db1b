"""What the result page shows first, and what it says once: a view over the ``Result``.

The result contract stays as the clinical core gives it; this module only arranges it for the
page: the "good fit" techniques for the first screen, three things to do today, precautions
that every technique shares (said once, not under each one) and the sources numbered in the
order the page cites them (one list at the end, linked by number).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.result import Recommendation, Result, SelfCareAdvice
from sciatica_care.domain.vocabulary import LABELS

#: Three things to do today: one way to keep moving, one stretch, one comfort measure (a
#: product rule, expert consensus: keeping active and exercise come before massage).
TODAY_KINDS: tuple[str, ...] = ("activity", "stretch", "heat")


@dataclass(frozen=True, slots=True)
class ResultView:
    """The parts of the result page that are arranged rather than read off the result."""

    best: list[Recommendation]
    today: list[SelfCareAdvice]
    shared_precautions: list[str]
    source_numbers: dict[str, int] = field(default_factory=dict)
    help_now: list[str] = field(default_factory=list)
    help_today: list[str] = field(default_factory=list)
    self_care_groups: list[tuple[str, list[SelfCareAdvice]]] = field(default_factory=list)

    def own_precautions(self, recommendation: Recommendation) -> list[str]:
        """The technique's precautions less those said once for every technique."""
        return [p for p in recommendation.precautions if p not in self.shared_precautions]

    def numbers(self, ids: list[str]) -> list[int]:
        """The numbers of these sources in the list at the end, in order, each once."""
        return sorted({self.source_numbers[i] for i in ids if i in self.source_numbers})


def things_to_do_today(plan: list[SelfCareAdvice], *, count: int = 3) -> list[SelfCareAdvice]:
    """Up to ``count`` items of the self-care plan: one of each of ``TODAY_KINDS`` first (in
    the plan's order), then the next activities or stretches the plan names."""
    chosen: list[SelfCareAdvice] = []
    for kind in TODAY_KINDS:
        first = next((item for item in plan if item.kind == kind), None)
        if first is not None:
            chosen.append(first)
    for item in plan:
        if len(chosen) >= count:
            break
        if item.kind in ("activity", "stretch") and item not in chosen:
            chosen.append(item)
    return chosen[:count]


def _cited(result: Result, today: list[SelfCareAdvice]) -> list[str]:
    """Every source id the page cites, in the order the page shows them."""
    ids: list[str] = []
    for r in result.recommendations:
        ids += r.evidence.sources
    for item in today:
        ids += item.sources
    for item in result.self_care_plan:
        ids += item.sources
    if result.session is not None:
        ids += result.session.sources
    for note in result.evidence:
        ids += note.sources
    return ids


def _groups(plan: list[SelfCareAdvice]) -> list[tuple[str, list[SelfCareAdvice]]]:
    """The self-care plan grouped by kind, in the order each kind first appears."""
    groups: dict[str, list[SelfCareAdvice]] = {}
    for item in plan:
        groups.setdefault(item.kind, []).append(item)
    return list(groups.items())


def result_view(result: Result, kb: KnowledgeBase) -> ResultView:
    """Arrange ``result`` for the page (with no "good fit", the two best-ranked are shown).

    The warning signs are said as two lists (go now / see a doctor today) rather than one
    sentence per sign that repeats the instruction; the result's ``when_to_get_help`` says
    the same in full sentences for the other faces."""
    best = [r for r in result.recommendations if r.fit == "good_fit"]
    if not best:
        best = result.recommendations[:2]
    today = things_to_do_today(result.self_care_plan)
    recs = result.recommendations
    shared = []
    if len(recs) > 1:
        shared = [p for p in recs[0].precautions if all(p in r.precautions for r in recs[1:])]
    numbers: dict[str, int] = {}
    for sid in _cited(result, today):
        numbers.setdefault(sid, len(numbers) + 1)
    flags = LABELS["red_flags"]
    asked = bool(result.when_to_get_help)
    return ResultView(
        best=best,
        today=today,
        shared_precautions=shared,
        source_numbers=numbers,
        help_now=[flags[f] for f in kb.when_to_get_help.emergency] if asked else [],
        help_today=[flags[f] for f in kb.when_to_get_help.urgent] if asked else [],
        self_care_groups=_groups(result.self_care_plan),
    )
