"""The self-care plan, pinned row by row by ``tables/self_care.md``."""

from __future__ import annotations

import pytest

from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Result
from tests.conftest import baseline
from tests.spec.spec_tables import NOTHING, Row, assessment_of, id_list, rows_of

SELF_CARE_ROWS = rows_of("self_care", having="suggested")


def words_of(result: Result) -> dict[str, str]:
    """Everything each chosen or avoided item says, by id."""
    said = {
        a.id: " ".join([a.title, a.text, a.dose, *a.notes, a.stop_if])
        for a in result.self_care_plan
    }
    said.update({e.id: " ".join([e.title, *e.reasons]) for e in result.exercises_to_avoid})
    return said


@pytest.mark.parametrize("row", [r.param(r) for r in SELF_CARE_ROWS])
def test_self_care_is_chosen_as_the_table_says(row: Row, kb: KnowledgeBase) -> None:
    result = evaluate(assessment_of(row), kb)
    chosen = [a.id for a in result.self_care_plan]
    suggested = row["suggested"]
    if suggested == "nothing":
        assert result.self_care == []
        assert chosen == []
    elif suggested.startswith("only:"):
        assert set(chosen) == set(id_list(suggested.removeprefix("only:")))
    else:
        assert set(id_list(suggested)) <= set(chosen)
    assert set(id_list(row["not suggested"])).isdisjoint(chosen)
    avoided = [e.id for e in result.exercises_to_avoid]
    assert set(avoided) == set(id_list(row["avoided"]))
    assert all(e.reasons for e in result.exercises_to_avoid), "an avoided exercise says why"
    assert set(avoided).isdisjoint(chosen)
    assert len(result.self_care) == len(result.self_care_plan)


@pytest.mark.parametrize("row", [r.param(r) for r in SELF_CARE_ROWS])
def test_self_care_says_what_the_table_says(row: Row, kb: KnowledgeBase) -> None:
    if row["says"].strip() in NOTHING:
        return
    said = words_of(evaluate(assessment_of(row), kb))
    for part in row["says"].split(";"):
        item, _, words = part.partition(":")
        assert words.strip() in said[item.strip()], (item, words)


def test_no_self_care_item_claims_that_water_flushes_out_toxins(kb: KnowledgeBase) -> None:
    for item in kb.self_care:
        text = " ".join([item.title, item.text, item.dose, item.stop_if]).lower()
        if "toxin" in text:
            assert "no evidence" in text, item.id


ADULT_MEDICINE_WORDS = (
    "nsaid",
    "ibuprofen",
    "naproxen",
    "paracetamol",
    "opioid",
    "benzodiazepine",
    "pregabalin",
    "gabapentin",
    "steroid tablets",
)


@pytest.mark.parametrize("age", range(12, 18))
@pytest.mark.parametrize(
    "answers",
    [{}, {"conditions": ["anticoagulants"]}, {"red_flags": ["fever"]}],
    ids=["calm", "blood-thinners", "urgent"],
)
def test_under_18_the_medicines_text_gives_no_adult_medicine_information(
    age: int, answers: dict[str, list[str]], kb: KnowledgeBase
) -> None:
    """self-care.md v2: under 18, "ask your doctor or pharmacist what is right for you" only;
    under 16, no aspirin unless a doctor prescribes it."""
    result = evaluate(parse_assessment(baseline(age=age, **answers)), kb)
    medicines = [a for a in result.self_care_plan if a.kind == "medicine"]
    assert [a.id for a in medicines] == ["SC-MED-UNDER-18"]
    assert medicines[0].text == "Ask your doctor or pharmacist what is right for you."
    said = " ".join(result.self_care).lower()
    assert [w for w in ADULT_MEDICINE_WORDS if w in said] == []
    assert ("aspirin" in said) is (age < 16)
