"""Reads for batch jobs: progress, records in input order, reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from batches.models import BatchItem, BatchJob
from graders.batch import csv_text
from graders.bundle import BundleError, load_cached


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    running: int
    queued: int
    mean_score: float | None

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "done": self.done,
            "running": self.running,
            "queued": self.queued,
            "percent": self.percent,
            "mean_score": self.mean_score,
        }


def batch_jobs_for(*, user) -> QuerySet[BatchJob]:
    """Jobs a user may see: staff see every job (course staff share their batches), others none."""
    if not user.is_staff:
        return BatchJob.objects.none()
    return BatchJob.objects.select_related("exercise", "created_by").annotate(
        done=Count("items", filter=Q(items__status=BatchItem.Status.DONE))
    )


def batch_job_get(*, user, job_id: int) -> BatchJob | None:
    return batch_jobs_for(user=user).filter(pk=job_id).first()


def batch_job_progress(*, job_id: int) -> Progress:
    counts = {
        row["status"]: row["n"]
        for row in BatchItem.objects.filter(job_id=job_id).order_by().values("status").annotate(n=Count("id"))
    }
    mean = BatchItem.objects.filter(job_id=job_id, score__isnull=False).aggregate(mean=Avg("score"))["mean"]
    done = counts.get(BatchItem.Status.DONE, 0)
    running = counts.get(BatchItem.Status.RUNNING, 0)
    queued = counts.get(BatchItem.Status.QUEUED, 0)
    return Progress(
        total=done + running + queued,
        done=done,
        running=running,
        queued=queued,
        mean_score=None if mean is None else round(mean, 4),
    )


def batch_records_from(*, job_id: int, position: int, limit: int = 500) -> list[dict[str, Any]]:
    """The records of the done items from ``position`` on, stopping at the first item not done."""
    rows = (
        BatchItem.objects.filter(job_id=job_id, position__gte=position)
        .order_by("position")
        .values_list("position", "status", "record")[:limit]
    )
    records = []
    expected = position
    for item_position, status, record in rows:
        if item_position != expected or status != BatchItem.Status.DONE:
            break
        records.append(record)
        expected += 1
    return records


def batch_items_done(*, job_id: int) -> QuerySet[BatchItem]:
    return BatchItem.objects.filter(job_id=job_id, status=BatchItem.Status.DONE).order_by("position")


def batch_job_case_names(*, job: BatchJob) -> list[str]:
    """The case names of the job's exercise, in order, from the first record that lists them."""
    for record in batch_items_done(job_id=job.pk).values_list("record", flat=True).iterator():
        if record and record.get("cases"):
            return [case["name"] for case in record["cases"]]
    return []


def batch_job_report_csv(*, job: BatchJob) -> str:
    records = (record for record in batch_items_done(job_id=job.pk).values_list("record", flat=True).iterator())
    return csv_text(records, batch_job_case_names(job=job))


def batch_job_report(*, job: BatchJob) -> dict[str, Any]:
    """The JSON report: the job, its progress, what was skipped and the records done so far, in order."""
    progress = batch_job_progress(job_id=job.pk)
    return {
        "job": {
            "id": job.pk,
            "exercise": job.exercise.slug,
            "origin": job.origin,
            "label": job.label,
            "created_at": job.created_at.isoformat(),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None,
            "created_by": job.created_by.username if job.created_by else None,
        },
        "progress": progress.as_dict(),
        "skipped": job.skipped,
        "results": list(batch_items_done(job_id=job.pk).values_list("record", flat=True)),
    }


def batch_mistake_texts(*, job: BatchJob, language: str) -> dict[str, str]:
    """What each known mistake of the job's exercise says, in the page's language (records keep keys)."""
    try:
        bundle = load_cached(job.exercise.bundle_path, untrusted=job.exercise.runs_in_sandbox)
    except (BundleError, OSError):  # the exercise changed or went: the keys stay as they are
        return {}
    if bundle.untrusted:  # a course's mistakes are known only in the worker's sandbox: the keys stay
        return {}
    chinese = language.startswith("zh")
    return {m.key: (m.message_zh if chinese and m.message_zh else m.message) for m in bundle.mistakes}


def batch_item_record(*, job_id: int, position: int) -> dict[str, Any] | None:
    """One graded file's record (its per-case feedback), or None while it is not done."""
    return (
        BatchItem.objects.filter(job_id=job_id, position=position, status=BatchItem.Status.DONE)
        .values_list("record", flat=True)
        .first()
    )
