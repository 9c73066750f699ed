"""Writes for regrades: preview against the current bundle, compute on the workers, apply or roll back."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Exercise
from config.celery import app as celery_app
from courses.models import (
    Course,
    Regrade,
    RegradeResult,
    VerdictHistory,
)
from courses.selectors import course_submissions
from graders.verdict import Verdict
from submissions.models import Submission
from submissions.services import StoredVerdict, SubmissionChanged, submission_replace_verdicts

log = logging.getLogger(__name__)
# Sent by name: courses.tasks defines it and calls these services, so they never import it.
REGRADE_TASK = "courses.regrade_submissions"


def regrade_preview(*, course: Course, exercise: Exercise, requested_by) -> Regrade:
    """Start computing new verdicts for every stored submission of ``exercise`` in ``course``.

    Nothing a student sees changes: the new verdicts go to the pending table (RegradeResult),
    computed by ``courses.regrade_submissions`` tasks fanned out over the grading workers.
    """
    try:
        with transaction.atomic():
            exercise = Exercise.objects.get(pk=exercise.pk)  # the version synced now, not a stale copy
            open_preview = Regrade.objects.filter(
                course=course, exercise=exercise, status=Regrade.Status.PREVIEW
            ).first()
            if open_preview is not None:
                raise ValidationError(
                    _("Regrade #%(n)s of this exercise is still a preview: apply or discard it first.")
                    % {"n": open_preview.pk}
                )
            submissions = list(
                course_submissions(course=course)
                .filter(exercise=exercise, status__in=Submission.FINAL_STATUSES)
                .values_list("pk", "status", "score")
            )
            if not submissions:
                raise ValidationError(_("No graded submission of this exercise in this course: nothing to regrade."))
            regrade = Regrade.objects.create(
                course=course,
                exercise=exercise,
                bundle_hash=exercise.content_hash,
                total=len(submissions),
                created_by=requested_by,
            )
            RegradeResult.objects.bulk_create(
                RegradeResult(regrade=regrade, submission_id=pk, old_status=status, old_score=score)
                for pk, status, score in submissions
            )
            result_ids = list(regrade.results.values_list("pk", flat=True))
            transaction.on_commit(lambda: regrade_enqueue(result_ids=result_ids))
    except IntegrityError:  # another instructor started the same regrade at the same moment
        raise ValidationError(_("A regrade of this exercise is already being prepared.")) from None
    return regrade


REGRADE_TASKS_AT_LEAST = 64  # small regrades: one submission per task; large ones: up to
REGRADE_CHUNK_MAX = 20  # this many per task, so broker overhead does not dominate


def regrade_enqueue(*, result_ids: list[int]) -> int:
    """Fan the results out over the grading workers in small chunks; a chunk left unsent is resumed later."""
    size = max(1, min(REGRADE_CHUNK_MAX, -(-len(result_ids) // REGRADE_TASKS_AT_LEAST)))
    sent = 0
    for start in range(0, len(result_ids), size):
        chunk = result_ids[start : start + size]
        try:
            celery_app.send_task(REGRADE_TASK, args=(chunk,), queue=settings.CELERY_GRADING_QUEUE)
        except Exception:  # the broker is down: the results stay pending and "Resume" sends them again
            log.exception("could not enqueue %s regrade results; they stay pending", len(result_ids) - sent)
            break
        sent += len(chunk)
    return sent


def _regrade_finish_if_complete(regrade_id: int) -> None:
    if not RegradeResult.objects.filter(regrade_id=regrade_id).exclude(status=RegradeResult.Status.DONE).exists():
        Regrade.objects.filter(pk=regrade_id, computed_at__isnull=True).update(computed_at=timezone.now())


def regrade_record_result(*, result_id: int, verdict: Verdict) -> bool:
    """Store one new verdict in the pending table, once; the submission itself does not change."""
    with transaction.atomic():
        result = RegradeResult.objects.select_for_update().get(pk=result_id)
        if result.status == RegradeResult.Status.DONE:
            return False
        new = StoredVerdict.of(verdict)
        result.status = RegradeResult.Status.DONE
        result.new_status, result.new_score = new.status, new.score
        result.new_passed, result.new_total = new.passed, new.total
        result.new_verdict = new.verdict
        result.message = ""
        result.attempts += 1
        result.computed_at = timezone.now()
        result.save()
    _regrade_finish_if_complete(result.regrade_id)
    return True


def regrade_record_failure(*, result_id: int, message: str, final: bool) -> None:
    """Count a failed computation; after the last retry the result is failed (resume to try again)."""
    with transaction.atomic():
        result = RegradeResult.objects.select_for_update().get(pk=result_id)
        if result.status == RegradeResult.Status.DONE:
            return
        result.attempts += 1
        result.message = message[:2000]
        if final:
            result.status = RegradeResult.Status.FAILED
        result.save(update_fields=["attempts", "message", "status"])


def _refusal(action: str) -> str:
    """Whole sentences, so that each can be translated: "Regrade #3 is applied: it cannot be resumed." """
    return {
        "resumed": _("Regrade #%(n)s is %(status)s: it cannot be resumed."),
        "discarded": _("Regrade #%(n)s is %(status)s: it cannot be discarded."),
        "applied": _("Regrade #%(n)s is %(status)s: it cannot be applied."),
        "rolled back": _("Regrade #%(n)s is %(status)s: it cannot be rolled back."),
    }[action]


def _require_status(regrade: Regrade, status: str, action: str) -> None:
    if regrade.status != status:
        raise ValidationError(_refusal(action) % {"n": regrade.pk, "status": regrade.get_status_display().lower()})


def regrade_resume(*, regrade: Regrade) -> int:
    """Send again every result of a preview that is not computed (failed, or its task was lost)."""
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().get(pk=regrade.pk)
        _require_status(regrade, Regrade.Status.PREVIEW, "resumed")
        unfinished = regrade.results.exclude(status=RegradeResult.Status.DONE)
        result_ids = list(unfinished.values_list("pk", flat=True))
        unfinished.update(status=RegradeResult.Status.PENDING, attempts=0, message="")
        if result_ids:
            transaction.on_commit(lambda: regrade_enqueue(result_ids=result_ids))
    return len(result_ids)


def regrade_discard(*, regrade: Regrade) -> None:
    """Drop a preview: nothing was applied, so nothing changes for students."""
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().get(pk=regrade.pk)
        _require_status(regrade, Regrade.Status.PREVIEW, "discarded")
        regrade.status = Regrade.Status.DISCARDED
        regrade.finished_at = timezone.now()
        regrade.save(update_fields=["status", "finished_at"])
        regrade.results.filter(status=RegradeResult.Status.PENDING).update(
            status=RegradeResult.Status.FAILED, message="discarded"
        )


def _history_of(submission_id: int, before: StoredVerdict, *, regrade: Regrade, reason: str) -> VerdictHistory:
    return VerdictHistory(
        submission_id=submission_id,
        regrade=regrade,
        reason=reason,
        status=before.status,
        score=before.score,
        passed=before.passed,
        total=before.total,
        verdict=before.verdict,
        bundle_hash=before.bundle_hash,
        graded_at=before.graded_at,
    )


def regrade_apply(*, regrade: Regrade, applied_by) -> int:
    """Switch every submission of a computed preview to its new verdict, in one transaction.

    The old verdicts go to VerdictHistory. If anything is off (a result missing, the exercise or
    a submission changed since the preview) nothing is applied.
    """
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().select_related("exercise").get(pk=regrade.pk)
        _require_status(regrade, Regrade.Status.PREVIEW, "applied")
        unfinished = regrade.results.exclude(status=RegradeResult.Status.DONE).count()
        if unfinished:
            raise ValidationError(
                _("%(n)s of %(total)s submissions are not regraded yet: resume the regrade, or discard it.")
                % {"n": unfinished, "total": regrade.total}
            )
        if regrade.exercise.content_hash != regrade.bundle_hash:
            raise ValidationError(
                _("The exercise changed again since this preview was computed: discard it and start a new regrade.")
            )
        results = list(regrade.results.all())
        replacements = {
            r.submission_id: StoredVerdict(
                r.new_status,
                r.new_score,
                r.new_passed,
                r.new_total,
                r.new_verdict,
                (r.new_verdict or {}).get("bundle_hash", regrade.bundle_hash),
            )
            for r in results
        }
        try:
            before = submission_replace_verdicts(
                replacements=replacements, expected={r.submission_id: (r.old_status, r.old_score) for r in results}
            )
        except SubmissionChanged as exc:
            raise ValidationError(
                _("Submission #%(n)s changed since the preview was computed: discard this regrade and start a new one.")
                % {"n": exc.submission_id}
            ) from None
        VerdictHistory.objects.bulk_create(
            [
                _history_of(sid, old, regrade=regrade, reason=VerdictHistory.Reason.REGRADE)
                for sid, old in before.items()
            ]
        )
        regrade.status = Regrade.Status.APPLIED
        regrade.applied_by = applied_by
        regrade.applied_at = regrade.finished_at = timezone.now()
        regrade.save(update_fields=["status", "applied_by", "applied_at", "finished_at"])
    return len(before)


def regrade_rollback(*, regrade: Regrade) -> int:
    """Give every submission of an applied regrade its verdict from before, in one transaction."""
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().get(pk=regrade.pk)
        _require_status(regrade, Regrade.Status.APPLIED, "rolled back")
        later = (
            Regrade.objects.filter(
                course=regrade.course_id,
                exercise=regrade.exercise_id,
                status=Regrade.Status.APPLIED,
                applied_at__gt=regrade.applied_at,
            )
            .order_by("-applied_at")
            .first()
        )
        if later is not None:
            raise ValidationError(_("Regrade #%(n)s was applied after this one: roll it back first.") % {"n": later.pk})
        previous = VerdictHistory.objects.filter(regrade=regrade, reason=VerdictHistory.Reason.REGRADE)
        before = submission_replace_verdicts(replacements={h.submission_id: StoredVerdict.read(h) for h in previous})
        VerdictHistory.objects.bulk_create(
            [
                _history_of(sid, old, regrade=regrade, reason=VerdictHistory.Reason.ROLLBACK)
                for sid, old in before.items()
            ]
        )
        regrade.status = Regrade.Status.ROLLED_BACK
        regrade.rolled_back_at = regrade.finished_at = timezone.now()
        regrade.save(update_fields=["status", "rolled_back_at", "finished_at"])
    return len(before)
