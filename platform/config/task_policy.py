"""What every grading task shares: the retry policy, in one place.

A grading task takes ids (one, or a list it works through), acknowledges its message only when
done (a worker that dies mid-way has its message delivered again: grading is idempotent),
waits out a database outage, retries a platform fault with backoff and then records it as the
platform's failure (never the student's), and gives up at once on what no retry can change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, close_old_connections

from graders.runtime import BundleUnavailable

log = logging.getLogger(__name__)
DATABASE_RETRY_LIMIT = 20  # ~3 minutes of outage (countdowns of 1..10 s); the sweepers catch up after
RecordFailure = Callable[[int, str, bool], None]  # (id, message, final)


def grading_task(*, name: str, record_failure: RecordFailure):
    """Make ``grade_one(item_id)`` a Celery task named ``name`` with the shared retry policy.

    ``record_failure(item_id, message, final)`` is told about every platform fault; ``final`` is
    True once the retries are spent, or at once when the exercise cannot be graded as asked
    (``BundleUnavailable``: no retry changes a broken or changed bundle).
    """

    def decorate(grade_one: Callable[[int], None]):
        @shared_task(name=name, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
        def task(self, ids: int | list[int]) -> None:
            for item_id in [ids] if isinstance(ids, int) else ids:
                try:
                    grade_one(item_id)
                except ObjectDoesNotExist:
                    log.warning("%s: %s does not exist (deleted, or another deployment's task); dropped", name, item_id)
                except BundleUnavailable as exc:
                    log.error("%s: %s cannot be graded: %s", name, item_id, exc)
                    record_failure(item_id, str(exc), True)
                except DatabaseError as exc:
                    close_old_connections()
                    if self.request.retries >= DATABASE_RETRY_LIMIT:
                        raise  # the sweepers send it again once the database is back
                    raise self.retry(exc=exc, countdown=min(10, 1 + self.request.retries))
                except Exception as exc:  # the platform failed (sandbox, a bug): retry, never blame the student
                    log.exception("%s: %s failed on the platform side", name, item_id)
                    final = self.request.retries + 1 >= settings.GRADING_MAX_PLATFORM_ATTEMPTS
                    record_failure(item_id, f"{type(exc).__name__}: {exc}", final)
                    if not final:  # a retry skips the ids already done
                        raise self.retry(exc=exc, countdown=min(30, 2**self.request.retries))

        task.__doc__ = grade_one.__doc__
        return task

    return decorate
