"""Fit bands of the recommendations, pinned row by row by ``tables/fit_bands.md``."""

from __future__ import annotations

import pytest

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from tests.spec.spec_tables import NOTHING, Row, assessment_of, rows_of

FIT_ROWS = rows_of("fit_bands", having="good fit")


def techniques(cell: str) -> list[str]:
    return [] if cell.strip() in NOTHING else [t.strip() for t in cell.split(",")]


@pytest.mark.parametrize("row", [r.param(r) for r in FIT_ROWS])
def test_each_technique_falls_in_its_band(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    good = [r.technique for r in result.recommendations if r.fit == "good_fit"]
    possible = [r.technique for r in result.recommendations if r.fit == "also_possible"]
    assert good == techniques(row["good fit"])
    assert possible == techniques(row["also possible"])
    assert [e.technique for e in result.excluded] == techniques(row["not for you now"])
    assert all(e.fit == "not_for_you_now" for e in result.excluded)


@pytest.mark.parametrize("row", [r.param(r) for r in FIT_ROWS])
def test_the_first_reason_is_the_plain_one_the_table_names(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    first = result.recommendations[0]
    assert row["first reason"] in first.fit_reason
    assert first.fit_reason in first.reasons or first.fit_reason in first.precautions
