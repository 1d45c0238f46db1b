"""Follow-up safety (outcomes.md v2): when the check-in asks the safety questions again, how the
answers join the latest assessment, and the "not settling" / "not improving" read-outs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sciatica_care.domain.assessment import Assessment
from sciatica_care.domain.diary import PainPoint, trend_readout
from sciatica_care.domain.follow_up import (
    NOT_SETTLING,
    answers_only,
    follow_up,
    mean_before,
    recheck_due,
    recheck_questions,
    settling_reasons,
    unanswered,
    with_answers,
)
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.safety_questions import RECHECK_FLAGS
from sciatica_care.knowledge.loader import knowledge_base
from tests.conftest import baseline

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def calm(**changes: object) -> Assessment:
    return Assessment.model_validate(baseline(**changes))


def all_no(assessment: Assessment | None = None) -> dict[str, bool]:
    return {q: False for q, _ in recheck_questions(assessment)}


# --- When the re-check is due ----------------------------------------------------------------


def test_never_asked_is_due_by_the_week() -> None:
    assert recheck_due(now=NOW, last_check_at=None) == "weekly"


def test_answered_six_days_ago_is_not_due_seven_days_ago_is() -> None:
    assert recheck_due(now=NOW, last_check_at=NOW - timedelta(days=6, hours=23)) is None
    assert recheck_due(now=NOW, last_check_at=NOW - timedelta(days=7)) == "weekly"


def test_leg_pain_up_two_points_from_the_7_day_mean_asks_even_when_just_answered() -> None:
    recent = NOW - timedelta(hours=1)
    assert recheck_due(now=NOW, last_check_at=recent, leg_pain=6, leg_mean_7d=4.0) == "leg_pain_up"
    assert recheck_due(now=NOW, last_check_at=recent, leg_pain=6, leg_mean_7d=4.1) is None
    assert recheck_due(now=NOW, last_check_at=recent, leg_pain=6, leg_mean_7d=None) is None


def test_the_7_day_mean_is_of_daily_means_before_the_check_in_itself() -> None:
    points = [
        PainPoint(NOW - timedelta(days=1, hours=2), leg=2, back=1),
        PainPoint(NOW - timedelta(days=1, hours=1), leg=4, back=1),  # that day: 3
        PainPoint(NOW - timedelta(days=3), leg=5, back=1),  # that day: 5
        PainPoint(NOW - timedelta(days=8), leg=10, back=1),  # outside the 7 days
        PainPoint(NOW, leg=9, back=1),  # the check-in itself
    ]
    assert mean_before(points, NOW) == 4.0
    assert mean_before([PainPoint(NOW, leg=9, back=1)], NOW) is None


def test_the_7_days_are_calendar_days_in_the_persons_zone() -> None:
    zone = ZoneInfo("Pacific/Auckland")  # NOW is 1 am on 11 March there: days 5-11 March
    early = datetime(2026, 3, 4, 0, 30, tzinfo=UTC)  # 4 March in UTC (days 4-10 March)
    assert mean_before([PainPoint(early, leg=4, back=0)], NOW, zone=zone) is None
    assert mean_before([PainPoint(early, leg=4, back=0)], NOW, zone=UTC) == 4.0


# --- The questions and the answers -----------------------------------------------------------


def test_the_questions_are_the_emergency_and_urgent_flags_and_for_cancer_new_nerve_symptoms() -> (
    None
):
    ids = [q for q, _ in recheck_questions(calm())]
    assert ids == list(RECHECK_FLAGS)
    assert {"bladder_dysfunction", "calf_swelling", "clot_symptoms", "foot_drop"} <= set(ids)
    for with_cancer in (calm(conditions=["active_cancer"]), calm(red_flags=["cancer_history"])):
        asked = [q for q, _ in recheck_questions(with_cancer)]
        assert asked[-2:] == ["new_numbness", "new_weakness"]
    assert [q for q, _ in recheck_questions(None)] == list(RECHECK_FLAGS)


def test_every_question_needs_an_answer() -> None:
    answers = all_no()
    del answers["fever"]
    assert unanswered(answers, None) == ["fever"]
    assert unanswered(all_no(), calm(conditions=["active_cancer"])) == [
        "new_numbness",
        "new_weakness",
    ]


def test_a_yes_joins_the_latest_assessment_with_the_check_ins_pain_and_the_time_since() -> None:
    latest = calm(red_flags=["night_pain"], symptoms=["tingling"])
    answers = {**all_no(), "bladder_dysfunction": True}
    updated = with_answers(latest, answers, leg_pain=7, back_pain=2, weeks_since=1.5)
    assert updated.red_flags == ["night_pain", "bladder_dysfunction"]
    assert (updated.leg_pain, updated.back_pain, updated.duration_weeks) == (7, 2, 9.5)
    assert updated.symptoms == ["tingling"] and updated.age == latest.age


def test_new_numbness_or_weakness_becomes_the_symptom() -> None:
    latest = calm(conditions=["active_cancer"])
    answers = {**all_no(latest), "new_weakness": True}
    updated = with_answers(latest, answers, leg_pain=4, back_pain=3, weeks_since=0)
    assert "weakness" in updated.symptoms and "numbness" not in updated.symptoms


def test_a_no_never_removes_what_the_assessment_said() -> None:
    latest = calm(red_flags=["fever"])
    updated = with_answers(latest, all_no(), leg_pain=4, back_pain=3, weeks_since=0)
    assert updated.red_flags == ["fever"]


def test_a_yes_triages_as_the_assessment_would() -> None:
    kb = knowledge_base()
    latest = calm()
    for flag, level in (
        ("bladder_dysfunction", "emergency"),
        ("bilateral_leg_symptoms", "emergency"),
        ("clot_symptoms", "emergency"),
        ("foot_drop", "urgent"),
        ("calf_swelling", "urgent"),
    ):
        answers = {**all_no(), flag: True}
        updated = with_answers(latest, answers, leg_pain=5, back_pain=3, weeks_since=1)
        assert evaluate(updated, kb).triage.level == level, flag
        alone = answers_only(answers, leg_pain=5, back_pain=3)
        assert evaluate(alone, kb).triage.level == level, flag


def test_the_answers_alone_add_nothing_else() -> None:
    result = evaluate(answers_only(all_no(), leg_pain=3, back_pain=2), knowledge_base())
    assert result.triage.level == "self_care"


# --- Not settling, not improving -------------------------------------------------------------


def days_of(values: list[int], start: datetime = NOW - timedelta(days=30)) -> list[PainPoint]:
    return [PainPoint(start + timedelta(days=i), leg=v, back=1) for i, v in enumerate(values)]


def test_a_7_day_mean_two_points_above_the_baseline_is_not_settling() -> None:
    trend = trend_readout(days_of([6] * 7), baseline_leg=4, baseline_back=1)
    reasons = settling_reasons(trend)
    assert reasons and "2 points above where you started (4)" in reasons[0]
    reading = follow_up(trend, today=date(2026, 3, 10), started_on=date(2026, 3, 1))
    assert reading.not_settling and reading.advice == NOT_SETTLING


def test_less_than_two_points_above_is_settling_enough() -> None:
    trend = trend_readout(days_of([5] * 7 + [6]), baseline_leg=4, baseline_back=1)
    assert settling_reasons(trend) == []


def test_a_meaningful_rise_over_two_weeks_is_not_settling() -> None:
    # Baseline 8 (so no "above the baseline"), but the 7-day mean rose from 3 to 6.
    trend = trend_readout(days_of([3] * 10 + [6] * 14), baseline_leg=8, baseline_back=1)
    reasons = settling_reasons(trend)
    assert len(reasons) == 1 and "worse over the last two weeks" in reasons[0]


def test_six_weeks_without_a_meaningful_fall_is_not_improving() -> None:
    trend = trend_readout(days_of([4] * 10), baseline_leg=4, baseline_back=1)
    today = date(2026, 3, 10)
    reading = follow_up(trend, today=today, started_on=today - timedelta(weeks=6))
    assert reading.not_improving and not reading.not_settling
    assert "6 weeks" in reading.reasons[0] and "GP or physiotherapist" in reading.advice
    early = follow_up(trend, today=today, started_on=today - timedelta(weeks=5, days=6))
    assert not early.flagged
    better = trend_readout(days_of([2] * 10), baseline_leg=5, baseline_back=1)
    assert not follow_up(better, today=today, started_on=today - timedelta(weeks=8)).flagged


def test_four_sessions_of_one_technique_without_benefit_is_not_improving() -> None:
    trend = trend_readout([], baseline_leg=None, baseline_back=None)
    today = date(2026, 3, 10)
    three = follow_up(
        trend, today=today, started_on=None, technique_sessions=[("swedish", 3, "no_change")]
    )
    assert not three.flagged
    four = follow_up(
        trend, today=today, started_on=None, technique_sessions=[("swedish", 4, "no_change")]
    )
    assert four.not_improving and "Swedish massage" in four.reasons[0]
    helped = follow_up(
        trend, today=today, started_on=None, technique_sessions=[("swedish", 6, "helped")]
    )
    assert not helped.flagged
