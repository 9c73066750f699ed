"""Writes for submissions: create, start, record a verdict, record a platform failure; and Run's trials."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from catalog.models import Exercise
from config.celery import app as celery_app
from graders.case_text import CaseTextError, parse_cases
from graders.feedback import render
from graders.verdict import NOT_GRADABLE, PLATFORM_ERROR, Verdict
from submissions.hooks import credit_policy
from submissions.models import Submission, Trial, summarize_verdict

log = logging.getLogger(__name__)
# Sent by name: submissions.tasks defines it and calls these services, so they never import it.
GRADE_TASK = "submissions.grade_submission"


def validate_source(source: str) -> str:
    if "\x00" in source:
        raise ValidationError(_("Your code contains a NUL character; paste it as plain text."))
    size = len(source.encode("utf-8"))
    if size > settings.MAX_SOURCE_BYTES:
        raise ValidationError(
            _("Your code is %(size)s KiB; submissions are limited to %(limit)s KiB.")
            % {"size": size // 1024, "limit": settings.MAX_SOURCE_BYTES // 1024}
        )
    if not source.strip():
        raise ValidationError(_("Your code is empty."))
    return source


def submission_create(*, user, exercise: Exercise, source: str, assignment_id: int | None = None) -> Submission:
    """Store the submission, then enqueue its grading once the row is committed.

    Wherever it comes from (exercise page, assignment page, API, CLI) the registered credit policy
    records, in the same transaction, every assignment it counts for, judged by its own created_at.
    ``assignment_id`` is the assignment whose page it was sent from: a submission that could not
    count there (closed window, no attempts left, too soon) raises ValidationError and is not kept.
    """
    validate_source(source)
    with transaction.atomic():
        credit_policy().hold(user=user)
        submission = Submission.objects.create(user=user, exercise=exercise, source=source)
        credit_policy().judge_new(submission=submission, assignment_id=assignment_id)
    transaction.on_commit(lambda: submission_enqueue(submission_id=submission.pk))
    return submission


def submission_enqueue(*, submission_id: int) -> bool:
    """Send the grading task. A broker outage leaves the row queued for the sweeper, never lost."""
    try:
        celery_app.send_task(GRADE_TASK, args=(submission_id,), queue=settings.CELERY_GRADING_QUEUE)
    except Exception:  # the broker is down: the row stays queued and the sweeper re-enqueues it
        log.exception("could not enqueue submission %s; it stays queued", submission_id)
        return False
    Submission.objects.filter(pk=submission_id).update(enqueued_at=timezone.now())
    return True


def submission_sweep_stale(
    *, stale_after_s: float, running_stale_after_s: float, max_attempts: int
) -> dict[str, list[int]]:
    """Re-send grading for submissions whose task seems lost; give up after ``max_attempts``.

    A submission is stale when it is queued and its task was never sent (broker down at submit)
    or was sent more than ``stale_after_s`` ago, or when it has been running for more than
    ``running_stale_after_s``: longer than the tasks' hard time limit, so no live worker can still
    be grading it (its worker died). Re-sending is safe: grading is idempotent and a verdict is
    recorded once.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=stale_after_s)
    stale = Submission.objects.filter(
        Q(status=Submission.Status.QUEUED, enqueued_at__isnull=True, created_at__lt=now - timedelta(seconds=5))
        | Q(status=Submission.Status.QUEUED, enqueued_at__lt=cutoff)
        | Q(status=Submission.Status.RUNNING, started_at__lt=now - timedelta(seconds=running_stale_after_s))
    ).values_list("pk", flat=True)
    report: dict[str, list[int]] = {"requeued": [], "failed": []}
    for submission_id in list(stale[:500]):
        with transaction.atomic():
            submission = Submission.objects.select_for_update().get(pk=submission_id)
            if submission.is_final:
                continue
            submission.platform_attempts += 1
            if submission.platform_attempts >= max_attempts:
                submission.status = Submission.Status.PLATFORM_ERROR
                submission.platform_message = "Grading was lost repeatedly (worker or broker failures)"
                submission.graded_at = now
                submission.save()
                log.error("submission %s: gave up after %s lost gradings", submission_id, submission.platform_attempts)
                report["failed"].append(submission_id)
                continue
            submission.status = Submission.Status.QUEUED
            submission.enqueued_at = now  # do not sweep it again before stale_after_s
            submission.save(update_fields=["platform_attempts", "status", "enqueued_at"])
        if submission_enqueue(submission_id=submission_id):
            report["requeued"].append(submission_id)
    if report["requeued"] or report["failed"]:
        log.warning("sweeper: re-sent %s, gave up on %s", report["requeued"], report["failed"])
    return report


def submission_resend(*, submission_id: int) -> bool:
    """Send a stuck or platform-failed submission to grading again (staff, once the cause is fixed).

    It starts over as queued with a fresh count of platform attempts; a graded one is left alone.
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status not in (
            Submission.Status.PLATFORM_ERROR,
            Submission.Status.QUEUED,
            Submission.Status.RUNNING,
        ):
            return False
        submission.status = Submission.Status.QUEUED
        submission.platform_attempts = 0
        submission.started_at = submission.graded_at = None
        submission.save(update_fields=["status", "platform_attempts", "started_at", "graded_at"])
    log.warning("submission %s re-sent to grading by staff", submission_id)
    transaction.on_commit(lambda: submission_enqueue(submission_id=submission_id))
    return True


def submission_start(*, submission_id: int) -> Submission | None:
    """Mark a submission running; return None when it is already final (a duplicate delivery)."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("exercise").get(pk=submission_id)
        if submission.is_final:
            return None
        submission.status = Submission.Status.RUNNING
        submission.started_at = timezone.now()
        submission.save(update_fields=["status", "started_at"])
    return submission


def status_for(verdict: Verdict) -> str:
    """The submission status a verdict means (the one mapping; regrades use it too)."""
    if verdict.outcome == PLATFORM_ERROR:
        return Submission.Status.PLATFORM_ERROR
    if verdict.outcome == NOT_GRADABLE:
        return Submission.Status.NOT_GRADABLE
    return Submission.Status.GRADED


@dataclass(frozen=True)
class StoredVerdict:
    """What a submission's grade is made of: a regrade switches between these, keeping the old in history."""

    status: str
    score: float | None
    passed: int | None
    total: int | None
    verdict: dict | None
    bundle_hash: str
    graded_at: datetime | None = None  # when it was graded (kept when a verdict is switched)

    @classmethod
    def of(cls, verdict: Verdict) -> StoredVerdict:
        status = status_for(verdict)
        score = None if status == Submission.Status.PLATFORM_ERROR else verdict.score
        return cls(status, score, verdict.passed, verdict.total, verdict.to_dict(), verdict.bundle_hash)

    @classmethod
    def read(cls, row) -> StoredVerdict:
        """From a Submission, or from anything with the same fields (a history row)."""
        return cls(row.status, row.score, row.passed, row.total, row.verdict, row.bundle_hash, row.graded_at)


VERDICT_FIELDS = ["status", "score", "passed", "total", "verdict", "verdict_summary", "bundle_hash"]


def _store(submission: Submission, stored: StoredVerdict) -> None:
    submission.status, submission.score = stored.status, stored.score
    submission.passed, submission.total = stored.passed, stored.total
    submission.verdict, submission.bundle_hash = stored.verdict, stored.bundle_hash
    # The dashboards aggregate this small summary instead of every full verdict.
    submission.verdict_summary = summarize_verdict(stored.verdict)


def submission_record_verdict(*, submission_id: int, verdict: Verdict) -> bool:
    """Store a verdict exactly once; return False when the submission already had one."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.is_final:
            return False
        _store(submission, StoredVerdict.of(verdict))
        submission.graded_at = timezone.now()
        submission.save(update_fields=[*VERDICT_FIELDS, "graded_at"])
    return True


class SubmissionChanged(Exception):
    """A submission is no longer in the state the caller last saw (``submission_id``)."""

    def __init__(self, submission_id: int) -> None:
        super().__init__(f"submission {submission_id} changed")
        self.submission_id = submission_id


def submission_replace_verdicts(
    *, replacements: dict[int, StoredVerdict], expected: dict[int, tuple[str, float | None]] | None = None
) -> dict[int, StoredVerdict]:
    """Switch submissions to other verdicts in bulk (a regrade applied or rolled back), in the
    caller's transaction, and return what each had before. Deleted submissions are skipped.

    Raises SubmissionChanged, writing nothing, when a submission's (status, score) is not the one
    ``expected`` says the caller computed the change from.
    """
    with transaction.atomic():
        submissions = Submission.objects.select_for_update().in_bulk(list(replacements))
        before: dict[int, StoredVerdict] = {}
        for submission_id, submission in submissions.items():
            if expected is not None and (submission.status, submission.score) != expected.get(submission_id):
                raise SubmissionChanged(submission_id)
            before[submission_id] = StoredVerdict.read(submission)
            _store(submission, replacements[submission_id])
        Submission.objects.bulk_update(list(submissions.values()), VERDICT_FIELDS, batch_size=500)
    return before


def submission_record_platform_failure(*, submission_id: int, message: str, final: bool) -> None:
    """Count a platform failure; after the last retry the submission is marked for staff, unscored."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.is_final:
            return
        submission.platform_attempts += 1
        submission.platform_message = message[:2000]
        if final:
            submission.status = Submission.Status.PLATFORM_ERROR
            submission.graded_at = timezone.now()
            log.error(
                "submission %s: platform error after %s attempts: %s",
                submission_id,
                submission.platform_attempts,
                message,
            )
        else:
            submission.status = Submission.Status.QUEUED
        submission.save()


# -- Run: trials are not attempts ----------------------------------------------------------------

RUN_TASK = "submissions.run_trial"


def trial_create(*, user, exercise: Exercise, source: str, own_cases: str = "") -> Trial:
    """Store a Run of ``source`` (and the student's own case lines), then enqueue it once committed.

    Raises ValidationError, storing nothing, for bad code or a case line graders/case_text.py
    cannot read (the message names the line). The student's earlier trials of the exercise go.
    """
    validate_source(source)
    try:
        parse_cases(own_cases, function=exercise.function_name)
    except CaseTextError as error:
        raise ValidationError(render([error.phrase], translate=gettext)) from None
    with transaction.atomic():
        Trial.objects.filter(user=user, exercise=exercise).delete()
        trial = Trial.objects.create(user=user, exercise=exercise, source=source, own_cases=own_cases)
    transaction.on_commit(lambda: trial_enqueue(trial_id=trial.pk))
    return trial


def trial_enqueue(*, trial_id: int) -> bool:
    try:
        celery_app.send_task(RUN_TASK, args=(trial_id,), queue=settings.CELERY_GRADING_QUEUE)
    except Exception:  # the broker is down: the page says the run did not start
        log.exception("could not enqueue trial %s", trial_id)
        trial_record_platform_failure(trial_id=trial_id, message="broker unavailable", final=True)
        return False
    return True


def trial_start(*, trial_id: int) -> Trial | None:
    """Mark a trial running; None when it is final already (a duplicate delivery)."""
    with transaction.atomic():
        trial = Trial.objects.select_for_update().select_related("exercise").get(pk=trial_id)
        if trial.is_final:
            return None
        trial.status = Trial.Status.RUNNING
        trial.save(update_fields=["status"])
    return trial


def trial_record_result(*, trial_id: int, verdict: Verdict) -> None:
    Trial.objects.filter(pk=trial_id).exclude(status__in=Trial.FINAL_STATUSES).update(
        status=Trial.Status.DONE, result=verdict.to_dict(), finished_at=timezone.now()
    )


def trial_record_platform_failure(*, trial_id: int, message: str, final: bool) -> None:
    """A trial the platform could not run: retried like grading, then shown as our failure."""
    with transaction.atomic():
        trial = Trial.objects.select_for_update().filter(pk=trial_id).first()
        if trial is None or trial.is_final:
            return
        trial.platform_attempts += 1
        trial.status = Trial.Status.PLATFORM_ERROR if final else Trial.Status.QUEUED
        trial.finished_at = timezone.now() if final else None
        trial.platform_message = message[:2000]
        trial.save(update_fields=["platform_attempts", "status", "finished_at", "platform_message"])
    if final:
        log.error("trial %s: platform error: %s", trial_id, message)
