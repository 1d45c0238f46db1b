"""The self-care plan that goes with every massage plan: exercise, heat, activity, medicines.

At the emergency level there is no self-care list (the only advice is to go now); at the
urgent level only the safe holding advice is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from sciatica_care.domain.kb import KnowledgeBase, SelfCareItem
from sciatica_care.domain.result import AvoidedExercise, SelfCareAdvice, trusted
from sciatica_care.domain.rule_code import Matcher, matcher
from sciatica_care.domain.rules import Facts


@dataclass(frozen=True, slots=True)
class _Item:
    """One self-care item prepared once per knowledge base: which of its conditions there are,
    and its advice and sentence for when no note applies (most people, most items)."""

    item: SelfCareItem
    #: Its place in the knowledge base's list (the key of its conditions' answers).
    at: int
    conditional: bool
    stretch: bool
    suits: bool
    plain: SelfCareAdvice
    sentence: str


#: What one of an item's conditions says when it holds: (kind, the item's place, the text).
#: Kinds: "when" (the item is given), "suits" (the stretch suits), "avoid" (a reason to avoid
#: the stretch), "modify" (a note).
_Held = tuple[str, int, str]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """The items that may be given, by (holding advice only, massage on hold), and one
    generated function answering every condition of every item (``rule_code.matcher``)."""

    groups: dict[tuple[bool, bool], list[_Item]]
    held: Matcher[_Held]


def _prepared(kb: KnowledgeBase) -> _Prepared:
    items = [
        _Item(
            item=item,
            at=n,
            conditional=item.when is not None,
            stretch=item.kind == "stretch",
            suits=item.suits is not None,
            plain=(plain := _advice(item, [])),
            sentence=sentence(plain),
        )
        for n, item in enumerate(kb.self_care)
    ]
    conditions: list[Any] = []
    said: list[_Held] = []
    for n, item in enumerate(kb.self_care):
        parts = [("when", item.when, ""), ("suits", item.suits, "")]
        parts += [("avoid", a.when, a.reason) for a in item.avoid]
        parts += [("modify", m.when, m.text) for m in item.modify]
        for kind, spec, text in parts:
            if spec is not None or kind in ("avoid", "modify"):
                conditions.append(spec)
                said.append((kind, n, text))
    groups = {
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
    return _Prepared(groups, matcher(conditions, said))


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
    prepared = kb.prepared(_prepared)
    # Every item's conditions are answered at once; most people meet few of them.
    given: set[int] = set()
    suited: set[int] = set()
    avoid: dict[int, list[str]] = {}
    notes: dict[int, list[str]] = {}
    for kind, at, text in prepared.held(facts.tokens, facts.numbers):
        if kind == "when":
            given.add(at)
        elif kind == "suits":
            suited.add(at)
        else:
            (avoid if kind == "avoid" else notes).setdefault(at, []).append(text)
    chosen: list[_Item] = []
    avoided: list[AvoidedExercise] = []
    defaults: list[_Item] = []
    suiting = False  # a stretch chosen because it suits this person
    for p in prepared.groups[holding_only, hold]:
        if p.conditional and p.at not in given:
            continue
        if p.stretch:
            if p.at in avoid:
                avoided.append(
                    trusted(
                        AvoidedExercise,
                        {"id": p.item.id, "title": p.item.title, "reasons": avoid[p.at]},
                    )
                )
                continue
            if p.suits:
                if p.at not in suited:
                    if p.item.default:
                        defaults.append(p)
                    continue
                suiting = True
        chosen.append(p)
    # Nobody leaves without something to do: if no stretch fits their areas, give the defaults.
    if not holding_only and not suiting:
        at = next((n for n, p in enumerate(chosen) if p.stretch), len(chosen))
        chosen[at:at] = defaults
    advice: list[SelfCareAdvice] = []
    sentences: list[str] = []
    for p in chosen:
        if p.at in notes:
            # A person-specific note: built once per knowledge base and set of notes.
            said = notes[p.at]
            key = ("care_with_notes", p.item.id, *said)
            one, line = kb.memo(key, partial(_with_notes, p.item, said))
        else:
            one, line = p.plain, p.sentence
        advice.append(one)
        sentences.append(line)
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
