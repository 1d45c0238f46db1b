"""The CSV formula guard also catches a formula hidden after a ";", leading spaces or a line
break: a spreadsheet that splits on ";" (or mishandles a quoted line break) would run it."""

from __future__ import annotations

import pytest

from sciatica_care.reports.export import safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("fine;=HYPERLINK(1)", "fine;'=HYPERLINK(1)"),
        (["knee_to_chest", "@cmd"], "knee_to_chest;'@cmd"),
        ("sore; -2 today", "sore;' -2 today"),
        ("  =1+1", "'  =1+1"),
        (" +44 20", "' +44 20"),
        ("first line\n=cmd|' /C calc'!A0", "first line\n'=cmd|' /C calc'!A0"),
        ("a\r\n+1", "a\r\n'+1"),
        ("a;\tb", "a;'\tb"),
    ],
)
def test_a_formula_after_a_separator_a_space_or_a_line_break_is_defused(
    value: object, cell: str
) -> None:
    assert safe_cell(value) == cell


@pytest.mark.parametrize(
    "value",
    ["Better today; walked 20 min", "a = b", "sat down\nlater -- fine, @home", "x; y"],
)
def test_ordinary_text_is_left_as_it_is(value: str) -> None:
    assert safe_cell(value) == value
