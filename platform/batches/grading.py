"""Grade one batch item in this worker process, with the process's warm sandbox."""

from __future__ import annotations

import logging

from batches import services
from batches.models import BatchItem
from graders.batch import verdict_record
from graders.bundle import BundleError, load_cached
from graders.engine import grade
from graders.sandbox import SandboxUnavailable
from graders.verdict import PLATFORM_ERROR, Verdict
from submissions.grading import close_process_zygote, process_zygote

log = logging.getLogger(__name__)
# Deliveries that claimed an item (redeliveries after lost workers included) before it is given up.
MAX_ATTEMPTS = 5


def platform_error_record(item: BatchItem, message: str) -> dict:
    exercise = item.job.exercise
    verdict = Verdict(
        outcome=PLATFORM_ERROR, score=0.0, passed=0, total=exercise.case_count, exercise=exercise.slug, message=message
    )
    return verdict_record(item.name, verdict)


def batch_item_grade(*, item_id: int) -> None:
    """Grade an item unless it is done. Raises SandboxUnavailable for the task to retry."""
    item = services.batch_item_claim(item_id=item_id)
    if item is None:
        log.info("batch item %s already done; skipping duplicate delivery", item_id)
        return
    if item.attempts > MAX_ATTEMPTS:
        log.error("batch item %s: lost %s times; recorded as a platform error", item_id, item.attempts - 1)
        message = f"The grader could not run this file: it was lost {item.attempts - 1} times"
        services.batch_item_record(item_id=item.pk, job_id=item.job_id, record=platform_error_record(item, message))
        return
    exercise = item.job.exercise
    try:
        bundle = load_cached(exercise.bundle_path)
    except (BundleError, OSError) as exc:
        log.error("batch item %s: exercise bundle unusable: %s", item_id, exc)
        message = f"The grader could not run this file: the exercise {exercise.slug} cannot be graded right now"
        services.batch_item_record(item_id=item.pk, job_id=item.job_id, record=platform_error_record(item, message))
        return
    try:
        verdict = grade(bundle, item.source, zygote=process_zygote())
    except SandboxUnavailable:
        close_process_zygote()
        raise
    services.batch_item_record(item_id=item.pk, job_id=item.job_id, record=verdict_record(item.name, verdict))


def batch_item_fail(*, item_id: int, message: str) -> None:
    """Record a platform error after the last retry (the file is not blamed, never scored)."""
    item = BatchItem.objects.select_related("job__exercise").filter(pk=item_id).first()
    if item is not None:
        record = platform_error_record(item, f"The grader could not run this file: {message}")
        services.batch_item_record(item_id=item.pk, job_id=item.job_id, record=record)
