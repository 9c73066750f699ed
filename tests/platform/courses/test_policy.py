"""The late policy, the attempt limit and interval, and the score that counts, as plain values."""

from datetime import UTC, datetime, timedelta

from courses.policy import Attempt, Deadline, Prior, in_window, item_score, limit_refusal, window_state

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def deadline(**overrides) -> Deadline:
    fields = {
        "opens_at": T0 - timedelta(days=7),
        "due_at": T0,
        "cutoff_at": None,
        "penalty_per_day": 0.1,
        "original_due_at": T0,
    }
    fields.update(overrides)
    return Deadline(**fields)


def test_on_time_is_not_late():
    judged = deadline().judge(T0)
    assert (judged.is_late, judged.penalty, judged.days_late) == (False, 0.0, 0)


def test_every_started_day_late_costs_the_penalty():
    assert deadline().judge(T0 + timedelta(seconds=1)).penalty == 0.1
    assert deadline().judge(T0 + timedelta(days=1)).penalty == 0.1
    judged = deadline().judge(T0 + timedelta(days=2, minutes=1))
    assert (judged.is_late, judged.days_late, judged.penalty) == (True, 3, 0.3)
    assert deadline().judge(T0 + timedelta(days=30)).penalty == 1.0  # never below zero credit


def test_after_the_cutoff_is_beyond_it_with_no_credit():
    judged = deadline(cutoff_at=T0 + timedelta(days=2)).judge(T0 + timedelta(days=2, seconds=1))
    assert judged.beyond_cutoff and judged.penalty == 1.0


def test_before_opening_is_flagged():
    assert deadline().judge(T0 - timedelta(days=8)).before_open


def test_an_extension_moves_the_due_date_and_says_it_was_used():
    extended = deadline(due_at=T0 + timedelta(days=2), cutoff_at=T0 + timedelta(days=3))
    assert extended.extended
    judged = extended.judge(T0 + timedelta(days=1))
    assert not judged.is_late and judged.extension_applied
    assert not extended.judge(T0 - timedelta(hours=1)).extension_applied  # on time anyway


def test_window_states():
    d = deadline(cutoff_at=T0 + timedelta(days=1))
    assert window_state(d, T0 - timedelta(days=8)) == "upcoming"
    assert window_state(d, T0) == "open"
    assert window_state(d, T0 + timedelta(hours=1)) == "late"
    assert window_state(d, T0 + timedelta(days=2)) == "closed"


def attempts(*scores_and_penalties):
    return [
        Attempt(score=s, penalty=p, created_at=T0 + timedelta(minutes=i), is_late=p > 0, submission_id=i + 1)
        for i, (s, p) in enumerate(scores_and_penalties)
    ]


def test_best_counts_the_best_credited_attempt():
    scored = item_score(attempts((0.5, 0.0), (1.0, 0.6), (0.3, 0.0)), policy="best", max_points=10)
    assert scored.credited == 0.5 and scored.points == 5.0 and scored.counting_submission_id == 1
    assert scored.solved and scored.attempts == 3 and not scored.is_late


def test_last_counts_the_latest_attempt_even_if_worse():
    scored = item_score(attempts((1.0, 0.0), (0.3, 0.0)), policy="last", max_points=10)
    assert scored.points == 3.0 and scored.counting_submission_id == 2


def test_a_late_attempt_that_counts_marks_the_item_late():
    scored = item_score(attempts((0.2, 0.0), (1.0, 0.1)), policy="best", max_points=20)
    assert scored.points == 18.0 and scored.is_late


def test_no_attempt_scores_nothing():
    scored = item_score([], policy="best", max_points=10)
    assert (scored.started, scored.points, scored.credited) == (False, 0.0, None)


def test_the_attempt_limit_counts_only_attempts_that_used_one():
    earlier = [Prior(T0, uses_attempt=True), Prior(T0 + timedelta(minutes=1), uses_attempt=False)]
    later = T0 + timedelta(minutes=5)
    assert not limit_refusal(max_attempts=2, min_interval_s=0, earlier=earlier, at=later)
    refused = limit_refusal(max_attempts=1, min_interval_s=0, earlier=earlier, at=later)
    assert refused and refused.reason == "attempts"
    assert not limit_refusal(max_attempts=None, min_interval_s=0, earlier=earlier * 50, at=later)


def test_the_interval_runs_from_the_last_attempt_that_paces():
    earlier = [Prior(T0, uses_attempt=True), Prior(T0 + timedelta(seconds=50), uses_attempt=True, paces=False)]
    refused = limit_refusal(max_attempts=None, min_interval_s=60, earlier=earlier, at=T0 + timedelta(seconds=59.2))
    assert refused.reason == "interval" and refused.wait_s == 1
    assert not limit_refusal(max_attempts=None, min_interval_s=60, earlier=earlier, at=T0 + timedelta(seconds=60))


def test_only_attempts_made_before_are_earlier():
    """Replaying work in order (a re-judgement) must not let a later attempt use up an earlier one's."""
    earlier = [Prior(T0 + timedelta(hours=1), uses_attempt=True)]
    assert not limit_refusal(max_attempts=1, min_interval_s=3600, earlier=earlier, at=T0)


def test_the_window_is_from_the_opening_to_the_cutoff():
    d = deadline(cutoff_at=T0 + timedelta(days=1))
    assert not in_window(d.judge(d.opens_at - timedelta(seconds=1)))
    assert in_window(d.judge(d.opens_at)) and in_window(d.judge(T0 + timedelta(days=1)))
    assert not in_window(d.judge(T0 + timedelta(days=1, seconds=1)))
