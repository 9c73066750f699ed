"""Thin tasks of batch jobs: they take ids and call one function each. Routed to the `batch` queue."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, close_old_connections

from batches import grading, services

log = logging.getLogger(__name__)
DATABASE_RETRY_LIMIT = 20


@shared_task(name="batches.grade_item", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def grade_item(self, item_id: int) -> None:
    """Grade one file of a batch job by id; idempotent, so redeliveries and re-sends do no harm."""
    try:
        grading.batch_item_grade(item_id=item_id)
    except DatabaseError as exc:
        close_old_connections()
        if self.request.retries >= DATABASE_RETRY_LIMIT:
            raise  # the job's refresh sends the item again once the database is back
        raise self.retry(exc=exc, countdown=min(10, 1 + self.request.retries))
    except Exception as exc:  # the platform failed (sandbox, a bug): retry, never blame the file
        log.exception("grading batch item %s failed on the platform side", item_id)
        if self.request.retries + 1 >= settings.GRADING_MAX_PLATFORM_ATTEMPTS:
            grading.batch_item_fail(item_id=item_id, message=f"{type(exc).__name__}: {exc}")
        else:
            raise self.retry(exc=exc, countdown=min(30, 2**self.request.retries))


@shared_task(name="batches.requeue_stale", ignore_result=True)
def requeue_stale() -> None:
    """Send again the items of unfinished jobs whose grading was lost (run by beat)."""
    services.batch_jobs_refresh_all()
