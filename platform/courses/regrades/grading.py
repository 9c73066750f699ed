"""Compute one regrade result in this worker process (the runtime: submissions/runtime.py)."""

from __future__ import annotations

import logging

from courses.models import Regrade, RegradeResult
from courses.regrades import services as regrade_services
from graders.runtime import BundleChanged
from submissions.runtime import grade_stored

log = logging.getLogger(__name__)


def regrade_result_compute(*, result_id: int) -> None:
    """Grade the submission of one result against the regrade's bundle version; skip it if done or closed.

    Raises BundleUnavailable (BundleChanged) when that version cannot be graded, and any platform
    fault for the task to retry.
    """
    result = RegradeResult.objects.select_related("regrade", "submission__exercise").get(pk=result_id)
    if result.status == RegradeResult.Status.DONE or result.regrade.status != Regrade.Status.PREVIEW:
        log.info("regrade result %s already done or its regrade is closed; skipping", result_id)
        return
    try:
        verdict = grade_stored(
            bundle_path=result.submission.exercise.bundle_path,
            source=result.submission.source,
            content_hash=result.regrade.bundle_hash,
            untrusted=result.submission.exercise.runs_in_sandbox,
        )
    except BundleChanged as exc:
        raise BundleChanged(
            "The exercise on disk is not the version this regrade was started for (edited again, or not "
            "synced): discard this regrade, run sync_exercises and start a new one."
        ) from exc
    regrade_services.regrade_record_result(result_id=result_id, verdict=verdict)
