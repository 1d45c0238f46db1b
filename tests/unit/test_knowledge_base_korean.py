"""The knowledge base in Korean: every text translated, checked at load, and the clinical
decisions identical to the English ones (only the words change)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given

from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.knowledge.loader import (
    DATA_DIR,
    KnowledgeBaseError,
    knowledge_base,
    load_knowledge_base,
)
from sciatica_care.knowledge.translations import text_paths
from tests.unit.test_properties import PROPERTY, assessment_data

KO = knowledge_base("ko")
EN = knowledge_base("en")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def all_texts(language: str) -> list[str]:
    kb = knowledge_base(language)
    texts = [kb.levels[level].headline for level in kb.levels]
    texts += [a.text for a in kb.first_actions.values()]
    texts += [r.reason for r in kb.triage_rules] + [r.tell_doctor for r in kb.triage_rules]
    texts += [t.name for t in kb.techniques.values()]
    texts += [t.evidence.summary for t in kb.techniques.values()]
    texts += [i.title for i in kb.self_care] + [i.text for i in kb.self_care]
    return texts


def test_every_korean_text_is_korean_and_says_it_is_not_yet_reviewed() -> None:
    assert KO.language == "ko" and EN.language == "en"
    assert "not yet reviewed by a Korean clinician" in KO.translation_review
    assert EN.translation_review == ""
    for text in all_texts("ko"):
        assert HANGUL.search(text), text


def test_the_korean_texts_name_the_korean_services() -> None:
    emergency = " ".join(all_texts("ko"))
    assert "응급실" in KO.levels["emergency"].headline
    assert "119" in KO.first_actions["ambulance_pe"].text
    for foreign in ("999", "A&E", "111", "GP"):
        assert foreign not in emergency, foreign


def test_ids_sources_and_version_are_the_same_in_both_languages() -> None:
    assert KO.version == EN.version
    assert [r.id for r in KO.triage_rules] == [r.id for r in EN.triage_rules]
    assert [r.sources for r in KO.triage_rules] == [r.sources for r in EN.triage_rules]
    assert [r.first_action for r in KO.triage_rules] == [r.first_action for r in EN.triage_rules]
    assert KO.sources == EN.sources


@PROPERTY
@given(assessment_data())
def test_the_decisions_do_not_depend_on_the_language(data: dict[str, object]) -> None:
    assessment = parse_assessment(data)
    english, korean = evaluate(assessment, EN), evaluate(assessment, KO)
    assert korean.triage.level == english.triage.level
    assert korean.triage.massage_hold == english.triage.massage_hold
    assert [f.id for f in korean.triage.findings] == [f.id for f in english.triage.findings]
    assert [r.technique for r in korean.recommendations] == [
        r.technique for r in english.recommendations
    ]


def copy_of_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_overlay(directory: Path, name: str, change: object) -> None:
    path = directory / "ko" / f"{name}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_a_missing_translation_names_file_entry_and_field(tmp_path: Path) -> None:
    directory = copy_of_data(tmp_path)
    edit_overlay(directory, "triage", lambda doc: doc["rules"]["TRI-EM-PE"].pop("tell_doctor"))
    with pytest.raises(
        KnowledgeBaseError,
        match=r"ko/triage.yaml: entry rules.TRI-EM-PE: field "
        r"tell_doctor: missing translation",
    ):
        load_knowledge_base(directory)


def test_an_empty_translation_is_missing(tmp_path: Path) -> None:
    directory = copy_of_data(tmp_path)
    edit_overlay(
        directory,
        "selfcare",
        lambda doc: doc["items"]["SC-HEAT"]["modify"].__setitem__(0, {"text": " "}),
    )
    with pytest.raises(
        KnowledgeBaseError,
        match=r"ko/selfcare.yaml: entry items.SC-HEAT.modify.0: "
        r"field text: missing translation",
    ):
        load_knowledge_base(directory, language="ko")


def test_a_translation_of_nothing_is_stale(tmp_path: Path) -> None:
    directory = copy_of_data(tmp_path)
    edit_overlay(
        directory, "techniques", lambda doc: doc["techniques"]["swedish"].update(colour="파랑")
    )
    with pytest.raises(
        KnowledgeBaseError, match=r"entry techniques.swedish: field colour: no such"
    ):
        load_knowledge_base(directory)


def test_an_overlay_must_say_who_reviewed_it(tmp_path: Path) -> None:
    directory = copy_of_data(tmp_path)
    edit_overlay(directory, "plan", lambda doc: doc.pop("review"))
    with pytest.raises(KnowledgeBaseError, match=r"ko/plan.yaml: review"):
        load_knowledge_base(directory)


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(KnowledgeBaseError, match="language 'xx'"):
        load_knowledge_base(language="xx")


def test_every_english_text_field_is_found_by_the_overlay_walker() -> None:
    triage = yaml.safe_load((DATA_DIR / "triage.yaml").read_text(encoding="utf-8"))
    paths = {".".join(p) for p, _ in text_paths(triage)}
    assert "rules.TRI-EM-PE.reason" in paths and "levels.emergency.then.0" in paths
    assert not any(p.endswith("first_action") and p.startswith("rules.") for p in paths)
