"""The knowledge base loads, is versioned by its content, and a typo fails loudly at start-up,
naming the file and the entry."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.knowledge.loader import DATA_DIR, KnowledgeBaseError, load_knowledge_base


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(folder: Path, name: str, change: Callable[[str], str]) -> None:
    path = folder / name
    before = path.read_text()
    after = change(before)
    assert after != before, "the edit must change the file"
    path.write_text(after)


def test_the_packaged_knowledge_base_loads_with_every_technique_and_a_source_for_everything(
    kb: KnowledgeBase,
) -> None:
    assert sorted(kb.techniques) == sorted(
        ["swedish", "deep_tissue", "trigger_point", "myofascial_release", "hot_stone"]
    )
    assert "consensus" in kb.sources
    assert all(rule.sources for rule in kb.triage_rules)
    assert re.fullmatch(r"[0-9a-f]{12}", kb.version)


def test_the_version_is_the_content_hash_and_changes_with_any_data_file(data_copy: Path) -> None:
    first = load_knowledge_base(data_copy).version
    assert load_knowledge_base(data_copy).version == first
    edit(data_copy, "plan.yaml", lambda s: s.replace("Once a week", "Once weekly"))
    assert load_knowledge_base(data_copy).version != first


def test_every_result_carries_the_version(kb: KnowledgeBase) -> None:
    import sciatica_care

    result = sciatica_care.assess(
        {"age": 40, "back_pain": 2, "leg_pain": 3, "side": "left", "duration_weeks": 2}
    )
    assert result.knowledge_version == kb.version


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "triage.yaml",
            lambda s: s.replace("when: red_flag:saddle_numbness", "when: red_flag:sadle_numbness"),
            r"triage\.yaml: entry TRI-EM-CES-SADDLE: unknown fact 'red_flag:sadle_numbness'",
        ),
        (
            "contraindications.yaml",
            lambda s: s.replace("when: is:bleeding_risk", "when: is:bleding_risk", 1),
            r"contraindications\.yaml: entry CI-BLEEDING: unknown derived fact 'is:bleding_risk'",
        ),
        (
            "ranking.yaml",
            lambda s: s.replace("sources: [french2006, consensus]", "sources: [french2060]", 1),
            r"ranking\.yaml: entry RANK-ACUTE: unknown source 'french2060'",
        ),
        (
            "triage.yaml",
            lambda s: s.replace("    level: emergency\n", "    level: emergancy\n", 1),
            r"triage\.yaml: entry TRI-EM-CES-SADDLE level",
        ),
        (
            "contraindications.yaml",
            lambda s: s.replace("action: exclude", "action: forbid", 1),
            r"contraindications\.yaml: entry CI-BLEEDING cells\.deep_tissue\.action",
        ),
        (
            "selfcare.yaml",
            lambda s: s.replace("    stop_if: Stop if it causes tingling", "    stopif: Stop", 1),
            r"selfcare\.yaml: entry hamstring_stretch",
        ),
        (
            "definitions.yaml",
            lambda s: s.replace("{field: leg_pain, gte: 7}", "{field: leg_pian, gte: 7}"),
            r"definitions\.yaml: entry high_irritability: unknown number field 'leg_pian'",
        ),
        (
            "techniques.yaml",
            lambda s: s.replace("  - id: hot_stone\n", "  - id: hot_stones\n"),
            r"techniques\.yaml",
        ),
        (
            "plan.yaml",
            lambda s: s.replace("session:\n", "session: [\n", 1),
            r"plan\.yaml: not valid YAML",
        ),
        (
            "ranking.yaml",
            lambda s: s.replace("id: RANK-ACUTE", "id: RANK-CHRONIC"),
            r"duplicate id 'RANK-CHRONIC'",
        ),
    ],
    ids=[
        "unknown-red-flag",
        "unknown-derived-fact",
        "unknown-source",
        "unknown-level",
        "unknown-action",
        "unknown-key",
        "unknown-number-field",
        "unknown-technique",
        "broken-yaml",
        "duplicate-id",
    ],
)
def test_a_typo_in_a_data_file_is_a_clear_error_naming_file_and_entry(
    data_copy: Path, file: str, change: Callable[[str], str], expected: str
) -> None:
    edit(data_copy, file, change)
    with pytest.raises(KnowledgeBaseError, match=expected):
        load_knowledge_base(data_copy)


def test_a_missing_data_file_is_named(data_copy: Path) -> None:
    (data_copy / "targets.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"targets\.yaml: cannot read"):
        load_knowledge_base(data_copy)
