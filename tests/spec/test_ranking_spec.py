"""Ranking of the allowed techniques, pinned row by row by ``tables/ranking.md``."""

from __future__ import annotations

import pytest

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from tests.spec.spec_tables import NOTHING, Row, assessment_of, id_list, rows_of

RANKING_ROWS = rows_of("ranking", having="ranking, best first")


def reasons_shown(cell: str) -> list[tuple[str, str]]:
    if cell.strip() in NOTHING:
        return []
    pairs = (part.split(":", 1) for part in cell.split(";"))
    return [(technique.strip(), words.strip()) for technique, words in pairs]


@pytest.mark.parametrize("row", [r.param(r) for r in RANKING_ROWS])
def test_the_ranking_follows_the_product_rules(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    assert not result.triage.massage_hold, "ranking rows must not hold massage"
    ranked = [r.technique for r in result.recommendations]
    assert ranked == [t.strip() for t in row["ranking, best first"].split(">")]
    adjustments = {a.id for a in kb.adjustments}
    assert {f for f in result.rules_fired if f in adjustments} == set(id_list(row["adjustments"]))


@pytest.mark.parametrize("row", [r.param(r) for r in RANKING_ROWS])
def test_every_adjustment_is_explained_to_the_person(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    reasons: dict[str, list[str]] = {r.technique: r.reasons for r in result.recommendations}
    assert all(reasons.values()), "every recommendation says why"
    for technique, words in reasons_shown(row["reasons shown"]):
        assert any(words in reason for reason in reasons[technique]), (technique, words)
