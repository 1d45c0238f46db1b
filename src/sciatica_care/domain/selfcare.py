"""The self-care plan that goes with every massage plan: exercise, heat, activity, medicines.

At the emergency level there is no self-care list (the only advice is to go now); at the
urgent level only the safe holding advice is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple

from sciatica_care.domain.kb import KnowledgeBase, SelfCareItem
from sciatica_care.domain.result import AvoidedExercise, SelfCareAdvice, trusted
from sciatica_care.domain.rules import Facts
from sciatica_care.domain.selfcare_code import Chooser, chooser

#: One self-care item prepared once per knowledge base, with the notes that apply (one of its
#: variants, below): its advice and sentence, its id, its place in the knowledge base's list,
#: whether it is a stretch, and the item.
_Item = tuple[SelfCareAdvice, str, str, int, bool, SelfCareItem]


class PreparedSelfCare(NamedTuple):
    """For each group of items that may be given (holding advice only, massage on hold), one
    generated function choosing among them (``selfcare_code.chooser``); each item it chooses
    comes with its notes (``modify``) already applied."""

    choose: dict[tuple[bool, bool], Chooser[_Item]]
    #: An exercise to avoid, by (its item's place, the reasons): built once each (the reasons
    #: are the knowledge base's texts, in its order, so there are only so many).
    avoided: dict[tuple[Any, ...], AvoidedExercise]


def _variants(n: int, item: SelfCareItem) -> list[_Item]:
    """The item prepared once for each combination of its notes that may apply: at place
    ``mask``, the notes whose bit is set in ``mask``, in the item's order (no note first)."""
    stretch = item.kind == "stretch"
    out: list[_Item] = []
    for mask in range(2 ** len(item.modify)):
        notes = [m.text for j, m in enumerate(item.modify) if mask >> j & 1]
        advice = _advice(item, notes)
        out.append((advice, sentence(advice), item.id, n, stretch, item))
    return out


def prepare_self_care(kb: KnowledgeBase) -> PreparedSelfCare:
    variants = [_variants(n, item) for n, item in enumerate(kb.self_care)]
    choose = {}
    for holding_only in (False, True):
        for hold in (False, True):
            group = [
                n
                for n, item in enumerate(kb.self_care)
                if not (holding_only and not item.holding)
                and not (item.only_when_held and not hold)
                and not (item.about_massage and hold)
            ]
            choose[holding_only, hold] = chooser(
                [kb.self_care[n] for n in group], [variants[n] for n in group]
            )
    return PreparedSelfCare(choose, {})


def _advice(item: SelfCareItem, notes: list[str]) -> SelfCareAdvice:
    return trusted(
        SelfCareAdvice,
        {
            "id": item.id,
            "kind": item.kind,
            "title": item.title,
            "text": item.text,
            "dose": item.dose,
            "stop_if": item.stop_if,
            "notes": list(notes),
            "sources": list(item.sources),
        },
    )


def _avoided(item: SelfCareItem, reasons: list[str]) -> AvoidedExercise:
    return trusted(AvoidedExercise, {"id": item.id, "title": item.title, "reasons": reasons})


class SelfCarePlan(NamedTuple):
    """The self-care part of a result: advice, as sentences, exercises to avoid, rules fired."""

    advice: list[SelfCareAdvice]
    sentences: list[str]
    avoided: list[AvoidedExercise]
    fired: list[str]


def self_care_plan(facts: Facts, kb: KnowledgeBase, *, level: str, hold: bool) -> SelfCarePlan:
    """Choose self-care for ``facts``: the advice, its sentences, what to avoid, the rules."""
    if level == "emergency":
        return SelfCarePlan([], [], [], [])
    return SelfCarePlan(
        *self_care_of(kb.prepared(prepare_self_care), facts.tokens, facts.numbers, level, hold)
    )


def self_care_of(
    prepared: PreparedSelfCare,
    tokens: AbstractSet[str],
    numbers: Mapping[str, float],
    level: str,
    hold: bool,
) -> tuple[list[SelfCareAdvice], list[str], list[AvoidedExercise], list[str]]:
    """:func:`self_care_plan` for the fact tokens and numbers, with the items prepared
    (``evaluate`` fetches all it prepares at once): a plain tuple of the plan's parts, in its
    order (a named tuple costs more to make)."""
    if level == "emergency":
        return [], [], [], []
    holding_only = level == "urgent"
    advice, sentences, ids, first, to_avoid, defaults, suiting = prepared.choose[
        holding_only, hold
    ](tokens, numbers)
    avoided: list[AvoidedExercise] = []
    if to_avoid:
        made_avoided = prepared.avoided
        for row, reasons in to_avoid:
            key = (row[3], *reasons)
            exercise = made_avoided.get(key)
            if exercise is None:
                exercise = made_avoided[key] = _avoided(row[5], reasons)
            avoided.append(exercise)
    # Nobody leaves without something to do: if no stretch fits their areas, give the defaults
    # (before the first stretch given, or at the end).
    if not holding_only and not suiting and defaults:
        at = len(advice) if first is None else first
        advice[at:at] = [row[0] for row in defaults]
        sentences[at:at] = [row[1] for row in defaults]
        ids[at:at] = [row[2] for row in defaults]
    return advice, sentences, avoided, ids


def plan_self_care(
    facts: Facts, kb: KnowledgeBase, *, level: str, hold: bool
) -> tuple[list[SelfCareAdvice], list[AvoidedExercise], list[str]]:
    """Choose self-care for ``facts``; return (advice, exercises to avoid, rule ids fired)."""
    plan = self_care_plan(facts, kb, level=level, hold=hold)
    return plan.advice, plan.avoided, plan.fired


def sentence(advice: SelfCareAdvice) -> str:
    """One self-care item as a plain sentence."""
    parts = [f"{advice.title}: {advice.text}"]
    if advice.dose:
        parts.append(f"{advice.dose}.")
    parts.extend(advice.notes)
    if advice.stop_if:
        parts.append(advice.stop_if)
    return " ".join(parts)


def as_sentences(advice: list[SelfCareAdvice]) -> list[str]:
    """The self-care plan as plain sentences: the ``self_care`` field of the contract."""
    return [sentence(a) for a in advice]
