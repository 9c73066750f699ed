"""Grade a stored submission in this worker process (the runtime: submissions/runtime.py)."""

from __future__ import annotations

import logging

from submissions import services
from submissions.runtime import grade_stored, try_stored

log = logging.getLogger(__name__)


def submission_grade(*, submission_id: int) -> None:
    """Grade one submission unless it already has a verdict; platform faults propagate to the task."""
    submission = services.submission_start(submission_id=submission_id)
    if submission is None:
        log.info("submission %s already graded; skipping duplicate delivery", submission_id)
        return
    exercise = submission.exercise
    verdict = grade_stored(
        bundle_path=exercise.bundle_path, source=submission.source, untrusted=exercise.runs_in_sandbox
    )
    services.submission_record_verdict(submission_id=submission_id, verdict=verdict)


def trial_run(*, trial_id: int) -> None:
    """Run one trial unless it already has a result; platform faults propagate to the task."""
    trial = services.trial_start(trial_id=trial_id)
    if trial is None:
        return
    verdict = try_stored(
        bundle_path=trial.exercise.bundle_path,
        source=trial.source,
        own_cases=trial.own_cases,
        function=trial.exercise.function_name,
        untrusted=trial.exercise.runs_in_sandbox,
    )
    services.trial_record_result(trial_id=trial_id, verdict=verdict)
