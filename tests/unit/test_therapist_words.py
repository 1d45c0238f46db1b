"""The therapist area's words in Korean without a browser: what helped (verdicts, figures and
the client's sentence said again from the figures), the brief's lines, the client list's
precautions, and the labels marked for translation (reactions, note and profile fields)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.brief import HEADINGS, therapist_brief
from sciatica_care.domain.learning import (
    SEVERAL_TECHNIQUES_NOTE,
    Figure,
    Harm,
    TechniqueSummary,
    WhatHelped,
)
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.session_notes import REACTION_LABELS
from sciatica_care.i18n import gettext
from sciatica_care.knowledge.loader import knowledge_base
from sciatica_care.services.workspace import precautions_of
from sciatica_care.web.pages.therapist import PROFILE_FIELDS
from sciatica_care.web.pages.therapist_note_form import NOTE_FIELDS
from sciatica_care.web.pages.therapist_what_helped import NOTE, sentence_words, technique_rows
from tests.conftest import baseline

LATIN = re.compile(r"[A-Za-z]{2,}")


def figure(measure: str, span: str, change: float | None, sessions: int) -> Figure:
    return Figure.model_validate(
        {"measure": measure, "span": span, "mean_change": change, "sessions": sessions}
    )


def summary(verdict: str | None, basis: Figure | None, *, harm: Harm | None = None) -> Any:
    none = figure("leg", "after_session", None, 0)
    return TechniqueSummary(
        technique="swedish",
        name="Swedish massage",
        sessions=3 if basis else 1,
        leg_after_session=basis or none,
        back_after_session=figure("back", "after_session", 0.0, 3),
        leg_next_day=none,
        back_next_day=none,
        verdict=verdict,  # type: ignore[arg-type]
        basis=basis,
        sentence="(the domain's English sentence)",
        harm=harm,
    )


def test_every_label_table_of_the_area_has_its_korean() -> None:
    for table in (REACTION_LABELS, NOTE_FIELDS, PROFILE_FIELDS):
        for text in table.values():
            assert not LATIN.search(gettext("ko", text)), text
    assert NOTE == SEVERAL_TECHNIQUES_NOTE, "the note is translated by the domain's words"


def test_what_helped_in_korean_is_said_again_from_the_figures() -> None:
    helped = figure("leg", "after_session", -2.5, 3)
    hurt = Harm(
        session_at=datetime(2026, 3, 3, tzinfo=UTC),
        measure="leg",
        span="next_day",
        rise=3.0,
        occurrences=2,
    )
    cases = [
        summary("helped", helped),
        summary("worse", figure("back", "next_day", 2.0, 3)),
        summary("no_change", figure("leg", "next_day", -1.0, 3)),
        summary(None, None),
        summary("worse", None, harm=hurt),
    ]
    for case in cases:
        assert sentence_words(case, "en") == "(the domain's English sentence)"
        said = sentence_words(case, "ko")
        assert said and not LATIN.search(said), said
    assert "2.5점" in sentence_words(cases[0], "ko")
    whole = WhatHelped(techniques=cases, shared_sessions=0, note="")
    for row in technique_rows(whole, "ko"):
        words = " ".join([row.name, row.verdict_words, row.leg_after, row.back_next_day])
        assert not LATIN.search(words), words


def test_the_brief_and_the_precautions_in_korean() -> None:
    answers = baseline(conditions=["anticoagulants"], areas=["buttock", "calf_back"])
    assessment = parse_assessment(answers)
    result = evaluate(assessment, knowledge_base("ko"))
    brief = therapist_brief(assessment, result, prepared_on=date(2026, 3, 3))
    lines = brief.lines("ko")
    assert {heading for heading, _ in lines} <= set(HEADINGS)
    for heading, body in lines:
        assert not LATIN.search(gettext("ko", heading)), heading
        for line in body:
            assert not LATIN.search(line.replace("Sciatica Care", "")), line
    english = evaluate(assessment, knowledge_base())
    mind = precautions_of(english, "ko")
    assert mind and any("시술 금지" in line for line in mind)
    assert all(not LATIN.search(line) for line in mind), mind
    assert any("no deep tissue or trigger point work" in line for line in precautions_of(english))
