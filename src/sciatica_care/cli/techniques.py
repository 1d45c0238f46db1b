"""``sciatica-care techniques [ID]``: the knowledge base's techniques, with their sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from sciatica_care.cli.errors import fail
from sciatica_care.cli.language import gettext_of

if TYPE_CHECKING:
    from sciatica_care.domain.kb import KnowledgeBase, Technique


def _kb() -> KnowledgeBase:
    from sciatica_care.cli.assess import knowledge_base_or_fail

    return knowledge_base_or_fail()


def _pressure(t: Technique) -> str:
    _ = gettext_of()
    low, high = t.pressure.min, t.pressure.max
    if _ is str:
        return low if low == high else f"{low} to {high}"
    said_low, said_high = _word(low), _word(high)
    if low == high:
        return said_low
    return _("%(low)s to %(high)s") % {"low": said_low, "high": said_high}


def _word(pressure: str) -> str:
    """A pressure id ("light") as the chosen language says it (English: the id itself)."""
    _ = gettext_of()
    if _ is str:
        return pressure
    from sciatica_care.domain.vocabulary import label

    return _(label("pressure_preference", pressure))


def _grade(t: Technique) -> str:
    from sciatica_care.reports.text import GRADE_WORDS

    _ = gettext_of()
    return _(GRADE_WORDS.get(t.evidence.grade, t.evidence.grade.replace("_", " ")))


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Hangul letter takes two)."""
    from sciatica_care.reports.text import columns

    return text + " " * max(1, width - columns(text))


def list_techniques() -> None:
    """Print one line per technique: id, name, pressure and evidence grade."""
    kb = _kb()
    _ = gettext_of()
    name, pressure, evidence = _("name"), _("pressure"), _("evidence")
    typer.echo(f"{_pad('id', 21)}{_pad(name, 25)}{_pad(pressure, 17)}{evidence}")
    for t in kb.techniques.values():
        typer.echo(f"{_pad(t.id, 21)}{_pad(t.name, 25)}{_pad(_pressure(t), 17)}{_grade(t)}")
    typer.echo(
        "\n" + _("Show one in full: %(command)s") % {"command": "sciatica-care techniques ID"}
    )


def describe(kb: KnowledgeBase, technique: str) -> str:
    """The full entry of one technique as plain text, with its matrix rows and sources."""
    _ = gettext_of()
    t = kb.techniques[technique]  # type: ignore[index]
    cited = list(t.evidence.sources)
    lines = [
        f"{t.name} ({t.id})",
        "",
        t.description,
        "",
        _("How: %(text)s") % {"text": t.how},
        _("Pressure: %(text)s") % {"text": _pressure(t)},
        _("Session length: %(minutes)s minutes") % {"minutes": t.session_minutes},
        _("Fits: %(text)s") % {"text": "; ".join(t.fits)},
        "",
        _("Evidence (%(grade)s): %(text)s")
        % {"grade": _grade(t), "text": f"{t.evidence.summary} [{', '.join(t.evidence.sources)}]"},
    ]
    headings = (("exclude", _("Do not use when")), ("precaution", _("Take care when")))
    for action, heading in headings:
        rows = [(r, r.cells[t.id]) for r in kb.matrix if t.id in r.cells]
        rows = [(r, c) for r, c in rows if c.action == action]
        if not rows:
            continue
        lines += ["", f"{heading}:"]
        for row, cell in rows:
            cap = (
                " " + _("(at most %(pressure)s pressure)") % {"pressure": _word(cell.max_pressure)}
                if cell.max_pressure
                else ""
            )
            lines.append(f"  - {row.label}: {cell.text}{cap} [{', '.join(row.sources)}]")
            cited += row.sources
    lines += ["", _("Sources:")]
    for source in dict.fromkeys(cited):
        info = kb.sources.get(source)
        lines.append(f"  [{source}] {info.citation if info else source}")
    from sciatica_care.reports.text import wrap

    wrapped = [
        "\n".join(wrap(line, 78, "", "    " if line.startswith("  ") else "")) if line else ""
        for line in lines
    ]
    return "\n".join(wrapped) + "\n"


def show_technique(technique: str) -> None:
    """Print one technique in full; an unknown id exits 2 naming the valid ones."""
    kb = _kb()
    if technique not in kb.techniques:
        _ = gettext_of()
        fail(
            _("unknown technique %(id)s; choose one of %(choices)s")
            % {"id": repr(technique), "choices": ", ".join(kb.techniques)}
        )
    typer.echo(describe(kb, technique), nl=False)
