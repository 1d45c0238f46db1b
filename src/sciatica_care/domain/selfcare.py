"""The self-care plan that goes with every massage plan: exercise, heat, activity, medicines.

At the emergency level there is no self-care list (the only advice is to go now); at the
urgent level only the safe holding advice is given.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from sciatica_care.domain.kb import KnowledgeBase, SelfCareItem
from sciatica_care.domain.result import AvoidedExercise, SelfCareAdvice, trusted
from sciatica_care.domain.rules import Facts, Predicate, guard_of

#: A condition prepared for evaluation: its guard (``rules.guard_of``) and its predicate.
_Test = tuple[frozenset[str] | None, Predicate | None]


def _holds(test: _Test, facts: Facts) -> bool:
    guard, predicate = test
    if guard is not None and guard.isdisjoint(facts.tokens):
        return False
    return predicate is None or predicate(facts)


class _Item(NamedTuple):
    """One self-care item prepared once per knowledge base: its conditions as tests, and its
    advice and sentence for when no note applies (most people, most items)."""

    item: SelfCareItem
    when: _Test
    stretch: bool
    suits: _Test | None
    avoid: tuple[tuple[_Test, str], ...]
    modify: tuple[tuple[_Test, str], ...]
    plain: SelfCareAdvice
    sentence: str


def _test(spec: object, private: dict[str, object] | None, slot: str = "_predicate") -> _Test:
    """The test of one condition of an entry: its guard and its compiled predicate."""
    predicate = (private or {}).get(slot)
    return guard_of(spec), predicate  # type: ignore[return-value]


def _prepare_item(item: SelfCareItem) -> _Item:
    plain = _advice(item, [])
    return _Item(
        item=item,
        when=_test(item.when, item.__pydantic_private__),
        stretch=item.kind == "stretch",
        suits=None
        if item.suits is None
        else _test(item.suits, item.__pydantic_private__, "_suits"),
        avoid=tuple((_test(a.when, a.__pydantic_private__), a.reason) for a in item.avoid),
        modify=tuple((_test(m.when, m.__pydantic_private__), m.text) for m in item.modify),
        plain=plain,
        sentence=sentence(plain),
    )


def _prepared(kb: KnowledgeBase) -> dict[tuple[bool, bool], list[_Item]]:
    """The items that may be given, by (urgent: holding advice only, massage on hold)."""
    items = [_prepare_item(item) for item in kb.self_care]
    return {
        (holding_only, hold): [
            p
            for p in items
            if not (holding_only and not p.item.holding)
            and not (p.item.only_when_held and not hold)
            and not (p.item.about_massage and hold)
        ]
        for holding_only in (False, True)
        for hold in (False, True)
    }


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


def _with_notes(item: SelfCareItem, notes: list[str]) -> tuple[SelfCareAdvice, str]:
    advice = _advice(item, notes)
    return advice, sentence(advice)


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
    holding_only = level == "urgent"
    chosen: list[_Item] = []
    avoided: list[AvoidedExercise] = []
    defaults: list[_Item] = []
    tokens = facts.tokens
    for p in kb.prepared(_prepared)[holding_only, hold]:
        guard, predicate = p.when  # most items hold for everyone: no call for those
        if guard is not None and guard.isdisjoint(tokens):
            continue
        if predicate is not None and not predicate(facts):
            continue
        if p.stretch:
            reasons = [reason for test, reason in p.avoid if _holds(test, facts)]
            if reasons:
                avoided.append(
                    trusted(
                        AvoidedExercise,
                        {"id": p.item.id, "title": p.item.title, "reasons": reasons},
                    )
                )
                continue
            if p.suits is not None and not _holds(p.suits, facts):
                if p.item.default:
                    defaults.append(p)
                continue
        chosen.append(p)
    # Nobody leaves without something to do: if no stretch fits their areas, give the defaults.
    if not holding_only and not any(p.stretch and p.suits is not None for p in chosen):
        at = next((n for n, p in enumerate(chosen) if p.stretch), len(chosen))
        chosen[at:at] = defaults
    advice: list[SelfCareAdvice] = []
    sentences: list[str] = []
    for p in chosen:
        if p.modify and (notes := [text for test, text in p.modify if _holds(test, facts)]):
            # A person-specific note: built once per knowledge base and set of notes.
            key = ("care_with_notes", p.item.id, *notes)
            one, said = kb.memo(key, partial(_with_notes, p.item, notes))
        else:
            one, said = p.plain, p.sentence
        advice.append(one)
        sentences.append(said)
    return SelfCarePlan(advice, sentences, avoided, [p.item.id for p in chosen])


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
