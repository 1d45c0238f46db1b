"""Safety triage, pinned row by row by ``tables/triage.md``."""

from __future__ import annotations

import pytest

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from tests.spec.spec_tables import Row, assessment_of, id_list, rows_of, yes_no

TRIAGE_ROWS = rows_of("triage", having="rules fired")
ORDER_ROWS = rows_of("triage", having="reasons, in order")


@pytest.mark.parametrize("row", [r.param(r) for r in TRIAGE_ROWS])
def test_triage_gives_the_level_hold_and_rules_of_the_table(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    assert result.triage.level == row["level"]
    assert result.triage.massage_hold is yes_no(row["hold"])
    assert {f.id for f in result.triage.findings} == set(id_list(row["rules fired"]))


@pytest.mark.parametrize("row", [r.param(r) for r in ORDER_ROWS])
def test_what_to_do_now_comes_first(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    tri = result.triage
    assert next(iter(result.model_dump())) == "triage"
    assert tri.headline.startswith(row["headline begins"])
    assert [f.id for f in tri.findings] == id_list(row["reasons, in order"])
    shown = [f for f in tri.findings if tri.level not in ("emergency", "urgent")]
    shown = shown or [f for f in tri.findings if f.level in ("emergency", "urgent")]
    assert tri.reasons == [f.reason for f in shown], "calmer rules' words stay off that screen"
    then = row["then begins"]
    if then == "—":
        assert tri.then == []
    else:
        assert tri.then[0].startswith(then)
    said = {f.id: f.tell_doctor for f in tri.findings}
    assert tri.tell_doctor == [said[i] for i in id_list(row["say at the desk"])]


FIRST_ACTION_ROWS = rows_of("triage", having="first action begins")


@pytest.mark.parametrize("row", [r.param(r) for r in FIRST_ACTION_ROWS])
def test_a_rule_with_its_own_instruction_says_it_first(row: Row, kb: KnowledgeBase) -> None:
    tri = evaluate(assessment_of(row), kb).triage
    assert tri.first_action.startswith(row["first action begins"])
    if tri.level in ("emergency", "urgent"):
        assert tri.advice.startswith(tri.first_action)
    also = row["advice also says"]
    if also != "—":
        assert also in tri.advice
        assert tri.advice.index(also) > 0, "the other instructions follow the first"
    then = row["then begins"]
    if then == "—":
        assert tri.then == []
    else:
        assert tri.then[0].startswith(then)
