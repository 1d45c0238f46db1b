"""Load the knowledge base from its YAML files, validate it, and compile its conditions.

A typo in a data file is a clear :class:`KnowledgeBaseError` at start-up naming the file and the
entry. The sha256 of the files' bytes is the knowledge-base version stamped on every result.
The packaged knowledge base, once validated, is kept on disk for the next start
(``knowledge/cache.py``): a run whose files hash the same skips reading the YAML.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.rules import RuleError, compile_condition
from sciatica_care.domain.vocabulary import RED_FLAGS, TECHNIQUES
from sciatica_care.knowledge import cache as disk
from sciatica_care.knowledge.translations import (
    UNTRANSLATED,
    TranslationError,
    check_overlay,
    translate,
)

DATA_DIR = Path(__file__).parent / "data"
FILES = (
    "sources",
    "definitions",
    "triage",
    "techniques",
    "contraindications",
    "ranking",
    "targets",
    "selfcare",
    "plan",
)
#: The languages the knowledge base is written in besides English (``data/<language>/``).
LANGUAGES = ("ko",)


class KnowledgeBaseError(ValueError):
    """The knowledge base on disk is invalid; the message names file and entry."""


#: One data file as read: its label ("ko/plan.yaml") and its bytes, or why it could not be read.
Read = tuple[str, bytes | OSError]


def _read_bytes(directory: Path) -> tuple[list[Read], Any]:
    """Every data file's bytes (English first, then each language's overlays) and the hash of
    them all: one hash, so a result's version names the texts in every language."""
    labels = [f"{name}.yaml" for name in FILES] + [
        f"{language}/{name}.yaml"
        for language in LANGUAGES
        for name in FILES
        if name not in UNTRANSLATED
    ]
    digest = hashlib.sha256()
    files: list[Read] = []
    for label in labels:
        try:
            raw = (directory / label).read_bytes()
        except OSError as exc:
            files.append((label, exc))
        else:
            digest.update(label.encode() + b"\0" + raw + b"\0")
            files.append((label, raw))
    return files, digest


def _load_yaml(label: str, raw: bytes | OSError) -> Any:
    import yaml  # only when the files are read, not when the validated copy is

    if isinstance(raw, OSError):
        raise KnowledgeBaseError(f"{label}: cannot read ({raw.strerror})") from None
    # The C loader is several times faster; fall back when libyaml is absent.
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{label}: not valid YAML: {exc}") from None


def _parse(files: list[Read]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The English documents and every language's overlays, in the order they were read."""
    docs: dict[str, Any] = {}
    overlays: dict[str, dict[str, Any]] = {language: {} for language in LANGUAGES}
    for label, raw in files:
        language, _, name = label.removesuffix(".yaml").rpartition("/")
        if language:
            overlays[language][name] = _load_yaml(label, raw)
        else:
            docs[name] = _load_yaml(label, raw)
    return docs, overlays


def _translations(
    docs: dict[str, Any], overlays: dict[str, dict[str, Any]]
) -> dict[str, dict[str, dict[tuple[str, ...], str]]]:
    """Every overlay checked against its English file (KnowledgeBaseError naming file, entry
    and field for a missing, empty or stale translation)."""
    found: dict[str, dict[str, dict[tuple[str, ...], str]]] = {}
    for language, files in overlays.items():
        found[language] = {}
        for name, overlay in files.items():
            try:
                found[language][name] = check_overlay(
                    f"{language}/{name}.yaml", docs[name], overlay
                )
            except TranslationError as exc:
                raise KnowledgeBaseError(str(exc)) from None
    return found


def _assemble(docs: dict[str, Any], version: str) -> dict[str, Any]:
    return {
        "version": version,
        "sources": {s["id"]: s for s in docs["sources"].get("sources", [])},
        "definitions": docs["definitions"].get("definitions", []),
        "levels": docs["triage"].get("levels", {}),
        "first_actions": docs["triage"].get("first_actions", {}),
        "triage_rules": docs["triage"].get("rules", []),
        "techniques": {t["id"]: t for t in docs["techniques"].get("techniques", [])},
        "evidence_context": docs["techniques"].get("context", []),
        "matrix": docs["contraindications"].get("rows", []),
        "tie_break": docs["ranking"].get("tie_break", []),
        "adjustments": docs["ranking"].get("adjustments", []),
        "outcome_weight": docs["ranking"].get("outcome_weight", {}),
        "targets": docs["targets"].get("regions", {}),
        "self_care": docs["selfcare"].get("items", []),
        "session": docs["plan"].get("session", {}),
        "when_to_get_help": docs["plan"].get("when_to_get_help", {}),
    }


_FILE_OF = {
    "sources": "sources.yaml",
    "definitions": "definitions.yaml",
    "levels": "triage.yaml",
    "first_actions": "triage.yaml",
    "triage_rules": "triage.yaml",
    "techniques": "techniques.yaml",
    "evidence_context": "techniques.yaml",
    "matrix": "contraindications.yaml",
    "tie_break": "ranking.yaml",
    "adjustments": "ranking.yaml",
    "outcome_weight": "ranking.yaml",
    "targets": "targets.yaml",
    "self_care": "selfcare.yaml",
    "session": "plan.yaml",
    "when_to_get_help": "plan.yaml",
}


def _describe(exc: ValidationError, raw: dict[str, Any]) -> str:
    lines = []
    for err in exc.errors()[:5]:
        loc = list(err["loc"])
        section = str(loc[0]) if loc else ""
        entry = ""
        if len(loc) > 1:
            container = raw.get(section)
            item: Any = None
            if isinstance(container, list) and isinstance(loc[1], int):
                item = container[loc[1]]
            elif isinstance(container, dict):
                item = container.get(loc[1])
            label = item.get("id") if isinstance(item, dict) else None
            entry = f" entry {label or loc[1]!s}"
        rest = ".".join(str(p) for p in loc[2:])
        lines.append(f"{_FILE_OF.get(section, section)}:{entry} {rest}: {err['msg']}".strip())
    return "; ".join(lines)


def _check_references(kb: KnowledgeBase) -> None:
    """Every source id resolves, every technique is described, ids are unique."""
    known = set(kb.sources)
    cited: list[tuple[str, str, list[str]]] = [
        ("definitions.yaml", d.id, d.sources) for d in kb.definitions
    ]
    cited += [("triage.yaml", r.id, r.sources) for r in kb.triage_rules]
    cited += [("techniques.yaml", t.id, t.evidence.sources) for t in kb.techniques.values()]
    cited += [("techniques.yaml", e.id, e.sources) for e in kb.evidence_context]
    cited += [("contraindications.yaml", r.id, r.sources) for r in kb.matrix]
    cited += [("ranking.yaml", a.id, a.sources) for a in kb.adjustments]
    cited += [("targets.yaml", str(k), t.sources) for k, t in kb.targets.items()]
    for item in kb.self_care:
        cited.append(("selfcare.yaml", item.id, item.sources))
        cited += [("selfcare.yaml", item.id, x.sources) for x in item.avoid]
        cited += [("selfcare.yaml", item.id, x.sources) for x in item.modify]
    cited.append(("plan.yaml", "session", kb.session.sources))
    for file, entry, sources in cited:
        for source in sources:
            if source not in known:
                raise KnowledgeBaseError(f"{file}: entry {entry}: unknown source {source!r}")
    if set(kb.techniques) != set(TECHNIQUES):
        missing = sorted(set(TECHNIQUES) - set(kb.techniques))
        raise KnowledgeBaseError(f"techniques.yaml: techniques missing: {missing}")
    if sorted(kb.tie_break) != sorted(TECHNIQUES):
        raise KnowledgeBaseError("ranking.yaml: tie_break must list each technique once")
    for group in (kb.when_to_get_help.emergency, kb.when_to_get_help.urgent):
        for flag in group:
            if flag not in RED_FLAGS:
                raise KnowledgeBaseError(f"plan.yaml: when_to_get_help: unknown red flag {flag!r}")
    for rule in kb.triage_rules:
        if rule.first_action is None:
            continue
        if rule.first_action not in kb.first_actions:
            raise KnowledgeBaseError(
                f"triage.yaml: entry {rule.id}: unknown first action {rule.first_action!r}"
            )
        if rule.level not in ("emergency", "urgent"):
            raise KnowledgeBaseError(
                f"triage.yaml: entry {rule.id}: "
                "only emergency and urgent rules carry a first action"
            )
    ids = [d.id for d in kb.definitions] + [r.id for r in kb.triage_rules]
    ids += [e.id for e in kb.evidence_context] + [r.id for r in kb.matrix]
    ids += [a.id for a in kb.adjustments] + [i.id for i in kb.self_care]
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise KnowledgeBaseError(f"duplicate id {entry_id!r}")
        seen.add(entry_id)


def _compile(kb: KnowledgeBase) -> None:
    derived: set[str] = set()
    for d in kb.definitions:
        d._predicate = compile_condition(
            d.when, derived=frozenset(derived), where=f"definitions.yaml: entry {d.id}"
        )
        derived.add(d.id)
    names = frozenset(derived)

    def build(spec: Any, where: str) -> Any:
        return None if spec is None else compile_condition(spec, derived=names, where=where)

    for rule in kb.triage_rules:
        if rule.when is None:
            raise KnowledgeBaseError(f"triage.yaml: entry {rule.id}: needs a 'when'")
        rule._predicate = build(rule.when, f"triage.yaml: entry {rule.id}")
    for s in kb.evidence_context:
        s._predicate = build(s.when, f"techniques.yaml: entry {s.id}")
    for row in kb.matrix:
        row._predicate = build(row.when, f"contraindications.yaml: entry {row.id}")
    for adj in kb.adjustments:
        adj._predicate = build(adj.when, f"ranking.yaml: entry {adj.id}")
    for item in kb.self_care:
        where = f"selfcare.yaml: entry {item.id}"
        item._predicate = build(item.when, where)
        item._suits = build(item.suits, where)
        for extra in [*item.avoid, *item.modify]:
            extra._predicate = build(extra.when, where)


def _build(
    docs: dict[str, Any],
    version: str,
    language: str,
    review: str,
    snapshot: list[bytes] | None = None,
) -> KnowledgeBase:
    raw = _assemble(docs, version)
    raw["language"] = language
    raw["translation_review"] = review
    try:
        kb = KnowledgeBase.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeBaseError(_describe(exc, raw)) from None
    _check_references(kb)
    if snapshot is not None:  # validated, before its conditions become (unpicklable) code
        snapshot.append(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
    _compile_or_fail(kb)
    return kb


def _compile_or_fail(kb: KnowledgeBase) -> None:
    try:
        _compile(kb)
    except RuleError as exc:
        raise KnowledgeBaseError(str(exc)) from None


def _check_language(language: str) -> None:
    if language != "en" and language not in LANGUAGES:
        raise KnowledgeBaseError(f"no knowledge base in language {language!r}")


def _load(
    files: list[Read], version: str, language: str, snapshot: list[bytes] | None = None
) -> KnowledgeBase:
    docs, overlays = _parse(files)
    english = _build(docs, version, "en", "", snapshot if language == "en" else None)
    translations = _translations(docs, overlays)
    if language == "en":
        return english
    translated = {
        name: translate(doc, translations[language].get(name, {})) for name, doc in docs.items()
    }
    review = str(overlays[language]["triage"].get("review", ""))
    return _build(translated, version, language, review, snapshot)


def load_knowledge_base(
    directory: Path = DATA_DIR, language: str = "en", *, cache_dir: Path | None = None
) -> KnowledgeBase:
    """Read, validate and compile the knowledge base in ``directory``, its texts in
    ``language`` ("en" or one of LANGUAGES). The English files are checked first, then every
    language's translations whichever is asked for, so a missing one fails at start-up.

    With ``cache_dir``, a copy validated by an earlier run from files with the same hash (and
    the same code) is used instead of reading the YAML; a missing, stale or unreadable copy is
    made again. Raises KnowledgeBaseError naming the file and entry of the first problems found.
    """
    _check_language(language)
    files, digest = _read_bytes(directory)
    version = digest.hexdigest()[:12]
    readable = all(not isinstance(raw, OSError) for _, raw in files)
    key = disk.key(digest.digest(), language) if cache_dir is not None and readable else None
    if cache_dir is not None and key is not None:
        kept = disk.read(cache_dir, language, key)
        if isinstance(kept, KnowledgeBase) and kept.version == version:
            _compile_or_fail(kept)
            return kept
    snapshot: list[bytes] | None = [] if key is not None else None
    kb = _load(files, version, language, snapshot)
    if cache_dir is not None and key is not None and snapshot:
        disk.write(cache_dir, language, key, snapshot[0])
    return kb


@cache
def knowledge_base(language: str = "en") -> KnowledgeBase:
    """The packaged knowledge base in ``language``, loaded once per process and language (and
    kept validated on disk between runs, see ``knowledge/cache.py``), with the compiled rule
    code an earlier run kept (:func:`keep_rule_code`)."""
    folder = disk.cache_dir()
    if folder is not None:
        _use_kept_code(folder)
    return load_knowledge_base(language=language, cache_dir=folder)


@cache
def _use_kept_code(folder: Path) -> None:
    from sciatica_care.domain.rule_code import keep_compiled

    keep_compiled(disk.read_code(folder))


def keep_rule_code() -> None:
    """Keep the rule code this process compiled for the next runs (best-effort; nothing to do
    when it compiled none)."""
    from sciatica_care.domain.rule_code import newly_compiled

    folder = disk.cache_dir()
    compiled = newly_compiled()
    if folder is not None and compiled:
        disk.write_code(folder, compiled)
