"""The knowledge base in another language: an overlay file per data file, validated at load.

``data/<lang>/<file>.yaml`` mirrors the English file's shape for its user-facing texts only:
a list entry with an ``id`` is keyed by that id, any other list item by its position, and each
text field (``reason``, ``tell_doctor``, ``headline``, …) holds the translation. Ids, conditions,
numbers and sources stay in the English file and are never translated. A missing, empty or
stale translation is a :class:`KnowledgeBaseError` naming the file, the entry and the field.

Every overlay file says who checked it in ``review`` (e.g. "translated; not yet reviewed by a
Korean clinician"); the loaded knowledge base carries that note so pages can show it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: Fields whose string values a person reads.
TEXT_KEYS = frozenset(
    {
        "advice",
        "caution",
        "description",
        "disfavour",
        "dose",
        "favour",
        "first_action",
        "frequency",
        "headline",
        "hold_advice",
        "hold_headline",
        "hold_reason",
        "how",
        "label",
        "meaning",
        "name",
        "reason",
        "review",
        "soreness",
        "stop_if",
        "summary",
        "tell_doctor",
        "text",
        "title",
    }
)
#: Fields holding a list of texts a person reads.
TEXT_LIST_KEYS = frozenset({"then", "fits"})
#: Files with nothing to translate (citations stay in their own language).
UNTRANSLATED = frozenset({"sources"})
#: The overlay's own keys (not part of the English shape).
OVERLAY_KEYS = frozenset({"review"})
#: (top-level section, field) pairs whose strings are ids, not texts: a triage rule's
#: ``first_action`` names an entry of ``first_actions``.
REFERENCES = frozenset({("rules", "first_action")})

Path = tuple[str, ...]


class TranslationError(ValueError):
    """An overlay does not match its English file; the message names file, entry and field."""


def _key(item: Any, index: int) -> str:
    return str(item["id"]) if isinstance(item, dict) and "id" in item else str(index)


def text_paths(node: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every user-facing text in an English document, with its path (ids for list entries)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if path and (path[0], key) in REFERENCES:
                continue
            if key in TEXT_KEYS and isinstance(value, str):
                yield (*path, str(key)), value
            elif key in TEXT_LIST_KEYS and isinstance(value, list):
                for i, text in enumerate(value):
                    if isinstance(text, str):
                        yield (*path, str(key), str(i)), text
            else:
                yield from text_paths(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from text_paths(item, (*path, _key(item, i)))


def _lookup(node: Any, path: Path) -> Any:
    for step in path:
        if isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        elif isinstance(node, dict):
            node = node.get(step, node.get(int(step)) if step.isdigit() else None)
        else:
            return None
    return node


def _where(file: str, path: Path) -> str:
    field = ".".join(path[-2:]) if len(path) > 1 and path[-1].isdigit() else path[-1]
    entry = ".".join(p for p in path[:-1] if not p.isdigit() or p != path[-1]) or "(top)"
    if len(path) > 1 and path[-1].isdigit():
        entry = ".".join(path[:-2]) or "(top)"
    return f"{file}: entry {entry}: field {field}"


def _overlay_paths(node: Any, path: Path = ()) -> Iterator[Path]:
    if isinstance(node, dict):
        for key, value in node.items():
            if not path and key in OVERLAY_KEYS:
                continue
            yield from _overlay_paths(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _overlay_paths(item, (*path, str(i)))
    else:
        yield path


def check_overlay(file: str, english: Any, overlay: Any) -> dict[Path, str]:
    """The translations of ``english`` in ``overlay`` by path; TranslationError naming the
    first few missing, empty or stale ones (and a missing ``review`` note)."""
    problems: list[str] = []
    if not isinstance(overlay, dict) or not str(overlay.get("review") or "").strip():
        problems.append(f"{file}: review: say who checked this translation")
        overlay = overlay if isinstance(overlay, dict) else {}
    found: dict[Path, str] = {}
    for path, text in text_paths(english):
        if not text.strip():
            continue  # nothing to say in any language
        value = _lookup(overlay, path)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{_where(file, path)}: missing translation")
        else:
            found[path] = value
    known = {path for path, _ in text_paths(english)}
    for path in _overlay_paths(overlay):
        if path not in known:
            problems.append(f"{_where(file, path)}: no such English text (stale translation)")
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise TranslationError("; ".join(problems[:5]) + more)
    return found


def translate(node: Any, found: dict[Path, str], path: Path = ()) -> Any:
    """A copy of the English document with every text replaced by its translation."""
    if isinstance(node, dict):
        copy: dict[Any, Any] = {}
        for key, value in node.items():
            here = (*path, str(key))
            if path and (path[0], key) in REFERENCES:
                copy[key] = value
            elif key in TEXT_KEYS and isinstance(value, str):
                copy[key] = found.get(here, value)
            elif key in TEXT_LIST_KEYS and isinstance(value, list):
                copy[key] = [
                    found.get((*here, str(i)), text) if isinstance(text, str) else text
                    for i, text in enumerate(value)
                ]
            else:
                copy[key] = translate(value, found, here)
        return copy
    if isinstance(node, list):
        return [translate(item, found, (*path, _key(item, i))) for i, item in enumerate(node)]
    return node
