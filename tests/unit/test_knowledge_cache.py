"""The validated knowledge base kept on disk: used only for the same files and code, made again
when missing, stale or damaged, and never a way round the checks of an edited data file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.knowledge import cache, loader
from sciatica_care.knowledge.loader import DATA_DIR, KnowledgeBaseError, load_knowledge_base
from tests.conftest import baseline


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def kept(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def result_of(kb: object) -> dict[str, object]:
    return evaluate(parse_assessment(baseline()), kb).model_dump(mode="json")  # type: ignore[arg-type]


def assess_twice(tmp_path: Path, then: str) -> list[str]:
    """What two English ``assess`` runs print, each in a new process, sharing a cache folder
    that starts empty; each run followed by the Python statement ``then``."""
    source = tmp_path / "answers.json"
    source.write_text(json.dumps(baseline()))
    code = (
        "from sciatica_care.cli import app; "
        f"app(['assess', '-i', {str(source)!r}], standalone_mode=False); {then}"
    )
    env = {**os.environ, cache.CACHE_ENV: str(tmp_path / "cache")}
    env.pop("SCIATICA_CARE_LANG", None)
    return [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout
        for _ in range(2)
    ]


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("the YAML was read although a valid copy was kept")

    monkeypatch.setattr(loader, "_parse", refuse)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_second_start_takes_the_kept_copy_and_answers_the_same(
    data_copy: Path, kept: Path, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_knowledge_base(data_copy, language, cache_dir=kept)
    assert (kept / f"knowledge-{language}.pickle").is_file()
    no_reading(monkeypatch)
    again = load_knowledge_base(data_copy, language, cache_dir=kept)
    assert again.model_dump() == fresh.model_dump()
    assert again.version == fresh.version and again.language == language
    assert result_of(again) == result_of(fresh)  # the conditions are compiled again


def test_an_edited_data_file_is_read_again_and_gets_its_own_version(
    data_copy: Path, kept: Path
) -> None:
    before = load_knowledge_base(data_copy, cache_dir=kept)
    path = data_copy / "plan.yaml"
    path.write_text(path.read_text().replace("Once a week", "Once weekly"))
    after = load_knowledge_base(data_copy, cache_dir=kept)
    assert after.version != before.version
    assert after.version == load_knowledge_base(data_copy).version
    assert "Once weekly" in after.session.frequency


EDITS: list[tuple[str, Callable[[str], str]]] = [
    ("triage.yaml", lambda s: s.replace("    level: emergency\n", "    level: emergancy\n", 1)),
    (
        "definitions.yaml",
        lambda s: s.replace("{field: leg_pain, gte: 7}", "{field: leg_pan, gte: 7}"),
    ),
    ("ranking.yaml", lambda s: s.replace("sources: [french2006, consensus]", "sources: [x]", 1)),
    ("plan.yaml", lambda s: s.replace("session:\n", "session: [\n", 1)),
    ("ko/triage.yaml", lambda s: s.replace("headline:", "headlin:", 1)),
]


@pytest.mark.parametrize(("file", "change"), EDITS, ids=[f for f, _ in EDITS])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_typo_fails_loudly_with_the_same_words_though_a_copy_was_kept(
    data_copy: Path, kept: Path, file: str, change: Callable[[str], str], language: str
) -> None:
    load_knowledge_base(data_copy, language, cache_dir=kept)
    path = data_copy / file
    path.write_text(change(path.read_text()))
    with pytest.raises(KnowledgeBaseError) as without:
        load_knowledge_base(data_copy, language)
    with pytest.raises(KnowledgeBaseError) as with_copy:
        load_knowledge_base(data_copy, language, cache_dir=kept)
    assert str(with_copy.value) == str(without.value)


def test_a_missing_file_is_named_though_a_copy_was_kept(data_copy: Path, kept: Path) -> None:
    load_knowledge_base(data_copy, cache_dir=kept)
    (data_copy / "targets.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"targets\.yaml: cannot read"):
        load_knowledge_base(data_copy, cache_dir=kept)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # cut short
        lambda b: b"nonsense",  # not a copy at all
        lambda b: b.replace(b"\n", b"0\n", 1),  # another key
        lambda b: b[: b.index(b"\n", len(cache.MAGIC)) + 1] + b"\x80\x05garbage",
    ],
    ids=["cut-short", "not-a-copy", "other-key", "bad-pickle"],
)
def test_a_damaged_or_foreign_copy_is_made_again(
    data_copy: Path, kept: Path, damage: Callable[[bytes], bytes]
) -> None:
    fresh = load_knowledge_base(data_copy, cache_dir=kept)
    path = kept / "knowledge-en.pickle"
    good = path.read_bytes()
    path.write_bytes(damage(good))
    again = load_knowledge_base(data_copy, cache_dir=kept)
    assert again.model_dump() == fresh.model_dump()
    assert path.read_bytes() == good


@pytest.mark.parametrize("loose", ["file", "folder"])
def test_a_copy_others_could_have_written_is_never_unpickled(
    data_copy: Path, kept: Path, loose: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_knowledge_base(data_copy, cache_dir=kept)
    path = kept / "knowledge-en.pickle"
    (path if loose == "file" else kept).chmod(0o666 if loose == "file" else 0o777)

    unpickled: list[bytes] = []
    monkeypatch.setattr(cache.pickle, "loads", unpickled.append)
    again = load_knowledge_base(data_copy, cache_dir=kept)  # read and checked from the files
    assert unpickled == []
    assert again.version == load_knowledge_base(data_copy).version


def test_a_copy_of_other_files_is_never_used(data_copy: Path, kept: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(DATA_DIR, other)
    (other / "plan.yaml").write_text(
        (other / "plan.yaml").read_text().replace("Once a week", "Once weekly")
    )
    load_knowledge_base(other, cache_dir=kept)  # the copy now holds the other files
    mine = load_knowledge_base(data_copy, cache_dir=kept)
    assert mine.version == load_knowledge_base(data_copy).version
    assert "Once weekly" not in mine.session.frequency


def test_a_folder_that_cannot_be_written_only_costs_the_copy(
    data_copy: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    kb = load_knowledge_base(data_copy, cache_dir=blocked / "cache")
    assert kb.version == load_knowledge_base(data_copy).version


def test_the_folder_is_chosen_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    assert cache.cache_dir() == tmp_path
    monkeypatch.setenv(cache.CACHE_ENV, "")
    assert cache.cache_dir() is None
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform not in ("win32", "darwin"):
        assert cache.cache_dir() == tmp_path / "sciatica-care"
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.delenv("HOME", raising=False)
        monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home at all
        assert cache.cache_dir() is None


#: What ``assess --input`` in English must not load: the web and database stacks, Babel, the
#: questionnaire's rich, and (once the validated copy is kept) the YAML parser.
HEAVY = ("babel", "yaml", "sqlalchemy", "jinja2", "fastapi", "starlette", "rich")


def test_the_english_command_line_loads_nothing_heavy_once_the_copy_is_kept(
    tmp_path: Path,
) -> None:
    runs = assess_twice(
        tmp_path, f"import sys; print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    assert runs[0].rstrip().endswith("LOADED ['yaml']")  # the first start reads the files
    assert runs[1].rstrip().endswith("LOADED []")
    assert runs[0].split("LOADED")[0] == runs[1].split("LOADED")[0]
