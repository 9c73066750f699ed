"""Compute one regrade result in this worker process, with the process's warm sandbox."""

from __future__ import annotations

import logging

from courses import services
from courses.models import Regrade, RegradeResult
from graders.bundle import BundleError, load_cached
from graders.engine import grade
from graders.sandbox import SandboxUnavailable
from submissions.grading import close_process_zygote, process_zygote

log = logging.getLogger(__name__)


class RegradeNotPossible(Exception):
    """The result can never be computed as asked (not worth a retry)."""


def regrade_result_compute(*, result_id: int) -> None:
    """Grade the submission of one result against the regrade's bundle; skip it if done or discarded.

    Raises SandboxUnavailable (and any platform error) for the task to retry, RegradeNotPossible
    when the bundle is broken or no longer the version the regrade was started for.
    """
    result = RegradeResult.objects.select_related("regrade", "submission__exercise").filter(pk=result_id).first()
    if result is None:
        log.warning("regrade result %s does not exist; dropped", result_id)
        return
    if result.status == RegradeResult.Status.DONE or result.regrade.status != Regrade.Status.PREVIEW:
        log.info("regrade result %s already done or its regrade is closed; skipping", result_id)
        return
    exercise = result.submission.exercise
    try:
        bundle = load_cached(exercise.bundle_path)
    except (BundleError, OSError) as exc:
        raise RegradeNotPossible(f"The exercise bundle cannot be loaded: {exc}") from None
    if bundle.content_hash != result.regrade.bundle_hash:
        raise RegradeNotPossible(
            "The exercise on disk is not the version this regrade was started for (edited again, or not "
            "synced): discard this regrade, run sync_exercises and start a new one."
        )
    try:
        verdict = grade(bundle, result.submission.source, zygote=process_zygote())
    except SandboxUnavailable:
        close_process_zygote()
        raise
    services.regrade_record_result(result_id=result_id, verdict=verdict)
