"""Read the clinical spec tables (``tests/spec/tables/*.md``) into test cases.

Each table is an ordinary Markdown table under a heading. Its first column is the case name,
which becomes the pytest id. The ``answers`` column lists only what differs from the calm
baseline assessment of ``tests/conftest.py``, written as ``field: value`` pairs separated by
``;``. Lists are comma-separated (``red_flags: fever, night_pain``), maps use ``=``
(``prior_response: swedish=worse``), booleans are ``yes``/``no``, ``—`` means "nothing", and
``left out`` removes the field from the input (it takes its default, unanswered).
Backticks are only formatting and are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sciatica_care.domain.assessment import Assessment, parse_assessment
from tests.conftest import baseline

TABLES_DIR = Path(__file__).parent / "tables"
NOTHING = {"", "—", "-", "none", "(baseline)"}
LEFT_OUT = "left out"

_LIST_FIELDS = {"areas", "symptoms", "aggravated_by", "red_flags", "conditions", "goals"}
_MAP_FIELDS = {"prior_response", "area_sides"}
_BOOL_FIELDS = {"pregnant", "first_episode", "seen_clinician"}
_INT_FIELDS = {"age", "back_pain", "leg_pain"}
_FLOAT_FIELDS = {"duration_weeks"}


@dataclass(frozen=True)
class Row:
    """One row of a spec table: its case name, its cells by column, and where it came from."""

    case: str
    cells: dict[str, str]
    where: str

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def param(self, *values: Any) -> Any:
        """This row as a ``pytest.param`` whose id is the case name."""
        return pytest.param(*values, id=self.case)


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[Row]


def _cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip().replace("`", "").strip() for cell in inner.split("|")]


def read_tables(name: str) -> list[Table]:
    """Every table in ``tables/NAME.md``, each titled by the nearest heading above it."""
    path = TABLES_DIR / f"{name}.md"
    tables: list[Table] = []
    title = ""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            title = line.lstrip("#").strip()
        if line.startswith("|") and i + 1 < len(lines) and set(lines[i + 1]) <= set("|-: "):
            columns = [c.lower() for c in _cells(line)]
            rows: list[Row] = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                values = _cells(lines[i])
                if len(values) != len(columns):
                    raise ValueError(f"{path.name}:{i + 1}: expected {len(columns)} cells")
                cells = dict(zip(columns, values, strict=True))
                rows.append(Row(values[0], cells, f"{path.name}:{i + 1}"))
                i += 1
            tables.append(Table(title, columns, rows))
            continue
        i += 1
    return tables


def rows_of(name: str, *, having: str) -> list[Row]:
    """The rows of every table in ``tables/NAME.md`` that has the column ``having``."""
    rows = [row for t in read_tables(name) if having in t.columns for row in t.rows]
    names = [row.case for row in rows]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{name}.md: case names must be unique, repeated: {duplicates}")
    return rows


def id_list(cell: str) -> list[str]:
    """A comma-separated list of ids; ``—`` is the empty list."""
    if cell.strip().lower() in NOTHING:
        return []
    return [part.strip() for part in cell.split(",") if part.strip()]


def yes_no(cell: str) -> bool:
    value = cell.strip().lower()
    if value not in {"yes", "no", "true", "false"}:
        raise ValueError(f"expected yes or no, got {cell!r}")
    return value in {"yes", "true"}


def _value(field: str, text: str) -> Any:
    if text.strip().lower() == LEFT_OUT:
        return LEFT_OUT
    if field in _LIST_FIELDS:
        return id_list(text)
    if field in _MAP_FIELDS:
        pairs = (part.split("=", 1) for part in id_list(text))
        return {key.strip(): value.strip() for key, value in pairs}
    if field in _BOOL_FIELDS:
        return yes_no(text)
    if field in _INT_FIELDS:
        return int(text)
    if field in _FLOAT_FIELDS:
        return float(text)
    return text


def answers(cell: str) -> dict[str, Any]:
    """The changes a row makes to the baseline, as assessment fields."""
    if cell.strip().lower() in NOTHING:
        return {}
    changes: dict[str, Any] = {}
    for part in cell.split(";"):
        field, sep, text = part.partition(":")
        if not sep:
            raise ValueError(f"answers must be 'field: value', got {part.strip()!r}")
        changes[field.strip()] = _value(field.strip(), text.strip())
    return changes


def assessment_of(row: Row, column: str = "answers") -> Assessment:
    """The baseline assessment with the row's answers applied (validated strictly)."""
    data = baseline(**answers(row[column]))
    return parse_assessment({k: v for k, v in data.items() if v != LEFT_OUT})


def iter_ids(rows: list[Row], column: str) -> Iterator[str]:
    """Every id named in ``column`` across ``rows``."""
    for row in rows:
        yield from id_list(row[column])
