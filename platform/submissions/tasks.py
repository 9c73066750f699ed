import logging

from celery import shared_task
from django.conf import settings

from submissions import grading, services

log = logging.getLogger(__name__)


@shared_task(
    name="submissions.grade_submission", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None
)
def grade_submission(self, submission_id: int) -> None:
    """Grade by id; idempotent, so a redelivery after a lost worker does no harm."""
    try:
        grading.submission_grade(submission_id=submission_id)
    except Exception as exc:  # the platform failed (sandbox, database, a bug): retry, never blame the student
        log.exception("grading submission %s failed on the platform side", submission_id)
        final = self.request.retries + 1 >= settings.GRADING_MAX_PLATFORM_ATTEMPTS
        services.submission_record_platform_failure(
            submission_id=submission_id, message=f"{type(exc).__name__}: {exc}", final=final
        )
        if not final:
            raise self.retry(exc=exc, countdown=min(30, 2**self.request.retries))
