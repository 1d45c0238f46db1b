"""Safety triage: which rules match, the highest level, and whether massage is on hold.

The rules are data (``knowledge/data/triage.yaml``); this is the one small evaluator. Because
the level is the maximum over matching rules and the hold is an "or" over them, adding a red
flag or condition can only raise the level or add a hold, never lower or remove one — provided
no rule's condition is weakened by a flag, which the property tests check.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from operator import itemgetter
from typing import NamedTuple

from sciatica_care.domain.kb import KnowledgeBase, TriageRule
from sciatica_care.domain.result import Triage, TriageFinding, trusted
from sciatica_care.domain.rule_code import Matcher, matcher
from sciatica_care.domain.rules import RED_FLAG_FACTS, Facts
from sciatica_care.domain.vocabulary import TriageLevel, level_rank


def _finding(rule: TriageRule) -> TriageFinding:
    return trusted(
        TriageFinding,
        {
            "id": rule.id,
            "level": rule.level,
            "hold": rule.hold,
            "reason": rule.reason,
            "tell_doctor": rule.tell_doctor,
            "sources": list(rule.sources),
        },
    )


class _Action(NamedTuple):
    key: str | None
    text: str
    order: int


_URGENT = level_rank("urgent")
_SELF_CARE = level_rank("self_care")

#: The order of the level's generic instruction among the rules' own (see triage.yaml).
_GENERIC_ORDER = 10


def _first_actions(
    leading: list[_Rule], generic: str, actions: dict[str, _Action]
) -> list[_Action]:
    """The first instructions of the rules at the top level, most urgent first, each once.

    A rule without its own instruction stands for the level's generic one. Levels without a
    generic instruction (see a clinician, self-care) give none: their advice stands as it is.
    """
    if not generic:
        return []
    found: dict[str | None, _Action] = {}
    for rule in leading:
        key = rule.first_action
        if key in found:
            continue
        if key is None:
            found[None] = _Action(None, generic, _GENERIC_ORDER)
        else:
            found[key] = actions[key]
    if len(found) == 1:
        return list(found.values())
    return sorted(found.values(), key=_order)


#: An action's order, read by the sort without a call of Python (``_Action.order``).
_order = itemgetter(2)


class _Rule(NamedTuple):
    """A triage rule prepared once per knowledge base: its level's rank and its finding, and
    its fields as plain attributes (a pydantic model's cost more to read)."""

    rule: TriageRule
    id: str
    rank: int
    finding: TriageFinding
    level: TriageLevel
    hold: bool
    reason: str
    tell_doctor: str
    hold_reason: str
    first_action: str | None
    then: list[str] | None


#: A prepared rule's rank, read by the sort without a call of Python (``_Rule.rank``).
_rank = itemgetter(2)


class _Level(NamedTuple):
    """A level's advice (``LevelAdvice``) as plain attributes (a pydantic model's cost more to
    read)."""

    headline: str
    first_action: str
    advice: str
    then: list[str]
    hold_reason: str
    hold_headline: str
    hold_advice: str


class PreparedTriage(NamedTuple):
    """The triage rules and the levels' advice, prepared once per knowledge base
    (``kb.prepared(prepare_triage)``)."""

    #: One generated function answering the places of the triage rules that match, in
    #: order (``rule_code.matcher``).
    matching: Matcher[int]
    #: The rules, prepared, by place.
    rules: tuple[_Rule, ...]
    levels: dict[TriageLevel, _Level]
    #: Each rule's own first instruction, by its key (``first_actions`` in triage.yaml).
    actions: dict[str, _Action]
    #: The triage made for each set of matching rules met so far, by their places (at most
    #: :data:`MADE_AT_MOST`): built once each and shared by the results (frozen, as the
    #: findings already are).
    made: dict[tuple[int, ...], _Made]


#: How many sets of matching rules a knowledge base keeps the triage of (a few hundred come
#: up in thousands of varied assessments; past this many, the others are made each time).
MADE_AT_MOST = 4096


class _Made(NamedTuple):
    """The triage for one set of matching rules, and what goes with it (``triage_of``)."""

    triage: Triage
    level: TriageLevel
    hold: bool
    hold_reasons: list[str]
    fired: tuple[str, ...]


def prepare_triage(kb: KnowledgeBase) -> PreparedTriage:
    rules = [
        _Rule(
            r,
            r.id,
            level_rank(r.level),
            _finding(r),
            r.level,
            r.hold,
            r.reason,
            r.tell_doctor,
            r.hold_reason,
            r.first_action,
            r.then,
        )
        for r in kb.triage_rules
    ]
    levels = {
        level: _Level(
            a.headline,
            a.first_action,
            a.advice,
            a.then,
            a.hold_reason,
            a.hold_headline,
            a.hold_advice,
        )
        for level, a in kb.levels.items()
    }
    actions = {key: _Action(key, a.text, a.order) for key, a in kb.first_actions.items()}
    # Most rules need a red flag, and most people give none: those rules are not tested then.
    matching: Matcher[int] = matcher(
        [r.when for r in kb.triage_rules], range(len(rules)), needing=RED_FLAG_FACTS
    )
    return PreparedTriage(matching, tuple(rules), levels, actions, {})


def triage_with_hold_reasons(facts: Facts, kb: KnowledgeBase) -> tuple[Triage, list[str]]:
    """The triage for ``facts`` and, under a hold, why every technique is excluded."""
    tri, hold_reasons, _ = triage_fired(facts, kb)
    return tri, hold_reasons


def triage_fired(facts: Facts, kb: KnowledgeBase) -> tuple[Triage, list[str], list[str]]:
    """:func:`triage_with_hold_reasons`, and the ids of the rules that matched, in the order
    of the findings (a new list, the caller's own)."""
    tri, _, _, hold_reasons, fired = triage_of(
        kb.prepared(prepare_triage), facts.tokens, facts.numbers
    )
    return tri, list(hold_reasons), fired


def triage_of(
    rules: PreparedTriage, tokens: AbstractSet[str], numbers: Mapping[str, float]
) -> tuple[Triage, TriageLevel, bool, list[str], list[str]]:
    """:func:`triage_fired` for the fact tokens and numbers, with the rules prepared
    (``evaluate`` fetches all it prepares at once); the level and the hold come back beside
    the triage too (a pydantic model's attributes cost more to read).

    The triage depends on nothing but which rules match: it is made once per set of matching
    rules (``PreparedTriage.made``) and shared, frozen; the hold reasons are shared too (read,
    never changed); the rules fired come back as a new list, the caller's own."""
    matching, prepared, levels, actions, made = rules
    key = tuple(matching(tokens, numbers))
    kept = made.get(key)
    if kept is None:
        kept = _made([prepared[n] for n in key], levels, actions)
        if len(made) < MADE_AT_MOST:
            made[key] = kept
    tri, level, hold, hold_reasons, fired = kept
    return tri, level, hold, hold_reasons, list(fired)


def _made(
    matched: list[_Rule], levels: dict[TriageLevel, _Level], actions_by_key: dict[str, _Action]
) -> _Made:
    """The triage for the rules that match (in the order they are written)."""
    if not matched:
        level: TriageLevel = "self_care"
        rank = _SELF_CARE
    else:
        if len(matched) > 1:  # most urgent first, then in the order the rules are written
            matched.sort(key=_rank, reverse=True)  # (a stable sort, reversed, keeps that order)
        first_rule = matched[0]
        level, rank = first_rule.level, first_rule.rank
    # One pass over the matches (most urgent first). At emergency and urgent the screen says
    # only what matters now: the reasons of the emergency and urgent rules. The calmer rules
    # are still reported (findings), but their words (an outlook, a routine check) do not
    # appear on that screen (triage.md v2).
    calm = rank < _URGENT
    hold = False
    findings: list[TriageFinding] = []
    reasons: list[str] = []
    leading: list[_Rule] = []  # the rules at the top level
    tell_doctor: list[str] = []
    hold_reasons: list[str] = []
    fired: list[str] = []
    for m in matched:
        _, rule_id, rule_rank, finding, _, rule_hold, reason, tell, hold_reason, _, _ = m
        findings.append(finding)
        fired.append(rule_id)
        if calm or rule_rank >= _URGENT:
            reasons.append(reason)
        if rule_rank == rank:
            leading.append(m)
            tell_doctor.append(tell)
        if rule_hold:
            hold = True
            if hold_reason:
                hold_reasons.append(hold_reason)
    headline, generic, text, then, level_hold_reason, hold_headline, hold_advice = levels[level]
    if hold and level == "see_clinician":
        headline, text = hold_headline or headline, hold_advice or text
    # (Levels without a generic first instruction give none: not even a call to find none.)
    first_action = headline
    if generic:
        actions = _first_actions(leading, generic, actions_by_key)
        if actions:
            first = actions[0]
            text = " ".join([*(a.text for a in actions), text])
            then = next((m.then for m in leading if m.first_action == first.key and m.then), then)
            first_action = first.text
    # Built without validating again: every value is the knowledge base's (validated at
    # load), copied where it is a list.
    result = trusted(
        Triage,
        {
            "level": level,
            "massage_hold": hold,
            "headline": headline,
            "first_action": first_action,
            "advice": text,
            "reasons": reasons,
            "then": list(then),
            "tell_doctor": tell_doctor,
            "findings": findings,
        },
    )
    if not hold:
        hold_reasons = []
    elif level in ("emergency", "urgent") or not hold_reasons:
        hold_reasons = [level_hold_reason]
    return _Made(result, level, hold, hold_reasons, tuple(fired))


def triage(facts: Facts, kb: KnowledgeBase) -> Triage:
    """Return the triage for ``facts`` (derived facts included): level, hold, and reasons.

    Findings are ordered most urgent first, then in the order the rules are written.
    """
    return triage_with_hold_reasons(facts, kb)[0]
