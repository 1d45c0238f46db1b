"""The contraindication matrix, pinned cell by cell by ``tables/contraindications.md``."""

from __future__ import annotations

import pytest

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.recommendation import recommend
from sciatica_care.domain.result import Exclusion, Recommendation
from sciatica_care.domain.rules import facts_of
from sciatica_care.domain.vocabulary import TECHNIQUES
from tests.spec.spec_tables import Row, assessment_of, id_list, rows_of, yes_no

MATRIX_ROWS = rows_of("contraindications", having="matrix rows")
HOLD_ROWS = rows_of("contraindications", having="hold reason")
CELLS = [
    pytest.param(row, technique, id=f"{row.case}/{technique}")
    for row in MATRIX_ROWS
    for technique in TECHNIQUES
]


Plan = tuple[list[Recommendation], list[Exclusion], list[str]]


def matrix_plan(row: Row, kb: KnowledgeBase) -> Plan:
    """The plan for the row's facts straight from the matrix and ranking, without triage."""
    a = assessment_of(row)
    facts = kb.derive(facts_of(a))
    return recommend(facts, kb, pressure_preference=a.pressure_preference, session_minutes="60")


@pytest.mark.parametrize(("row", "technique"), CELLS)
def test_each_cell_excludes_modifies_or_leaves_the_technique(
    row: Row, technique: str, kb: KnowledgeBase
) -> None:
    recommendations, excluded, _ = matrix_plan(row, kb)
    kept: dict[str, Recommendation] = {r.technique: r for r in recommendations}
    dropped: dict[str, Exclusion] = {e.technique: e for e in excluded}
    expected = row[technique]
    if expected == "X":
        assert technique not in kept
        assert dropped[technique].reasons, "an exclusion always says why"
    elif expected == "P":
        assert technique not in dropped
        assert kept[technique].precautions, "a precaution was expected"
    else:
        assert expected == "—", f"{row.where}: a cell is X, P or —, got {expected!r}"
        assert technique not in dropped
        assert kept[technique].precautions == []


@pytest.mark.parametrize("row", [r.param(r) for r in MATRIX_ROWS])
def test_each_row_fires_exactly_its_matrix_rows(row: Row, kb: KnowledgeBase) -> None:
    _, _, fired = matrix_plan(row, kb)
    matrix_ids = {r.id for r in kb.matrix}
    assert [f for f in fired if f in matrix_ids] == id_list(row["matrix rows"])


@pytest.mark.parametrize("row", [r.param(r) for r in HOLD_ROWS])
def test_a_hold_excludes_everything_whatever_the_matrix_says(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    assert result.triage.level == row["level"]
    assert result.triage.massage_hold is yes_no(row["hold"])
    assert result.provisional is yes_no(row["provisional"])
    assert {r.technique for r in result.recommendations} == set(id_list(row["recommended"]))
    assert {e.technique for e in result.excluded} == set(id_list(row["excluded"]))
    if result.triage.massage_hold:
        assert all(e.reasons == [row["hold reason"]] for e in result.excluded)
    else:
        assert row["hold reason"] == "—"
