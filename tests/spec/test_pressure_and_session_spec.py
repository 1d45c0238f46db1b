"""Pressure, session plan, evidence and targets, pinned by ``tables/pressure_and_session.md``."""

from __future__ import annotations

import pytest

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.vocabulary import TECHNIQUES
from tests.spec.spec_tables import NOTHING, Row, assessment_of, id_list, rows_of, yes_no

PRESSURE_ROWS = rows_of("pressure_and_session", having="hot_stone")
SESSION_ROWS = rows_of("pressure_and_session", having="minutes")
TARGET_ROWS = rows_of("pressure_and_session", having="targets")


def pairs(cell: str) -> list[tuple[str, str]]:
    """``region: value`` pairs, comma-separated."""
    if cell.strip() in NOTHING:
        return []
    split = (part.split(":", 1) for part in cell.split(","))
    return [(key.strip(), value.strip()) for key, value in split]


@pytest.mark.parametrize("row", [r.param(r) for r in PRESSURE_ROWS])
def test_each_technique_gets_the_pressure_of_the_table(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    given = {r.technique: r.pressure for r in result.recommendations}
    assert {t: given.get(t, "excluded") for t in TECHNIQUES} == {t: row[t] for t in TECHNIQUES}


@pytest.mark.parametrize("row", [r.param(r) for r in SESSION_ROWS])
def test_the_session_plan_and_evidence_follow_the_table(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    if row["minutes"] == "—":
        assert result.session is None
    else:
        assert result.session is not None
        assert result.session.minutes == row["minutes"]
        assert {r.session_minutes for r in result.recommendations} <= {row["minutes"]}
    assert result.provisional is yes_no(row["provisional"])
    assert [e.id for e in result.evidence] == id_list(row["evidence notes"])
    assert bool(result.when_to_get_help) is yes_no(row["when to get help"])


@pytest.mark.parametrize("row", [r.param(r) for r in TARGET_ROWS])
def test_the_targets_follow_the_marked_regions(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    assert [f"{t.region} ({t.side})" for t in result.targets] == id_list(row["targets"])
    hints = {t.region: t.dermatome for t in result.targets if t.dermatome}
    assert hints == dict(pairs(row["dermatomes"]))
    muscles = {t.region: t.muscles for t in result.targets}
    for region, muscle in pairs(row["muscles include"]):
        assert muscle in muscles[region], (region, muscle)
