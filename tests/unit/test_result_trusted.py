"""Results are put together without validating again (``result.trusted``): they must be exactly
what validating the same values gives, and share no list with the knowledge base."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

from sciatica_care.domain.assessment import Assessment, parse_assessment
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.result import Result
from sciatica_care.knowledge.loader import knowledge_base
from tests.conftest import baseline
from tests.unit.test_properties import assessments


def _models(value: Any) -> list[BaseModel]:
    """Every model in a result, the result first."""
    if isinstance(value, BaseModel):
        found = [value]
        for name in type(value).model_fields:
            found += _models(getattr(value, name))
        return found
    if isinstance(value, list):
        return [m for item in value for m in _models(item)]
    return []


def _lists(value: Any) -> list[list[Any]]:
    if isinstance(value, BaseModel):
        return [x for name in type(value).model_fields for x in _lists(getattr(value, name))]
    if isinstance(value, list):
        return [value, *(x for item in value for x in _lists(item))]
    return []


def _kb_lists(kb: KnowledgeBase) -> set[int]:
    return {id(x) for x in _lists(kb)} | {
        id(x)
        for part in (kb.levels, kb.techniques, kb.targets)
        for m in part.values()
        for x in _lists(m)
    }


@pytest.mark.parametrize("language", ["en", "ko"])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=assessments())
def test_a_result_is_what_validation_gives(language: str, a: Assessment) -> None:
    kb = knowledge_base(language)
    result = evaluate(a, kb)
    validated = Result.model_validate(result.model_dump())
    assert validated == result
    assert validated.model_dump_json() == result.model_dump_json()
    for model in _models(result):
        assert list(model.__dict__) == list(type(model).model_fields)  # every field, in order
        assert model.__pydantic_extra__ is None and model.__pydantic_private__ is None
    shared = _kb_lists(kb)
    assert not [x for x in _lists(result) if id(x) in shared]


def test_a_copy_with_changes_leaves_the_shared_fields_set_alone() -> None:
    """Trusted instances share one set of field names per model: pydantic copies it before it
    changes it, and refuses to set a field of a frozen model."""
    kb = knowledge_base()
    one, two = (evaluate(parse_assessment(baseline()), kb) for _ in range(2))
    every = set(Result.model_fields)
    assert one.model_fields_set == every
    changed = one.model_copy(update={"self_care": []})
    assert changed.self_care == [] and one.self_care and two.self_care
    assert one.model_fields_set == every and two.model_fields_set == every
    with pytest.raises(ValueError, match="frozen"):
        one.knowledge_version = "x"  # type: ignore[misc]
    assert one.model_fields_set == every
