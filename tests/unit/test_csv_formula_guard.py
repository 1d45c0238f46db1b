"""The CSV formula guard also catches a formula hidden after a ";", leading spaces, a line break
or a tab: a spreadsheet that splits on ";" (or mishandles a quoted line break, or a pasted cell
split at its tabs) would run it. Numbers are numbers, never formulas."""

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
        # After a tab inside the cell, with or without blanks.
        ("note\t=cmd|' /C calc'!A0", "note\t'=cmd|' /C calc'!A0"),
        ("x\t  +1", "x\t  '+1"),
        # After a no-break space at the start or after a separator.
        ("\u00a0=1+1", "'\u00a0=1+1"),
        ("fine; \u00a0@SUM(1)", "fine;' \u00a0@SUM(1)"),
        # After a lone carriage return, and several breaks in a row.
        ("a\r-1", "a\r'-1"),
        ("a;;\n\n=1", "a;;\n\n'=1"),
        # In a readable list joined with "; ".
        (["Sitting", "=HYPERLINK(1)"], "Sitting;'=HYPERLINK(1)"),
        ("Sitting; =HYPERLINK(1)", "Sitting;' =HYPERLINK(1)"),
    ],
)
def test_a_formula_after_a_separator_a_space_or_a_line_break_is_defused(
    value: object, cell: str
) -> None:
    assert safe_cell(value) == cell


@pytest.mark.parametrize(
    "value",
    [
        "Better today; walked 20 min",
        "a = b",
        "sat down\nlater -- fine, @home",
        "x; y",
        "walked\t20 min",
        "Knee to chest; Sciatic nerve glide",
    ],
)
def test_ordinary_text_is_left_as_it_is(value: str) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize(("value", "cell"), [(-2, "-2"), (0, "0"), (4.5, "4.5"), (-0.5, "-0.5")])
def test_numbers_are_written_as_numbers(value: float, cell: str) -> None:
    assert safe_cell(value) == cell
