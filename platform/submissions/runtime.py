"""The worker's grading runtime, shared by submissions, batch items and regrades: this process's
warm sandboxes, and grading stored source against a bundle version (graders/runtime.py)."""

from __future__ import annotations

from pathlib import Path

from celery.signals import worker_process_init, worker_process_shutdown
from django.conf import settings

from graders.case_text import parse_cases
from graders.runtime import SandboxPool, load_version
from graders.verdict import Verdict

_pool: SandboxPool | None = None


def sandbox_pool() -> SandboxPool:
    global _pool
    if _pool is None or _pool.isolation != settings.DLGRADE_SANDBOX:  # settings changed (tests): start afresh
        close_sandboxes()
        _pool = SandboxPool(settings.DLGRADE_SANDBOX)
    return _pool


def grade_stored(
    *, bundle_path: Path | str, source: str, content_hash: str | None = None, untrusted: bool = False
) -> Verdict:
    """Grade ``source`` against the bundle at ``bundle_path`` (version ``content_hash`` if given).

    ``untrusted``: a course repository's bundle (``Exercise.runs_in_sandbox``), whose own code runs
    only in the sandbox; when it fails, CourseContentFailed is the platform's fault to retry.

    Raises BundleUnavailable (BundleChanged) when the exercise cannot be graded as asked, and
    SandboxUnavailable or any other platform fault for the task to retry (graders/runtime.py).
    """
    return sandbox_pool().grade(load_version(bundle_path, content_hash, untrusted=untrusted), source)


def sandbox_tally() -> dict[str, int]:
    """What this process's sandboxes did since the last call (case outcomes, platform errors, restarts)."""
    return _pool.take_tally() if _pool is not None else {}


def try_stored(
    *, bundle_path: Path | str, source: str, own_cases: str, function: str, untrusted: bool = False
) -> Verdict:
    """Run ``source`` on the bundle's visible cases and the student's own (graders/trial.py)."""
    own = parse_cases(own_cases, function=function)  # checked when stored: the same lines read the same
    return sandbox_pool().trial(load_version(bundle_path, untrusted=untrusted), source, own)


@worker_process_init.connect
def warm_sandbox(**kwargs) -> None:
    """Start this worker process's sandbox before the first submission arrives."""
    sandbox_pool().zygote()


def close_sandboxes() -> None:
    """Close this process's sandboxes; the next grading starts afresh (with the settings of then)."""
    global _pool
    if _pool is not None:
        _pool.close()
    _pool = None


@worker_process_shutdown.connect
def close_sandbox(**kwargs) -> None:
    close_sandboxes()
