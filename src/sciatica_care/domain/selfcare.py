"""The self-care plan that goes with every massage plan: exercise, heat, activity, medicines.

At the emergency level there is no self-care list (the only advice is to go now); at the
urgent level only the safe holding advice is given.
"""

from __future__ import annotations

from typing import Any

from sciatica_care.domain.kb import KnowledgeBase, SelfCareItem
from sciatica_care.domain.result import AvoidedExercise, SelfCareAdvice
from sciatica_care.domain.rules import Facts


def _advice(item: SelfCareItem, facts: Facts) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "text": item.text,
        "dose": item.dose,
        "stop_if": item.stop_if,
        "notes": [m.text for m in item.modify if m.matches(facts)],
        "sources": item.sources,
    }


def self_care_data(
    facts: Facts, kb: KnowledgeBase, *, level: str, hold: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """:func:`plan_self_care` as plain data, for :func:`~sciatica_care.domain.plan.evaluate` to
    validate once with the whole Result."""
    if level == "emergency":
        return [], [], []
    holding_only = level == "urgent"
    chosen: list[SelfCareItem] = []
    avoided: list[dict[str, Any]] = []
    defaults: list[SelfCareItem] = []
    for item in kb.self_care:
        if holding_only and not item.holding:
            continue
        if (item.only_when_held and not hold) or (item.about_massage and hold):
            continue
        if not item.matches(facts):
            continue
        if item.kind == "stretch":
            reasons = [a.reason for a in item.avoid if a.matches(facts)]
            if reasons:
                avoided.append({"id": item.id, "title": item.title, "reasons": reasons})
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
    advice = [_advice(item, facts) for item in chosen]
    return advice, avoided, [item.id for item in chosen]


def plan_self_care(
    facts: Facts, kb: KnowledgeBase, *, level: str, hold: bool
) -> tuple[list[SelfCareAdvice], list[AvoidedExercise], list[str]]:
    """Choose self-care for ``facts``; return (advice, exercises to avoid, rule ids fired)."""
    advice, avoided, fired = self_care_data(facts, kb, level=level, hold=hold)
    return (
        [SelfCareAdvice.model_validate(a) for a in advice],
        [AvoidedExercise.model_validate(a) for a in avoided],
        fired,
    )


def sentences(advice: list[dict[str, Any]]) -> list[str]:
    """:func:`as_sentences` over the plain data of :func:`self_care_data`."""
    out = []
    for a in advice:
        parts = [f"{a['title']}: {a['text']}"]
        if a["dose"]:
            parts.append(f"{a['dose']}.")
        parts.extend(a["notes"])
        if a["stop_if"]:
            parts.append(a["stop_if"])
        out.append(" ".join(parts))
    return out


def as_sentences(advice: list[SelfCareAdvice]) -> list[str]:
    """The self-care plan as plain sentences: the ``self_care`` field of the contract."""
    return sentences([a.model_dump() for a in advice])
