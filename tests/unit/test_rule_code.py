"""The generated matching functions (``domain/rule_code.py``) answer exactly as the conditions'
compiled predicates do, for every list of both knowledge bases, on any facts at all."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.rule_code import deriver, matcher, needs_one_of, noting_matcher
from sciatica_care.domain.rules import (
    KNOWN_FACTS,
    NUMBER_FIELDS,
    RED_FLAG_FACTS,
    Facts,
    compile_condition,
)
from sciatica_care.knowledge.loader import knowledge_base

LANGUAGES = ["en", "ko"]
SETTINGS = settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
#: Around the thresholds the rules use, and anywhere else.
NUMBER = st.sampled_from(
    [0.0, 5.9, 6.0, 7.0, 8.0, 9.0, 16.0, 16.5, 18.0, 30.0, 40.0, 50.0, 70.0]
) | st.floats(0, 120, allow_nan=False)


def _derived(kb: KnowledgeBase) -> list[str]:
    return [f"is:{d.id}" for d in kb.definitions]


def facts(kb: KnowledgeBase) -> st.SearchStrategy[Facts]:
    """Any set of known and derived facts with any numbers: more than an assessment can say."""
    names = sorted(KNOWN_FACTS) + _derived(kb)
    tokens = st.lists(st.sampled_from(names), max_size=25).map(frozenset)
    numbers = st.fixed_dictionaries({f: NUMBER for f in NUMBER_FIELDS})
    return st.builds(Facts, tokens, numbers)


def _lists(kb: KnowledgeBase) -> dict[str, list[Any]]:
    extras = [x for item in kb.self_care for x in [*item.avoid, *item.modify]]
    return {
        "definitions": list(kb.definitions),
        "triage_rules": list(kb.triage_rules),
        "matrix": list(kb.matrix),
        "adjustments": list(kb.adjustments),
        "evidence_context": list(kb.evidence_context),
        "self_care": list(kb.self_care),
        "avoid and modify": extras,
    }


@pytest.mark.parametrize("language", LANGUAGES)
@SETTINGS
@given(data=st.data())
def test_a_generated_list_matches_the_entries_whose_predicates_hold(
    language: str, data: st.DataObject
) -> None:
    kb = knowledge_base(language)
    f = data.draw(facts(kb))
    stretches = [item for item in kb.self_care if item.suits is not None]
    suited = [item for item in stretches if item.suited(f)]
    assert matcher([item.suits for item in stretches], stretches)(f.tokens, f.numbers) == suited
    for name, entries in _lists(kb).items():
        expected = [e for e in entries if e.matches(f)]
        assert matcher([e.when for e in entries], entries)(f.tokens, f.numbers) == expected, name
        # Entries that need a red flag, left untested when none is given: the same answer.
        guarded = matcher([e.when for e in entries], entries, needing=RED_FLAG_FACTS)
        assert guarded(f.tokens, f.numbers) == expected, name
        places = list(range(len(entries)))
        ids = [f"{name} {n}" for n in places]
        noted: list[str] = []
        held = noting_matcher([e.when for e in entries], places, ids)(
            f.tokens, f.numbers, noted.append
        )
        assert [entries[n] for n in held] == expected, name
        assert noted == [ids[n] for n in held], name
        own = getattr(kb, name, None)
        if own is not None:  # the knowledge base keeps the function of its own lists
            assert kb.matching(own, f) == expected, name


@pytest.mark.parametrize("language", LANGUAGES)
@SETTINGS
@given(data=st.data())
def test_a_generated_deriver_adds_what_the_definitions_define(
    language: str, data: st.DataObject
) -> None:
    kb = knowledge_base(language)
    f = data.draw(facts(kb))
    tokens = set(f.tokens)
    for d in kb.definitions:  # in order: each definition sees the facts derived before it
        if d.matches(Facts(frozenset(tokens), f.numbers)):
            tokens.add(f"is:{d.id}")
    made = set(f.tokens)
    deriver([d.when for d in kb.definitions], _derived(kb))(made, f.numbers)
    assert made == tokens
    assert kb.derive(f).tokens == tokens


@SETTINGS
@given(
    tokens=st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=5).map(frozenset),
    age=NUMBER,
)
def test_every_kind_of_condition_is_written_as_it_is_compiled(
    tokens: frozenset[str], age: float
) -> None:
    """The forms the knowledge base does not use today (a large "any", "gt", "eq", a count of
    nested parts) are written right too."""
    specs: list[Any] = [
        {"any": ["a", "b", "c", "d"]},
        {"any": ["a", "b", "c", "d", {"field": "age", "gt": 40}]},
        {"all": ["a", "b", {"not": {"any": ["c", "d", "e", "a"]}}]},
        {"field": "age", "eq": 50},
        {"field": "age", "lte": 16.5},
        {"at_least": 2, "of": ["a", {"all": ["b", "c"]}, {"field": "age", "lt": 30}, "e"]},
        {"not": {"at_least": 1, "of": ["d", "e"]}},
    ]
    f = Facts(tokens, {"age": age})
    names = frozenset({"a", "b", "c", "d", "e"})
    expected = []
    for n, spec in enumerate(specs):
        predicate = compile_condition(_is(spec), derived=names, where="test")
        if predicate(Facts(frozenset(f"is:{t}" for t in tokens), f.numbers)):
            expected.append(n)
    assert matcher(specs, list(range(len(specs))))(tokens, f.numbers) == expected
    for needing in (frozenset({"a"}), frozenset({"a", "b"}), frozenset({"b", "c", "d", "e"})):
        held = matcher(specs, list(range(len(specs))), needing=needing)(tokens, f.numbers)
        assert held == expected, needing


def test_a_condition_needs_one_of_some_facts_only_when_it_cannot_hold_without_one() -> None:
    """What the guarded matcher skips (nothing the facts' absence could make hold)."""
    some = frozenset({"a", "b"})
    assert needs_one_of("a", some)
    assert needs_one_of({"all": ["c", "a"]}, some)
    assert needs_one_of({"any": ["a", {"all": ["b", {"field": "age", "lt": 3}]}]}, some)
    assert needs_one_of({"at_least": 2, "of": ["a", "b", "c"]}, some)
    assert not needs_one_of({"at_least": 2, "of": ["a", "c", "d"]}, some)
    assert not needs_one_of({"any": ["a", "c"]}, some)
    assert not needs_one_of({"not": "c"}, some)
    assert not needs_one_of({"not": {"not": "a"}}, some)  # (could, but is not relied on)
    assert not needs_one_of({"field": "age", "lt": 3}, some)
    assert not needs_one_of(None, some)


def _is(spec: Any) -> Any:
    """The same condition over derived facts (any name is allowed there)."""
    if isinstance(spec, str):
        return f"is:{spec}"
    if isinstance(spec, list):
        return [_is(p) for p in spec]
    if isinstance(spec, dict):
        return {k: (_is(v) if k in {"any", "all", "not", "of"} else v) for k, v in spec.items()}
    return spec
