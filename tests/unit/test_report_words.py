"""The doctor's report's sentences about change (reports/words.py): English exactly as the
domain wrote them, Korean said again from the same figures for every case."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from sciatica_care.domain.diary import describe_change
from sciatica_care.domain.learning import Figure, Harm, TechniqueSummary, WhatHelped
from sciatica_care.domain.outcomes import psfs_change, sbi_change
from sciatica_care.reports import words

HANGUL = re.compile(r"[가-힣]")
ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")


def korean(text: str) -> None:
    assert HANGUL.search(text), text
    assert not ENGLISH_WORD.search(text), text
    assert "%(" not in text, text


@pytest.mark.parametrize("totals", [[], [8], [8, 5], [5, 8], [6, 6]])
def test_sbi(totals: list[int]) -> None:
    change = sbi_change(totals)
    assert words.sbi_words(change, "en") == change.summary
    korean(words.sbi_words(change, "ko"))


@pytest.mark.parametrize(
    "means", [[], [4.0], [4.0, 4.0], [4.0, 5.0], [5.0, 4.0], [3.0, 6.0], [6.0, 3.0]]
)
def test_psfs(means: list[float]) -> None:
    change = psfs_change(means)
    assert words.psfs_words(change, "en") == change.summary
    korean(words.psfs_words(change, "ko"))


@pytest.mark.parametrize(
    ("baseline", "current"),
    [(None, 5.0), (6.0, 6.0), (6.0, 5.0), (6.0, 7.0), (6.0, 3.0), (3.0, 6.0), (5.0, 3.5)],
)
@pytest.mark.parametrize("measure", ["leg", "back"])
def test_trend(baseline: float | None, current: float, measure: str) -> None:
    change = describe_change(measure, baseline, current)  # type: ignore[arg-type]
    assert words.trend_words(change, "en") == change.verdict
    korean(words.trend_words(change, "ko"))


def summary(**changes: object) -> TechniqueSummary:
    figure = Figure(measure="leg", span="after_session", mean_change=None, sessions=0)
    values: dict[str, object] = {
        "technique": "swedish",
        "name": "Swedish massage",
        "sessions": 3,
        "leg_after_session": figure,
        "back_after_session": figure,
        "leg_next_day": figure,
        "back_next_day": figure,
        "verdict": None,
        "basis": None,
        "sentence": "as the domain wrote it",
    }
    values.update(changes)
    return TechniqueSummary.model_validate(values)


def basis(span: str, change: float) -> Figure:
    return Figure(measure="back", span=span, mean_change=change, sessions=4)  # type: ignore[arg-type]


def harm(span: str, rise: float | None) -> Harm:
    at = datetime(2026, 3, 3, tzinfo=UTC)
    return Harm(session_at=at, measure="leg", span=span, rise=rise, occurrences=2)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "case",
    [
        summary(sessions=1),
        summary(sessions=4),
        summary(verdict="helped", basis=basis("after_session", -2.5)),
        summary(verdict="helped", basis=basis("next_day", -2.0)),
        summary(verdict="worse", basis=basis("after_session", 3.0)),
        summary(verdict="worse", basis=basis("next_day", 2.0)),
        summary(verdict="no_change", basis=basis("after_session", -1.0)),
        summary(verdict="worse", harm=harm("soreness", None)),
        summary(verdict="worse", harm=harm("after_session", 3.0)),
        summary(verdict="worse", harm=harm("next_day", 2.0)),
    ],
)
def test_what_helped(case: TechniqueSummary) -> None:
    assert words.helped_words(case, "en") == "as the domain wrote it"
    korean(words.helped_words(case, "ko"))


def test_the_note_and_the_rating_words() -> None:
    from sciatica_care.domain.learning import SEVERAL_TECHNIQUES_NOTE
    from sciatica_care.i18n import translator

    shared = WhatHelped(techniques=[], shared_sessions=2, note=SEVERAL_TECHNIQUES_NOTE)
    assert words.helped_note(shared, "en") == SEVERAL_TECHNIQUES_NOTE
    korean(words.helped_note(shared, "ko"))
    _ = translator("ko")
    for word in words.GLOBAL_RATING_WORDS.values():
        korean(_(word))
