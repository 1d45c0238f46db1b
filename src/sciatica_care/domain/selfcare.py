"""The self-care plan that goes with every massage plan: exercise, heat, activity, medicines.

At the emergency level there is no self-care list (the only advice is to go now); at the
urgent level only the safe holding advice is given.
"""

from __future__ import annotations

from functools import partial

from sciatica_care.domain.kb import KnowledgeBase, SelfCareItem
from sciatica_care.domain.result import AvoidedExercise, SelfCareAdvice
from sciatica_care.domain.rules import Facts


def _advice(item: SelfCareItem, notes: list[str]) -> SelfCareAdvice:
    return SelfCareAdvice(
        id=item.id,
        kind=item.kind,
        title=item.title,
        text=item.text,
        dose=item.dose,
        stop_if=item.stop_if,
        notes=notes,
        sources=item.sources,
    )


def _advice_for(item: SelfCareItem, facts: Facts, kb: KnowledgeBase) -> SelfCareAdvice:
    notes = [m.text for m in item.modify if m.matches(facts)]
    # Most items carry no person-specific note: build those once per knowledge base.
    return kb.memo(("care", item.id, *notes), partial(_advice, item, notes))


def plan_self_care(
    facts: Facts, kb: KnowledgeBase, *, level: str, hold: bool
) -> tuple[list[SelfCareAdvice], list[AvoidedExercise], list[str]]:
    """Choose self-care for ``facts``; return (advice, exercises to avoid, rule ids fired)."""
    if level == "emergency":
        return [], [], []
    holding_only = level == "urgent"
    chosen: list[SelfCareItem] = []
    avoided: list[AvoidedExercise] = []
    defaults: list[SelfCareItem] = []
    for item in kb.matching(kb.self_care, facts):
        if holding_only and not item.holding:
            continue
        if (item.only_when_held and not hold) or (item.about_massage and hold):
            continue
        if item.kind == "stretch":
            reasons = [a.reason for a in item.avoid if a.matches(facts)]
            if reasons:
                avoided.append(AvoidedExercise(id=item.id, title=item.title, reasons=reasons))
                continue
            if item.suits is not None and not item.suited(facts):
                if item.default:
                    defaults.append(item)
                continue
        chosen.append(item)
    # Nobody leaves without something to do: if no stretch fits their areas, give the defaults.
    if not holding_only and not any(i.kind == "stretch" and i.suits is not None for i in chosen):
        at = next((n for n, i in enumerate(chosen) if i.kind == "stretch"), len(chosen))
        chosen[at:at] = defaults
    advice = [_advice_for(item, facts, kb) for item in chosen]
    return advice, avoided, [item.id for item in chosen]


def sentence(advice: SelfCareAdvice) -> str:
    """One self-care item as a plain sentence."""
    parts = [f"{advice.title}: {advice.text}"]
    if advice.dose:
        parts.append(f"{advice.dose}.")
    parts.extend(advice.notes)
    if advice.stop_if:
        parts.append(advice.stop_if)
    return " ".join(parts)


def as_sentences(advice: list[SelfCareAdvice], kb: KnowledgeBase | None = None) -> list[str]:
    """The self-care plan as plain sentences: the ``self_care`` field of the contract."""
    if kb is None:
        return [sentence(a) for a in advice]
    return [kb.memo(("sentence", a.id, *a.notes), partial(sentence, a)) for a in advice]
