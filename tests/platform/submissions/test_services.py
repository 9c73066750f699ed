import pytest

from graders.verdict import Verdict
from submissions import runtime, services
from submissions.models import Submission
from submissions.tasks import grade_submission

pytestmark = pytest.mark.django_db
CORRECT = "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0)\n"


def test_grading_twice_records_one_verdict(student, relu_exercise):
    submission = services.submission_create(user=student, exercise=relu_exercise, source=CORRECT)
    grade_submission.apply(args=(submission.pk,))
    first = Submission.objects.get(pk=submission.pk)
    assert (first.status, first.score) == ("graded", 1.0)
    grade_submission.apply(args=(submission.pk,))  # a redelivery after a lost ack
    again = Submission.objects.get(pk=submission.pk)
    assert again.graded_at == first.graded_at and again.verdict == first.verdict
    verdict = Verdict.from_dict(first.verdict)
    assert services.submission_record_verdict(submission_id=submission.pk, verdict=verdict) is False


def test_platform_failure_is_retried_then_marked_for_staff_never_scored(student, relu_exercise, settings):
    settings.DLGRADE_SANDBOX = "no-such-isolation"  # every attempt to start a sandbox fails
    settings.GRADING_MAX_PLATFORM_ATTEMPTS = 3
    runtime.close_sandboxes()
    submission = services.submission_create(user=student, exercise=relu_exercise, source=CORRECT)
    grade_submission.apply(args=(submission.pk,))
    failed = Submission.objects.get(pk=submission.pk)
    assert failed.status == "platform_error"
    assert failed.score is None
    assert failed.platform_attempts == 3
    assert "no-such-isolation" in failed.platform_message


def test_broker_down_at_submit_keeps_the_submission_queued(
    student, relu_exercise, settings, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(services.celery_app, "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_create(user=student, exercise=relu_exercise, source=CORRECT)
    assert Submission.objects.get(pk=submission.pk).status == "queued"


def _age(submission, seconds, **fields):
    from datetime import timedelta

    from django.utils import timezone

    past = timezone.now() - timedelta(seconds=seconds)
    Submission.objects.filter(pk=submission.pk).update(created_at=past, **{k: past for k in fields})


def test_sweeper_resends_lost_gradings_and_gives_up_after_the_limit(student, relu_exercise, monkeypatch):
    sent = []
    monkeypatch.setattr(services.celery_app, "send_task", lambda name, args, **kw: sent.append(args[0]))
    never_sent = Submission.objects.create(user=student, exercise=relu_exercise, source=CORRECT)  # broker was down
    lost = Submission.objects.create(user=student, exercise=relu_exercise, source=CORRECT, status="running")
    fresh = Submission.objects.create(user=student, exercise=relu_exercise, source=CORRECT)
    _age(never_sent, 30)
    _age(lost, 300, started_at=True)
    Submission.objects.filter(pk=fresh.pk).update(enqueued_at=fresh.created_at)

    report = services.submission_sweep_stale(stale_after_s=60, running_stale_after_s=150, max_attempts=3)
    assert sorted(report["requeued"]) == sorted([never_sent.pk, lost.pk]) == sorted(sent)
    lost.refresh_from_db()
    assert (lost.status, lost.platform_attempts) == ("queued", 1)

    assert (
        services.submission_sweep_stale(stale_after_s=60, running_stale_after_s=150, max_attempts=3)["requeued"] == []
    )  # not again so soon
    _age(lost, 300, enqueued_at=True)
    services.submission_sweep_stale(stale_after_s=60, running_stale_after_s=150, max_attempts=3)
    _age(lost, 300, enqueued_at=True)
    report = services.submission_sweep_stale(stale_after_s=60, running_stale_after_s=150, max_attempts=3)
    assert lost.pk in report["failed"]
    lost.refresh_from_db()
    assert lost.status == "platform_error" and lost.score is None


def test_the_sweeper_leaves_a_submission_a_live_worker_may_still_be_grading(student, relu_exercise, monkeypatch):
    # Re-sending it would run it in a second grading slot: one hostile file held both slots.
    sent = []
    monkeypatch.setattr(services.celery_app, "send_task", lambda name, args, **kw: sent.append(args[0]))
    running = Submission.objects.create(user=student, exercise=relu_exercise, source=CORRECT, status="running")
    _age(running, 100, started_at=True)  # past the queued threshold, within the task time limit
    report = services.submission_sweep_stale(stale_after_s=60, running_stale_after_s=150, max_attempts=3)
    assert report["requeued"] == [] == sent
    _age(running, 160, started_at=True)  # no worker can still be on it: its task was killed
    assert services.submission_sweep_stale(stale_after_s=60, running_stale_after_s=150, max_attempts=3)["requeued"] == [
        running.pk
    ]


def test_a_task_for_a_missing_submission_is_dropped(db):
    result = grade_submission.apply(args=(987654,))
    assert result.successful()
