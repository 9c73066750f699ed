"""Writes for submissions: create, start, record a verdict, record a platform failure."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Exercise
from graders.verdict import NOT_GRADABLE, PLATFORM_ERROR, Verdict
from submissions.hooks import credit_policy
from submissions.models import Submission

log = logging.getLogger(__name__)


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
        submission = Submission.objects.create(user=user, exercise=exercise, source=source)
        credit_policy().judge_new(submission=submission, assignment_id=assignment_id)
    transaction.on_commit(lambda: submission_enqueue(submission_id=submission.pk))
    return submission


def submission_enqueue(*, submission_id: int) -> bool:
    """Send the grading task. A broker outage leaves the row queued for the sweeper, never lost."""
    from submissions.tasks import grade_submission

    try:
        grade_submission.apply_async((submission_id,), queue=settings.CELERY_GRADING_QUEUE)
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


def submission_record_verdict(*, submission_id: int, verdict: Verdict) -> bool:
    """Store a verdict exactly once; return False when the submission already had one."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.is_final:
            return False
        if verdict.outcome == PLATFORM_ERROR:
            status = Submission.Status.PLATFORM_ERROR
        elif verdict.outcome == NOT_GRADABLE:
            status = Submission.Status.NOT_GRADABLE
        else:
            status = Submission.Status.GRADED
        submission.status = status
        submission.verdict = verdict.to_dict()
        submission.score = None if status == Submission.Status.PLATFORM_ERROR else verdict.score
        submission.passed = verdict.passed
        submission.total = verdict.total
        submission.bundle_hash = verdict.bundle_hash
        submission.graded_at = timezone.now()
        submission.save()
    return True


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
