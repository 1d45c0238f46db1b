"""What helped: per-technique pain changes, verdicts from 3 sessions, and their weight in plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

from sciatica_care.domain.assessment import parse_assessment
from sciatica_care.domain.kb import KnowledgeBase
from sciatica_care.domain.learning import (
    VERDICT_RULE,
    DiaryPain,
    SessionOutcome,
    learned_responses,
    what_helped,
)
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.vocabulary import TechniqueId
from tests.conftest import baseline

MONDAY = datetime(2025, 3, 3, 16, 0, tzinfo=UTC)


def sessions(
    technique: TechniqueId, pairs: Sequence[tuple[int, int | None]], *, back: int = 4
) -> list[SessionOutcome]:
    """One weekly session per (leg before, leg after) pair; back pain unchanged (and not
    recorded after when leg pain was not)."""
    return [
        SessionOutcome(
            session_at=MONDAY + timedelta(weeks=week),
            techniques=[technique],
            leg_before=before,
            back_before=back,
            leg_after=after,
            back_after=None if after is None else back,
        )
        for week, (before, after) in enumerate(pairs)
    ]


def test_the_threshold_is_the_two_point_change_that_matters_from_three_sessions() -> None:
    assert VERDICT_RULE.points == 2.0
    assert VERDICT_RULE.min_sessions == 3
    assert VERDICT_RULE.sources == ("Farrar 2001", "Childs 2005")


def test_two_sessions_give_figures_but_no_verdict() -> None:
    summary = what_helped(sessions("myofascial_release", [(6, 3), (7, 4)]), [])
    [myofascial] = summary.techniques
    assert myofascial.sessions == 2
    assert myofascial.leg_after_session.mean_change == -3.0
    assert myofascial.leg_after_session.sessions == 2
    assert myofascial.verdict is None
    assert "1 more needed" in myofascial.sentence
    assert learned_responses(summary) == {}


def test_three_sessions_with_a_mean_fall_of_two_points_or_more_helped() -> None:
    summary = what_helped(sessions("myofascial_release", [(6, 3), (7, 4), (6, 5), (6, 4)]), [])
    [myofascial] = summary.techniques
    assert myofascial.leg_after_session.mean_change == -2.2
    assert myofascial.verdict == "helped"
    assert myofascial.sentence == (
        "Myofascial release lowered your leg pain by 2.2 points on average over 4 sessions."
    )


def test_a_mean_rise_of_two_points_is_worse_and_a_smaller_change_is_no_change() -> None:
    summary = what_helped(
        sessions("deep_tissue", [(4, 6), (4, 6), (5, 7)]) + sessions("swedish", [(5, 4)] * 3),
        [],
    )
    verdicts = {s.technique: s.verdict for s in summary.techniques}
    assert verdicts == {"swedish": "no_change", "deep_tissue": "worse"}
    deep = next(s for s in summary.techniques if s.technique == "deep_tissue")
    assert deep.sentence == (
        "Deep tissue massage raised your leg pain by 2 points on average over 3 sessions."
    )


def test_sessions_without_a_pain_score_after_do_not_count_towards_a_verdict() -> None:
    summary = what_helped(sessions("hot_stone", [(6, 3), (6, None), (6, 3)]), [])
    [hot_stone] = summary.techniques
    assert hot_stone.sessions == 3
    assert hot_stone.leg_after_session.sessions == 2
    assert hot_stone.verdict is None


def test_the_next_day_figure_uses_the_mean_of_the_following_calendar_days_entries() -> None:
    diary = []
    for week in range(3):
        day_after = MONDAY + timedelta(weeks=week, days=1)
        diary += [
            DiaryPain(day_after.replace(hour=8), leg=3, back=2),
            DiaryPain(day_after.replace(hour=20), leg=5, back=2),
            # the same evening and two days later do not count
            DiaryPain(MONDAY + timedelta(weeks=week, hours=5), leg=0, back=0),
            DiaryPain(MONDAY + timedelta(weeks=week, days=2), leg=0, back=0),
        ]
    summary = what_helped(sessions("trigger_point", [(7, 7)] * 3), diary)
    [trigger] = summary.techniques
    assert trigger.leg_after_session.mean_change == 0.0
    assert trigger.leg_next_day.mean_change == -3.0
    assert trigger.leg_next_day.sessions == 3
    assert trigger.back_next_day.mean_change == -2.0
    assert trigger.verdict == "helped"
    assert "by the next day" in trigger.sentence


def test_the_next_day_is_the_clients_calendar_day() -> None:
    # 23:30 in New York is already the next day in UTC.
    new_york = timezone(timedelta(hours=-5))
    session = SessionOutcome(datetime(2025, 3, 4, 1, 0, tzinfo=UTC), ["swedish"], 6, 4)
    diary = [DiaryPain(datetime(2025, 3, 4, 14, 0, tzinfo=UTC), leg=2, back=2)]
    assert what_helped([session], diary, zone=new_york).techniques[0].leg_next_day.sessions == 1
    assert what_helped([session], diary, zone=UTC).techniques[0].leg_next_day.sessions == 0


def test_a_session_with_several_techniques_counts_for_each_and_the_summary_says_so() -> None:
    both = [
        SessionOutcome(MONDAY + timedelta(weeks=w), ["swedish", "myofascial_release"], 6, 4, 3, 4)
        for w in range(3)
    ]
    summary = what_helped(both, [])
    assert [(s.technique, s.sessions) for s in summary.techniques] == [
        ("swedish", 3),
        ("myofascial_release", 3),
    ]
    assert summary.shared_sessions == 3
    assert "counts for each" in summary.note
    assert what_helped(sessions("swedish", [(5, 4)]), []).note == ""


def test_worse_on_any_figure_outweighs_helped_on_another() -> None:
    diary = [
        DiaryPain(MONDAY + timedelta(weeks=w, days=1), leg=8, back=4) for w in range(3)
    ]  # fine straight after, two points worse the next day
    summary = what_helped(sessions("deep_tissue", [(6, 3)] * 3), diary)
    assert summary.techniques[0].verdict == "worse"
    assert summary.techniques[0].basis is not None
    assert summary.techniques[0].basis.span == "next_day"


def test_what_helped_moves_the_technique_up_the_plan_with_its_reason(kb: KnowledgeBase) -> None:
    learned = learned_responses(
        what_helped(sessions("hot_stone", [(6, 3), (7, 4), (6, 4), (6, 4)]), [])
    )
    before = evaluate(parse_assessment(baseline()), kb)
    after = evaluate(parse_assessment(baseline()), kb, learned=learned)
    assert before.recommendations[0].technique != "hot_stone"
    top = after.recommendations[0]
    assert top.technique == "hot_stone"
    assert top.reasons[0] == (
        "Hot stone massage lowered your leg pain by 2.5 points on average over 4 sessions."
    )


def test_what_made_it_worse_moves_the_technique_down(kb: KnowledgeBase) -> None:
    learned = learned_responses(what_helped(sessions("swedish", [(4, 6), (4, 7), (5, 7)]), []))
    before = [r.technique for r in evaluate(parse_assessment(baseline()), kb).recommendations]
    after = evaluate(parse_assessment(baseline()), kb, learned=learned).recommendations
    assert before[0] == "swedish"
    assert after[-1].technique == "swedish"
    assert after[-1].reasons[0].startswith("Swedish massage raised your leg pain")


def test_a_technique_excluded_for_safety_stays_excluded_whatever_helped(
    kb: KnowledgeBase,
) -> None:
    learned = learned_responses(
        what_helped(sessions("deep_tissue", [(8, 2), (8, 2), (8, 2), (8, 2)]), [])
    )
    assert learned["deep_tissue"].response == "helped"
    on_blood_thinners = parse_assessment(baseline(conditions=["anticoagulants"]))
    result = evaluate(on_blood_thinners, kb, learned=learned)
    assert "deep_tissue" not in [r.technique for r in result.recommendations]
    excluded = next(e for e in result.excluded if e.technique == "deep_tissue")
    assert all("lowered your" not in reason for reason in excluded.reasons)


# --- Harm after a session: a safety signal from the first occurrence (outcomes.md v2) -------


def test_one_session_with_pain_up_two_points_straight_after_is_worse_at_once() -> None:
    summary = what_helped(sessions("deep_tissue", [(4, 6)]), [])
    [deep] = summary.techniques
    assert deep.sessions == 1 and deep.verdict == "worse"
    assert deep.harm is not None and deep.harm.span == "after_session" and deep.harm.rise == 2
    assert "leg pain was up 2 points straight after a session (once)" in deep.sentence
    assert "Stop this technique and tell your therapist" in deep.sentence
    assert learned_responses(summary)["deep_tissue"].response == "worse"


def test_a_check_in_the_next_day_up_two_points_is_worse_from_the_first_occurrence() -> None:
    diary = [
        DiaryPain(MONDAY + timedelta(hours=18), leg=3, back=4),
        DiaryPain(MONDAY + timedelta(hours=22), leg=6, back=4),  # the next day: one is up 2
    ]
    summary = what_helped(sessions("trigger_point", [(4, 4)]), diary)
    [trigger] = summary.techniques
    assert trigger.verdict == "worse" and trigger.harm is not None
    assert trigger.harm.span == "next_day" and trigger.harm.rise == 2
    assert "by the next day" in trigger.sentence


def test_soreness_over_48_hours_counts_against_the_last_session_before_it() -> None:
    diary = [DiaryPain(MONDAY + timedelta(days=2, hours=3), leg=4, back=4, soreness_over_48h=True)]
    summary = what_helped(sessions("swedish", [(4, 3)]), diary)
    [swedish] = summary.techniques
    assert swedish.verdict == "worse" and swedish.harm is not None
    assert swedish.harm.span == "soreness"
    assert "still sore more than 48 hours after a session" in swedish.sentence
    late = [DiaryPain(MONDAY + timedelta(days=8), leg=4, back=4, soreness_over_48h=True)]
    assert what_helped(sessions("swedish", [(4, 3)]), late).techniques[0].verdict is None


def test_a_rise_of_less_than_two_points_is_no_signal_and_benefit_still_needs_three() -> None:
    [small] = what_helped(sessions("swedish", [(4, 5)]), []).techniques
    assert small.verdict is None and small.harm is None
    [one_good] = what_helped(sessions("swedish", [(7, 2)]), []).techniques
    assert one_good.verdict is None, "a benefit verdict still needs 3 sessions"


def test_harm_counts_every_occurrence_and_wins_over_a_benefit() -> None:
    summary = what_helped(sessions("myofascial_release", [(7, 3), (7, 3), (7, 3), (3, 6)]), [])
    [myofascial] = summary.techniques
    assert myofascial.verdict == "worse" and myofascial.harm is not None
    assert myofascial.harm.occurrences == 1 and "(once)" in myofascial.sentence
