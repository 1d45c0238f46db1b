"""Properties of the fit bands (``domain/recommendation.py: FIT_RULES``) over any assessment."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.recommendation import FIT_RULES, NEUTRAL_REASON, LearnedResponse
from sciatica_care.domain.vocabulary import PRESSURES, TECHNIQUES, TechniqueId
from sciatica_care.knowledge.loader import knowledge_base
from tests.unit.test_properties import PROPERTY, assessments

RESPONSES = st.sampled_from(["helped", "no_change", "worse"])
LEARNED = st.dictionaries(
    st.sampled_from(TECHNIQUES),
    RESPONSES.map(lambda r: LearnedResponse(response=r, reason=f"Your sessions: {r}.")),
    max_size=3,
)


@PROPERTY
@given(assessments(), LEARNED)
def test_a_good_fit_never_carries_a_reason_that_argues_against_it(
    a: Assessment, learned: dict[TechniqueId, LearnedResponse]
) -> None:
    kb = knowledge_base()
    result = evaluate(a, kb, learned=learned or None)
    disfavour = {adj.disfavour for adj in kb.adjustments if adj.disfavour}
    against_learned = {s.reason for s in learned.values() if s.response != "helped"}
    for r in result.recommendations:
        assert set(r.against) <= set(r.reasons)
        if r.fit != "good_fit":
            continue
        assert not r.against, r.technique
        assert not (set(r.reasons) & (disfavour | against_learned)), r.technique
        assert r.fit_reason in r.reasons and r.fit_reason != NEUTRAL_REASON
        shown = PRESSURES.index(r.pressure)
        assert shown >= PRESSURES.index(kb.techniques[r.technique].pressure.min), "cut back"


@PROPERTY
@given(assessments(), LEARNED)
def test_bands_are_monotone_with_rank_and_at_most_two_are_good(
    a: Assessment, learned: dict[TechniqueId, LearnedResponse]
) -> None:
    result = evaluate(a, knowledge_base(), learned=learned or None)
    bands = [r.fit for r in result.recommendations]
    good = bands.count("good_fit")
    assert bands == ["good_fit"] * good + ["also_possible"] * (len(bands) - good)
    assert good <= FIT_RULES.most_good_fits
    scores = [r.score for r in result.recommendations]
    if good:
        assert min(scores[:good]) >= max(FIT_RULES.least_score, scores[0] - FIT_RULES.within_best)
    assert all(e.fit == "not_for_you_now" for e in result.excluded)
    if result.triage.massage_hold:
        assert not result.recommendations
