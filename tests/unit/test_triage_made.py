"""The triage is made once per set of matching rules and shared by the results (frozen, as the
findings are); what each result owns (the rules fired) stays its own, and a kept triage is the
one made afresh."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.rules import facts_of
from sciatica_care.domain.triage import prepare_triage, triage_of
from tests.conftest import baseline
from tests.unit.test_properties import KB, PROPERTY, assessment_data


def test_the_same_matching_rules_share_one_triage_but_not_the_rules_fired() -> None:
    one = evaluate(parse_assessment(baseline(red_flags=["fever"])), KB)
    two = evaluate(parse_assessment(baseline(red_flags=["fever"], age=36)), KB)
    assert one.triage is two.triage
    assert one.rules_fired == two.rules_fired and one.rules_fired is not two.rules_fired


@PROPERTY
@given(assessment_data())
def test_a_kept_triage_is_the_one_made_afresh(data: dict[str, Any]) -> None:
    facts = KB.derive(facts_of(parse_assessment(data)))
    kept = KB.prepared(prepare_triage)
    triage_of(kept, facts.tokens, facts.numbers)  # (kept now, if it was not)
    again = triage_of(kept, facts.tokens, facts.numbers)
    fresh = triage_of(prepare_triage(KB), facts.tokens, facts.numbers)  # an empty memo
    assert fresh[0] is not again[0]
    assert fresh[0].model_dump_json() == again[0].model_dump_json()
    assert fresh[1:] == again[1:]
