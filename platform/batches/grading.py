"""Grade one batch item in this worker process (the runtime: submissions/runtime.py)."""

from __future__ import annotations

import logging

from batches import services
from batches.models import BatchItem
from graders.batch import verdict_record
from graders.verdict import platform_error
from submissions.runtime import grade_stored

log = logging.getLogger(__name__)
# Deliveries that claimed an item (redeliveries after lost workers included) before it is given up.
MAX_ATTEMPTS = 5


def platform_error_record(item: BatchItem, message: str) -> dict:
    exercise = item.job.exercise
    verdict = platform_error(
        f"The grader could not run this file: {message}", exercise=exercise.slug, total=exercise.case_count
    )
    return verdict_record(item.name, verdict)


def batch_item_grade(*, item_id: int) -> None:
    """Grade an item unless it is done; platform faults propagate to the task."""
    item = services.batch_item_claim(item_id=item_id)
    if item is None:
        log.info("batch item %s already done; skipping duplicate delivery", item_id)
        return
    if item.attempts > MAX_ATTEMPTS:
        log.error("batch item %s: lost %s times; recorded as a platform error", item_id, item.attempts - 1)
        record = platform_error_record(item, f"it was lost {item.attempts - 1} times")
        services.batch_item_record(item_id=item.pk, job_id=item.job_id, record=record)
        return
    exercise = item.job.exercise
    verdict = grade_stored(bundle_path=exercise.bundle_path, source=item.source, untrusted=exercise.runs_in_sandbox)
    services.batch_item_record(item_id=item.pk, job_id=item.job_id, record=verdict_record(item.name, verdict))


def batch_item_fail(*, item_id: int, message: str) -> None:
    """Record a platform error after the last retry (the file is not blamed, never scored)."""
    item = BatchItem.objects.select_related("job__exercise").filter(pk=item_id).first()
    if item is not None:
        services.batch_item_record(item_id=item.pk, job_id=item.job_id, record=platform_error_record(item, message))
