"""``sciatica-care techniques [ID]``: the knowledge base's techniques, with their sources."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import typer

from sciatica_care.cli.errors import fail

if TYPE_CHECKING:
    from sciatica_care.domain.kb import KnowledgeBase, Technique


def _kb() -> KnowledgeBase:
    from sciatica_care.cli.assess import knowledge_base_or_fail

    return knowledge_base_or_fail()


def _pressure(t: Technique) -> str:
    low, high = t.pressure.min, t.pressure.max
    return low if low == high else f"{low} to {high}"


def list_techniques() -> None:
    """Print one line per technique: id, name, pressure and evidence grade."""
    kb = _kb()
    typer.echo(f"{'id':<20} {'name':<24} {'pressure':<16} evidence")
    for t in kb.techniques.values():
        grade = t.evidence.grade.replace("_", " ")
        typer.echo(f"{t.id:<20} {t.name:<24} {_pressure(t):<16} {grade}")
    typer.echo("\nShow one in full: sciatica-care techniques ID")


def describe(kb: KnowledgeBase, technique: str) -> str:
    """The full entry of one technique as plain text, with its matrix rows and sources."""
    t = kb.techniques[technique]  # type: ignore[index]
    cited = list(t.evidence.sources)
    lines = [
        f"{t.name} ({t.id})",
        "",
        t.description,
        "",
        f"How: {t.how}",
        f"Pressure: {_pressure(t)}",
        f"Session length: {t.session_minutes} minutes",
        f"Fits: {'; '.join(t.fits)}",
        "",
        f"Evidence ({t.evidence.grade.replace('_', ' ')}): {t.evidence.summary} "
        f"[{', '.join(t.evidence.sources)}]",
    ]
    for action, heading in (("exclude", "Do not use when"), ("precaution", "Take care when")):
        rows = [(r, r.cells[t.id]) for r in kb.matrix if t.id in r.cells]
        rows = [(r, c) for r, c in rows if c.action == action]
        if not rows:
            continue
        lines += ["", f"{heading}:"]
        for row, cell in rows:
            cap = f" (at most {cell.max_pressure} pressure)" if cell.max_pressure else ""
            lines.append(f"  - {row.label}: {cell.text}{cap} [{', '.join(row.sources)}]")
            cited += row.sources
    lines += ["", "Sources:"]
    for source in dict.fromkeys(cited):
        info = kb.sources.get(source)
        lines.append(f"  [{source}] {info.citation if info else source}")
    wrapped = [
        textwrap.fill(line, 78, subsequent_indent="    " if line.startswith("  ") else "")
        for line in lines
    ]
    return "\n".join(wrapped) + "\n"


def show_technique(technique: str) -> None:
    """Print one technique in full; an unknown id exits 2 naming the valid ones."""
    kb = _kb()
    if technique not in kb.techniques:
        fail(f"unknown technique {technique!r}; choose one of {', '.join(kb.techniques)}")
    typer.echo(describe(kb, technique), nl=False)
