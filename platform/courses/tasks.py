import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, close_old_connections

from courses import grading, services

log = logging.getLogger(__name__)
DATABASE_RETRY_LIMIT = 20


@shared_task(
    name="courses.regrade_submissions", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None
)
def regrade_submissions(self, result_ids: list[int]) -> None:
    """Compute a few regrade results by id; idempotent (a computed result is skipped), so redelivery is safe."""
    for result_id in result_ids:
        try:
            grading.regrade_result_compute(result_id=result_id)
        except grading.RegradeNotPossible as exc:
            services.regrade_record_failure(result_id=result_id, message=str(exc), final=True)
        except DatabaseError as exc:
            close_old_connections()
            if self.request.retries >= DATABASE_RETRY_LIMIT:
                raise  # the rest stays pending; "Resume" sends it again
            raise self.retry(exc=exc, countdown=min(10, 1 + self.request.retries))
        except Exception as exc:  # the platform failed (sandbox, a bug): retry, then mark the result failed
            log.exception("regrading result %s failed on the platform side", result_id)
            final = self.request.retries + 1 >= settings.GRADING_MAX_PLATFORM_ATTEMPTS
            services.regrade_record_failure(result_id=result_id, message=f"{type(exc).__name__}: {exc}", final=final)
            if not final:  # the retry skips the results already computed
                raise self.retry(exc=exc, countdown=min(30, 2**self.request.retries))
