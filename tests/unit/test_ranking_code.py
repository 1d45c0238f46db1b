"""The generated ranking function (``domain/ranking_code.py``) does exactly what a walk over the
matrix rows and adjustments whose conditions hold does, for both knowledge bases, on any facts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.domain.ranking_code import Ranked, Rule, ranker
from sciatica_care.domain.recommendation import prepare_ranking
from sciatica_care.domain.rules import Facts, compile_condition
from sciatica_care.domain.vocabulary import PRESSURES, TECHNIQUES
from sciatica_care.knowledge.loader import knowledge_base
from tests.unit.test_rule_code import SETTINGS, facts

_RANK = {p: n for n, p in enumerate(PRESSURES)}


def walked(
    conditions: list[Any],
    rules: list[Rule],
    f: Facts,
    techniques: list[str],
    derived: frozenset[str],
) -> Ranked:
    """What the ranking does, entry by entry, as plain Python (as ``recommend`` did it);
    ``derived``: the names of the derived facts the conditions may use."""
    place = {t: i for i, t in enumerate(techniques)}
    every = range(len(techniques))
    fired: list[str] = []
    score = [0 for _ in every]
    reasons: list[list[str]] = [[] for _ in every]
    against: list[list[str]] = [[] for _ in every]
    precautions: list[list[str]] = [[] for _ in every]
    most = [len(PRESSURES) - 1 for _ in every]
    capped_by: list[str | None] = [None for _ in every]
    excluded: list[list[str] | None] = [None for _ in every]
    for spec, (rule_id, cells, effects) in zip(conditions, rules, strict=True):
        if spec is not None and not compile_condition(spec, derived=derived, where="test")(f):
            continue
        fired.append(rule_id)
        for technique, excludes, text, cap in cells:
            i = place[technique]
            if excludes:
                excluded[i] = [*(excluded[i] or []), text]
                continue
            if text not in precautions[i]:
                precautions[i].append(text)
            if cap is not None:
                most[i] = min(most[i], cap)
                if capped_by[i] is None:
                    capped_by[i] = text
        for technique, weight, text, argues_against in effects:
            i = place[technique]
            score[i] += weight
            if text:
                reasons[i].append(text)
                if argues_against:
                    against[i].append(text)
    return fired, score, reasons, against, precautions, most, capped_by, excluded


def _kb_rules(language: str) -> tuple[list[Any], list[Rule]]:
    kb = knowledge_base(language)
    conditions = [r.when for r in kb.matrix] + [a.when for a in kb.adjustments]
    rules: list[Rule] = [
        (
            row.id,
            tuple(
                (
                    t,
                    c.action == "exclude",
                    c.text,
                    None if c.max_pressure is None else _RANK[c.max_pressure],
                )
                for t, c in row.cells.items()
            ),
            (),
        )
        for row in kb.matrix
    ]
    rules += [
        (
            a.id,
            (),
            tuple((t, w, a.favour if w > 0 else a.disfavour, w < 0) for t, w in a.effects.items()),
        )
        for a in kb.adjustments
    ]
    return conditions, rules


@pytest.mark.parametrize("language", ["en", "ko"])
@SETTINGS
@given(data=st.data())
def test_the_ranking_function_does_each_entrys_work(language: str, data: st.DataObject) -> None:
    kb = knowledge_base(language)
    f = data.draw(facts(kb))
    conditions, rules = _kb_rules(language)
    derived = frozenset(d.id for d in kb.definitions)
    expected = walked(conditions, rules, f, list(TECHNIQUES), derived)
    made = ranker(conditions, rules, TECHNIQUES, len(PRESSURES) - 1)
    assert made(f.tokens, f.numbers) == expected
    # The knowledge base's own (what recommend runs) answers the same.
    assert kb.prepared(prepare_ranking).rank(f.tokens, f.numbers) == expected


@SETTINGS
@given(tokens=st.lists(st.sampled_from(["a", "b", "c"]), max_size=3).map(frozenset))
def test_a_repeated_precaution_is_given_once_and_the_first_cap_text_kept(
    tokens: frozenset[str],
) -> None:
    """Forms the knowledge bases may not use today: the same precaution in several rows, a
    later row with a lower cap, an entry that always holds, repeated exclusions."""
    conditions: list[Any] = ["is:a", "is:b", None, "is:c"]
    rules: list[Rule] = [
        ("A", (("x", False, "careful", 1), ("y", True, "not y", None)), (("x", 2, "good", False),)),
        ("B", (("x", False, "careful", 0), ("y", True, "still not y", None)), ()),
        ("ALWAYS", (("y", False, "careful", None),), (("y", -1, "bad", True),)),
        ("C", (("x", False, "other", 0), ("x", False, "careful", None)), (("x", 0, "", False),)),
    ]
    f = Facts({f"is:{t}" for t in tokens}, {})
    made = ranker(conditions, rules, ["x", "y"], 2)
    assert made(f.tokens, f.numbers) == walked(conditions, rules, f, ["x", "y"], frozenset("abc"))
