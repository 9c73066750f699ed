"""Thin tasks of submissions: they take ids and call one function each (retry policy: config/task_policy.py)."""

from celery import shared_task
from django.conf import settings

from config.task_policy import grading_task
from submissions import grading, services


def _record_platform_failure(submission_id: int, message: str, final: bool) -> None:
    services.submission_record_platform_failure(submission_id=submission_id, message=message, final=final)


@grading_task(name=services.GRADE_TASK, record_failure=_record_platform_failure)
def grade_submission(submission_id: int) -> None:
    """Grade by id; idempotent, so a redelivery after a lost worker does no harm."""
    grading.submission_grade(submission_id=submission_id)


def _record_trial_failure(trial_id: int, message: str, final: bool) -> None:
    services.trial_record_platform_failure(trial_id=trial_id, message=message, final=final)


@grading_task(name=services.RUN_TASK, record_failure=_record_trial_failure)
def run_trial(trial_id: int) -> None:
    """Run a trial by id (Run: visible cases and the student's own); never an attempt."""
    grading.trial_run(trial_id=trial_id)


@shared_task(name="submissions.sweep_stale_submissions", ignore_result=True)
def sweep_stale_submissions() -> None:
    """Find submissions whose grading was lost (broker down, worker killed) and re-send them."""
    services.submission_sweep_stale(
        stale_after_s=settings.GRADING_STALE_AFTER_S,
        running_stale_after_s=settings.GRADING_RUNNING_STALE_AFTER_S,
        max_attempts=settings.GRADING_MAX_PLATFORM_ATTEMPTS,
    )
