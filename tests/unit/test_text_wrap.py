"""The plain-text renderer's wrapping is textwrap's, line for line, whatever the text."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from sciatica_care.reports.text import wrap

words = st.one_of(
    st.text(alphabet="abc.,:()", max_size=12), st.text(alphabet="ab-.,:() \t\n", max_size=12)
)


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(words, max_size=30).map(" ".join),
    st.integers(min_value=8, max_value=100),
    st.sampled_from(["", "  - ", "!! ", "      * "]),
    st.sampled_from(["", "    ", "!! ", "        "]),
)
def test_wrap_is_textwraps(text: str, width: int, first: str, rest: str) -> None:
    expected = textwrap.wrap(
        text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens="-" in text
    ) or [first]
    assert wrap(text, width, first, rest) == expected


def test_long_words_and_spaces_at_the_ends_wrap_as_textwrap_does() -> None:
    for text in [" lead", "trail ", " both ", "x" * 120, "a " * 60, "word " + "y" * 90 + " end"]:
        for width in (10, 78):
            expected = textwrap.wrap(text, width, initial_indent="  - ", subsequent_indent="    ")
            assert wrap(text, width, "  - ", "    ") == (expected or ["  - "])
