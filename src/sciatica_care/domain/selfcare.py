"""The self-care plan that goes with every massage plan: exercise, heat, activity, medicines.

At the emergency level there is no self-care list (the only advice is to go now); at the
urgent level only the safe holding advice is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import NamedTuple

from sciatica_care.domain.kb import KnowledgeBase, SelfCareItem
from sciatica_care.domain.result import AvoidedExercise, SelfCareAdvice, trusted
from sciatica_care.domain.rule_code import Matcher, matcher
from sciatica_care.domain.rules import Facts
from sciatica_care.domain.selfcare_code import Chooser, chooser


@dataclass(frozen=True, slots=True)
class _Item:
    """One self-care item prepared once per knowledge base, with its advice and sentence for
    when no note applies (most people, most items)."""

    item: SelfCareItem
    #: Its place in the knowledge base's list (the key of its notes).
    at: int
    id: str
    stretch: bool
    plain: SelfCareAdvice
    sentence: str


_PLAIN = attrgetter("plain")
_SENTENCE = attrgetter("sentence")
_ID = attrgetter("id")
_AT = attrgetter("at")


@dataclass(frozen=True, slots=True)
class _Prepared:
    """For each group of items that may be given (holding advice only, massage on hold), one
    generated function choosing among them (``selfcare_code.chooser``); and one answering
    every item's notes (``modify``) at once: (the item's place, the note)."""

    choose: dict[tuple[bool, bool], Chooser[_Item]]
    notes: Matcher[tuple[int, str]]


def _prepared(kb: KnowledgeBase) -> _Prepared:
    items = [
        _Item(
            item=item,
            at=n,
            id=item.id,
            stretch=item.kind == "stretch",
            plain=(plain := _advice(item, [])),
            sentence=sentence(plain),
        )
        for n, item in enumerate(kb.self_care)
    ]
    modify = [(n, m) for n, item in enumerate(kb.self_care) for m in item.modify]
    choose = {
        (holding_only, hold): chooser(
            [
                p
                for p in items
                if not (holding_only and not p.item.holding)
                and not (p.item.only_when_held and not hold)
                and not (p.item.about_massage and hold)
            ]
        )
        for holding_only in (False, True)
        for hold in (False, True)
    }
    return _Prepared(choose, matcher([m.when for _, m in modify], [(n, m.text) for n, m in modify]))


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
    chosen, to_avoid, defaults, suiting = prepared.choose[holding_only, hold](
        facts.tokens, facts.numbers
    )
    avoided = [
        trusted(AvoidedExercise, {"id": p.id, "title": p.item.title, "reasons": reasons})
        for p, reasons in to_avoid
    ]
    # Nobody leaves without something to do: if no stretch fits their areas, give the defaults.
    if not holding_only and not suiting:
        at = next((n for n, p in enumerate(chosen) if p.stretch), len(chosen))
        chosen[at:at] = defaults
    notes: dict[int, list[str]] = {}
    for at, text in prepared.notes(facts.tokens, facts.numbers):
        notes.setdefault(at, []).append(text)
    advice, sentences = list(map(_PLAIN, chosen)), list(map(_SENTENCE, chosen))
    if notes:  # a person-specific note: its advice built once per knowledge base and notes
        places = list(map(_AT, chosen))
        for at, said in notes.items():
            if at in places:
                n = places.index(at)
                item = chosen[n].item
                key = ("care_with_notes", item.id, *said)
                advice[n], sentences[n] = kb.memo(key, partial(_with_notes, item, said))
    return SelfCarePlan(advice, sentences, avoided, list(map(_ID, chosen)))


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
