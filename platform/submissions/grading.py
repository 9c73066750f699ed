"""Grade a stored submission in this worker process, with one warm sandbox per process."""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings

from graders.bundle import BundleError, load_cached
from graders.engine import grade
from graders.sandbox import Zygote
from graders.verdict import platform_error
from submissions import services

log = logging.getLogger(__name__)

_local = threading.local()


def process_zygote() -> Zygote:
    """The warm sandbox of this process (a forked worker child must not reuse its parent's)."""
    zygote = getattr(_local, "zygote", None)
    if zygote is None or getattr(_local, "pid", None) != os.getpid():
        zygote = Zygote(settings.DLGRADE_SANDBOX)
        zygote.start()
        _local.zygote, _local.pid = zygote, os.getpid()
    return zygote


def close_process_zygote() -> None:
    zygote = getattr(_local, "zygote", None)
    if zygote is not None and getattr(_local, "pid", None) == os.getpid():
        zygote.close()
    _local.zygote = None


def submission_grade(*, submission_id: int) -> None:
    """Grade one submission unless it already has a verdict. Raises SandboxUnavailable to retry."""
    submission = services.submission_start(submission_id=submission_id)
    if submission is None:
        log.info("submission %s already graded; skipping duplicate delivery", submission_id)
        return
    try:
        bundle = load_cached(submission.exercise.bundle_path)
    except (BundleError, OSError) as exc:
        log.error("submission %s: exercise bundle unusable: %s", submission_id, exc)
        verdict = platform_error(
            f"The exercise {submission.exercise.slug} cannot be graded right now", exercise=submission.exercise.slug
        )
        services.submission_record_verdict(submission_id=submission_id, verdict=verdict)
        return
    try:
        verdict = grade(bundle, submission.source, zygote=process_zygote())
    except Exception:  # the sandbox failed, or the soft time limit hit mid-job: start afresh next time
        close_process_zygote()
        raise
    services.submission_record_verdict(submission_id=submission_id, verdict=verdict)
