"""constraints.txt pins every package the project installs (the app's and the test tools'), at
the version this environment runs: a new dependency, direct or brought by another, fails here
until ``make constraints`` has written it down, so a fresh machine installs what CI tested."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "sciatica-care"


def pinned() -> dict[str, str]:
    """constraints.txt as {canonical name: version}."""
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, version = line.partition("==")
        assert version, f"constraints.txt: {line!r} is not name==version"
        pins[canonicalize_name(name)] = version
    return pins


def needed(root: str, extras: frozenset[str]) -> set[str]:
    """The canonical names of the distributions ``root[extras]`` needs, transitively, as
    installed here (requirements whose markers do not apply are left out)."""
    seen: set[str] = set()
    walked: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[str, frozenset[str]]] = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in walked:
            continue
        walked.add((name, wanted))
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            applies = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in wanted | {""}
            )
            if applies:
                child = canonicalize_name(requirement.name)
                seen.add(child)
                todo.append((child, frozenset(requirement.extras)))
    return seen


def test_every_needed_package_is_pinned_at_its_installed_version() -> None:
    pins = pinned()
    wanted = needed(PROJECT, frozenset({"dev"}))
    assert "starlette" in wanted and "fastapi" in wanted  # the walk reaches what FastAPI brings
    missing = sorted(name for name in wanted if name not in pins)
    assert not missing, f"not in constraints.txt (run `make constraints`): {missing}"
    differing = {
        name: (pins[name], metadata.version(name))
        for name in wanted
        if metadata.version(name) != pins[name]
    }
    assert not differing, f"constraints.txt vs installed: {differing}"


def test_the_direct_pins_agree_with_the_constraints() -> None:
    pins = pinned()
    for text in metadata.requires(PROJECT) or []:
        requirement = Requirement(text)
        (specifier,) = requirement.specifier  # pyproject.toml pins each one with ==
        assert specifier.operator == "=="
        assert pins[canonicalize_name(requirement.name)] == specifier.version, requirement.name
