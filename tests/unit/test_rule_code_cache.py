"""The compiled rule code kept on disk between runs: a second start compiles none of it, a kept
code is used only for the very source it was compiled from, and a copy another user could have
written, a damaged one or one for another Python is never run."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciatica_care.domain import rule_code
from sciatica_care.knowledge import cache
from tests.unit.test_knowledge_cache import assess_twice


@pytest.fixture(autouse=True)
def own_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rule_code, "_KEPT", {})
    monkeypatch.setattr(rule_code, "_NEW", {})


def test_a_second_start_compiles_no_rule_code_and_answers_the_same(tmp_path: Path) -> None:
    then = "from sciatica_care.domain import rule_code; print('COMPILED', len(rule_code._NEW))"
    runs = assess_twice(tmp_path, then)
    assert int(runs[0].rsplit("COMPILED", 1)[1]) > 0
    assert runs[1].rstrip().endswith("COMPILED 0")
    assert runs[0].split("COMPILED")[0] == runs[1].split("COMPILED")[0]
    kept = tmp_path / "cache" / cache.CODE_FILE
    assert kept.stat().st_mode & 0o077 == 0


def test_a_kept_code_is_used_only_for_its_own_source() -> None:
    matcher = rule_code.matcher(["a"], ["A"])
    assert matcher({"a"}, {}) == ["A"]
    (key,) = rule_code.newly_compiled()
    same = rule_code.matcher(["b"], ["B"])  # the same source (facts are bound by name)
    assert same({"a"}, {}) == [] and same({"b"}, {}) == ["B"]
    assert len(rule_code.newly_compiled()) == 1
    other = rule_code.matcher([{"not": "b"}], ["B"])  # another source: compiled anew
    assert other({"a"}, {}) == ["B"] and other({"b"}, {}) == []
    assert len(rule_code.newly_compiled()) == 2

    rule_code._NEW.clear()
    rule_code._KEPT.clear()
    rule_code.keep_compiled({key: compile("def _make(k0): pass", "wrong", "exec")})
    with pytest.raises(TypeError):  # the kept code for this very source is the one run
        rule_code.matcher(["a"], ["A"])
    assert rule_code.matcher(["a", "b"], ["A", "B"])({"b"}, {}) == ["B"]


def test_kept_code_is_read_back(tmp_path: Path) -> None:
    rule_code.matcher(["a"], ["A"])
    compiled = rule_code.newly_compiled()
    cache.write_code(tmp_path, compiled)
    assert cache.read_code(tmp_path) == compiled
    rule_code._NEW.clear()
    assert rule_code.newly_compiled() == {}  # nothing new: nothing to write again


@pytest.mark.parametrize("loose", ["file", "folder"])
def test_code_others_could_have_written_is_never_read(
    tmp_path: Path, loose: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rule_code.matcher(["a"], ["A"])
    cache.write_code(tmp_path, rule_code.newly_compiled())
    path = tmp_path / cache.CODE_FILE
    (path if loose == "file" else tmp_path).chmod(0o666 if loose == "file" else 0o777)
    loaded: list[bytes] = []
    monkeypatch.setattr(cache.marshal, "loads", loaded.append)
    assert cache.read_code(tmp_path) == {}
    assert loaded == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-7],
        lambda data: data.replace(b"cpython", b"another"),  # another Python's code
        lambda data: cache.CODE_MAGIC + b"\n" + data,
        lambda data: data.split(b"\n", 2)[0] + b"\n" + data.split(b"\n", 2)[1] + b"\n[]",
    ],
)
def test_damaged_or_foreign_code_is_not_used(tmp_path: Path, damage: object) -> None:
    rule_code.matcher(["a"], ["A"])
    cache.write_code(tmp_path, rule_code.newly_compiled())
    path = tmp_path / cache.CODE_FILE
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert cache.read_code(tmp_path) == {}


def test_a_folder_that_cannot_be_written_only_costs_the_copy(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    rule_code.matcher(["a"], ["A"])
    cache.write_code(blocked / "cache", rule_code.newly_compiled())
    assert not (blocked / "cache").exists()
