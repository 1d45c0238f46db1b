"""The result in the terminal with rich: the same sections and words as ``reports.text``.

Loud sections (emergency, urgent) are red panels that cannot be missed; a provisional plan or a
clinician referral is a yellow panel; everything else is a titled list.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sciatica_care.domain.result import Result
from sciatica_care.reports.text import Section, sections

_PANEL_STYLE = {"emergency": "bold red", "urgent": "red", "caution": "yellow", "calm": "green"}


def console() -> Console:
    """A console on stdout; colours only when stdout is a terminal."""
    return Console(highlight=False)


def _hanging(mark: str, text: Text, *, indent: int) -> Padding:
    """``mark`` then ``text``, wrapped lines aligned under the text, not the mark."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(mark, text)
    return Padding(grid, (0, 0, 0, indent), expand=False)


def _body(section: Section) -> Group:
    parts: list[RenderableType] = []
    for block in section.blocks:
        if block.heading:
            parts.append(Text(block.heading, style="bold"))
        parts += [Text(p) for p in block.paragraphs]
        for n, item in enumerate(block.items, start=1):
            parts.append(_hanging(f"{n}." if block.ordered else "•", Text(item.text), indent=1))
            parts += [_hanging("-", Text(d, style="dim"), indent=5) for d in item.details]
        parts.append(Text(""))
    if parts:
        parts.pop()
    return Group(*parts)


def render_section(section: Section) -> RenderableType:
    """One section as a rich renderable: a panel for a triage message, else a titled block."""
    style = _PANEL_STYLE.get(section.tone)
    if style is not None:
        title = f"[{style}]{escape(section.title)}[/]"
        return Panel(_body(section), title=title, title_align="left", border_style=style)
    return Group(Text(section.title, style="bold underline"), _body(section))


def print_result(
    out: Console, result: Result, *, citations: Mapping[str, str] | None, language: str = "en"
) -> None:
    """Print the whole result, safety message first, its fixed words in ``language``."""
    for section in sections(result, citations=citations, language=language):
        out.print(render_section(section))
        out.print()
