import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, close_old_connections

from submissions import grading, services
from submissions.models import Submission

log = logging.getLogger(__name__)
DATABASE_RETRY_LIMIT = 20


@shared_task(
    name="submissions.grade_submission", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None
)
def grade_submission(self, submission_id: int) -> None:
    """Grade by id; idempotent, so a redelivery after a lost worker does no harm."""
    try:
        grading.submission_grade(submission_id=submission_id)
    except Submission.DoesNotExist:
        log.warning("submission %s does not exist (deleted, or another deployment's task); dropped", submission_id)
    except DatabaseError as exc:
        # The database is unreachable: nothing can be recorded now, so wait and try again.
        close_old_connections()
        if self.request.retries >= DATABASE_RETRY_LIMIT:
            raise  # the sweeper picks the submission up once the database is back
        raise self.retry(exc=exc, countdown=min(10, 1 + self.request.retries))
    except Exception as exc:  # the platform failed (sandbox, a bug): retry, never blame the student
        log.exception("grading submission %s failed on the platform side", submission_id)
        final = self.request.retries + 1 >= settings.GRADING_MAX_PLATFORM_ATTEMPTS
        services.submission_record_platform_failure(
            submission_id=submission_id, message=f"{type(exc).__name__}: {exc}", final=final
        )
        if not final:
            raise self.retry(exc=exc, countdown=min(30, 2**self.request.retries))


@shared_task(name="submissions.sweep_stale_submissions", ignore_result=True)
def sweep_stale_submissions() -> None:
    """Find submissions whose grading was lost (broker down, worker killed) and re-send them."""
    services.submission_sweep_stale(
        stale_after_s=settings.GRADING_STALE_AFTER_S,
        running_stale_after_s=settings.GRADING_RUNNING_STALE_AFTER_S,
        max_attempts=settings.GRADING_MAX_PLATFORM_ATTEMPTS,
    )
