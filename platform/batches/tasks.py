"""Thin tasks of batch jobs: they take ids and call one function each. Routed to the `batch` queue."""

from celery import shared_task

from batches import grading, services
from config.task_policy import grading_task


def _record_platform_failure(item_id: int, message: str, final: bool) -> None:
    if final:  # until then the retry grades it
        grading.batch_item_fail(item_id=item_id, message=message)


@grading_task(name=services.GRADE_ITEM_TASK, record_failure=_record_platform_failure)
def grade_item(item_id: int) -> None:
    """Grade one file of a batch job by id; idempotent, so redeliveries and re-sends do no harm."""
    grading.batch_item_grade(item_id=item_id)


@shared_task(name="batches.requeue_stale", ignore_result=True)
def requeue_stale() -> None:
    """Send again the items of unfinished jobs whose grading was lost (run by beat)."""
    services.batch_jobs_refresh_all()
