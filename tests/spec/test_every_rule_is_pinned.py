"""A rule cannot land untested: every id in the knowledge base has a row in a spec table."""

from __future__ import annotations

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.vocabulary import CONDITIONS, TECHNIQUES
from tests.spec.spec_tables import answers, id_list, iter_ids, rows_of


def test_every_triage_rule_fires_in_a_row_of_the_triage_table(kb: KnowledgeBase) -> None:
    pinned = set(iter_ids(rows_of("triage", having="rules fired"), "rules fired"))
    missing = [rule.id for rule in kb.triage_rules if rule.id not in pinned]
    assert missing == [], f"add a row to tables/triage.md for {missing}"


def test_every_matrix_row_fires_in_a_row_of_the_contraindications_table(
    kb: KnowledgeBase,
) -> None:
    pinned = set(iter_ids(rows_of("contraindications", having="matrix rows"), "matrix rows"))
    missing = [row.id for row in kb.matrix if row.id not in pinned]
    assert missing == [], f"add a row to tables/contraindications.md for {missing}"


def test_every_condition_has_its_own_row_in_the_matrix(kb: KnowledgeBase) -> None:
    alone = set()
    for row in rows_of("contraindications", having="matrix rows"):
        given = answers(row["answers"])
        if list(given) == ["conditions"] and len(given["conditions"]) == 1:
            alone.add(given["conditions"][0])
    missing = [c for c in CONDITIONS if c not in alone]
    assert missing == [], f"add a row with only this condition to the matrix: {missing}"


def test_every_worse_prior_response_has_its_own_row_in_the_matrix() -> None:
    worse = set()
    for row in rows_of("contraindications", having="matrix rows"):
        for technique, response in answers(row["answers"]).get("prior_response", {}).items():
            if response == "worse":
                worse.add(technique)
    assert worse == set(TECHNIQUES)


def test_every_ranking_adjustment_fires_in_a_row_of_the_ranking_table(
    kb: KnowledgeBase,
) -> None:
    pinned = set(iter_ids(rows_of("ranking", having="adjustments"), "adjustments"))
    missing = [a.id for a in kb.adjustments if a.id not in pinned]
    assert missing == [], f"add a row to tables/ranking.md for {missing}"


def test_every_self_care_item_is_named_in_the_self_care_table(kb: KnowledgeBase) -> None:
    named: set[str] = set()
    for row in rows_of("self_care", having="suggested"):
        named.update(id_list(row["suggested"].removeprefix("only:")))
        named.update(id_list(row["avoided"]))
    missing = [item.id for item in kb.self_care if item.id not in named]
    assert missing == [], f"add a row to tables/self_care.md suggesting or avoiding {missing}"
