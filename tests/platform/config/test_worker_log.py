"""The worker's console shows the gradings, not the beat's routine sweeps every 10 s."""

from __future__ import annotations

import logging

from config.celery import app  # noqa: F401 - installs the filters


def _shown(logger: str, level: int, message: str, *args) -> bool:
    record = logging.getLogger(logger).makeRecord(logger, level, __file__, 1, message, args, None)
    return all(check.filter(record) for check in logging.getLogger(logger).filters)


def test_routine_sweeps_are_quiet_and_gradings_are_not():
    trace = "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s"
    sweep = {"name": "lti.sync_scores", "id": "1", "runtime": 0.01, "return_value": None}
    grading = {"name": "submissions.grade_submission", "id": "2", "runtime": 0.02, "return_value": None}
    assert not _shown("celery.app.trace", logging.INFO, trace, sweep)
    assert _shown("celery.app.trace", logging.INFO, trace, grading)
    assert not _shown("celery.beat", logging.INFO, "Scheduler: Sending due task %s (%s)", "x", "lti.sync_scores")
    assert not _shown("celery.worker.strategy", logging.INFO, "Task %s[%s] received", "batches.requeue_stale", "3")
    assert _shown("celery.worker.strategy", logging.INFO, "Task %s[%s] received", "submissions.grade_submission", "4")


def test_a_failing_sweep_still_says_so():
    trace = "Task %(name)s[%(id)s] raised unexpected: %(exc)s"
    assert _shown("celery.app.trace", logging.ERROR, trace, {"name": "lti.sync_scores", "id": "5", "exc": "boom"})
