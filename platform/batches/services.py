"""Writes for batch jobs: create a job, send its items, claim and record them, re-send lost ones.

Every item is graded by its own task (batches.grade_item). A task only claims and records with
guarded UPDATEs (never on a finished item), so a redelivered or re-sent task grades at most again
and the first recorded result wins: a worker lost mid-job costs time, never a result.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from batches.models import BatchItem, BatchJob
from catalog.models import Exercise
from config.celery import app as celery_app
from graders.batch import BatchInput, Collected, InputError, Skipped, read_zip, unreadable_record
from graders.bundle import Bundle, BundleError, load_cached

log = logging.getLogger(__name__)
# Sent by name: batches.tasks defines it and calls these services, so they never import it.
GRADE_ITEM_TASK = "batches.grade_item"
SEND_CHUNK = 500


def batch_job_create(
    *,
    exercise: Exercise,
    bundle: Bundle,
    inputs: Sequence[BatchInput],
    skipped: Sequence[Skipped] = (),
    origin: str,
    label: str = "",
    created_by=None,
) -> BatchJob:
    """Store a job and its items in input order; send the items once the rows are committed.

    Inputs whose bytes cannot be a submission (not UTF-8, too large) are recorded at once as not
    gradable, as `manage.py grade` does for such a file.
    """
    now = timezone.now()
    with transaction.atomic():
        job = BatchJob.objects.create(
            exercise=exercise,
            created_by=created_by,
            origin=origin,
            label=label[:255],
            total=len(inputs),
            skipped=[{"name": entry.name, "reason": entry.reason} for entry in skipped],
            finished_at=None if inputs else now,
        )
        items = []
        for position, entry in enumerate(inputs):
            if entry.source is None:
                items.append(
                    BatchItem(
                        job=job,
                        position=position,
                        name=entry.name,
                        source="",
                        status=BatchItem.Status.DONE,
                        record=unreadable_record(bundle, entry.name, entry.problem),
                        score=0.0,
                        finished_at=now,
                    )
                )
            else:
                items.append(BatchItem(job=job, position=position, name=entry.name, source=entry.source))
        BatchItem.objects.bulk_create(items, batch_size=SEND_CHUNK)
        if inputs and all(item.status == BatchItem.Status.DONE for item in items):
            job.finished_at = now
            job.save(update_fields=["finished_at"])
        job_id = job.pk
        transaction.on_commit(lambda: batch_job_enqueue(job_id=job_id))
    return job


def batch_job_create_from_zip(*, exercise: Exercise, upload, origin: str, created_by=None) -> BatchJob:
    """Read an uploaded zip in memory (nothing is extracted) and make a job of its Python files.

    Raises ValidationError when the file is too large, not a zip archive, or holds no Python file
    (the message then lists what was skipped and why).
    """
    if upload.size > settings.BATCH_MAX_UPLOAD_BYTES:
        limit = settings.BATCH_MAX_UPLOAD_BYTES
        shown = f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit >> 10} KiB"
        raise ValidationError(
            _("The file is %(size)s KiB; uploads are limited to %(limit)s.")
            % {"size": upload.size >> 10, "limit": shown}
        )
    try:
        bundle = load_cached(exercise.bundle_path, untrusted=exercise.runs_in_sandbox)
    except (BundleError, OSError) as exc:
        log.error("batch upload for %s: bundle unusable: %s", exercise.slug, exc)
        raise ValidationError(
            _("The exercise %(slug)s cannot be graded right now.") % {"slug": exercise.slug}
        ) from None
    upload.seek(0)
    try:
        collected: Collected = read_zip(upload, max_bytes=settings.MAX_SOURCE_BYTES)
    except InputError:
        raise ValidationError(_("The file is not a zip archive.")) from None
    if not collected.inputs:
        reasons = "; ".join(f"{entry.name}: {entry.reason}" for entry in collected.skipped[:10])
        message = _("The archive holds no Python file to grade.")
        if reasons:
            message += " " + _("Skipped: %(reasons)s") % {"reasons": reasons}
        raise ValidationError(message)
    return batch_job_create(
        exercise=exercise,
        bundle=bundle,
        inputs=collected.inputs,
        skipped=collected.skipped,
        origin=origin,
        label=getattr(upload, "name", "") or "upload.zip",
        created_by=created_by,
    )


def batch_job_enqueue(*, job_id: int) -> int:
    ids = list(
        BatchItem.objects.filter(job_id=job_id, status=BatchItem.Status.QUEUED)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    return batch_items_enqueue(item_ids=ids)


def batch_items_enqueue(*, item_ids: Sequence[int]) -> int:
    """Send one task per item over one broker connection; return how many were sent.

    A broker outage leaves the rest unsent (and logged): the job's refresh sends them later.
    """
    sent: list[int] = []
    try:
        with celery_app.producer_or_acquire() as producer:
            for item_id in item_ids:
                celery_app.send_task(
                    GRADE_ITEM_TASK, args=(item_id,), queue=settings.CELERY_BATCH_QUEUE, producer=producer
                )
                sent.append(item_id)
    except Exception:  # the broker is down: the items stay queued and are sent again on refresh
        log.exception("could not send %s batch items; they stay queued", len(item_ids) - len(sent))
    now = timezone.now()
    for start in range(0, len(sent), SEND_CHUNK):
        BatchItem.objects.filter(pk__in=sent[start : start + SEND_CHUNK]).update(enqueued_at=now, sends=F("sends") + 1)
    return len(sent)


@contextmanager
def _relaxed_commit():
    """A transaction whose commit does not wait for the disk (PostgreSQL's synchronous_commit off).

    Safe for item writes, and only for them: a claim or record lost in a database crash leaves the
    item unfinished, and the job's refresh sends it again (grading is idempotent). It saves a WAL
    flush per write, a few milliseconds per file on a common disk.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def batch_item_claim(*, item_id: int) -> BatchItem | None:
    """Mark an item running and count the attempt; None when it is already done (a duplicate)."""
    with _relaxed_commit():
        claimed = (
            BatchItem.objects.filter(pk=item_id)
            .exclude(status=BatchItem.Status.DONE)
            .update(status=BatchItem.Status.RUNNING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
        )
        if not claimed:
            return None
        return BatchItem.objects.select_related("job__exercise").get(pk=item_id)


def batch_item_record(*, item_id: int, job_id: int, record: dict[str, Any]) -> bool:
    """Store an item's record once; return False when it already had one. Finishes the job with its last item."""
    now = timezone.now()
    with _relaxed_commit():
        stored = (
            BatchItem.objects.filter(pk=item_id)
            .exclude(status=BatchItem.Status.DONE)
            .update(
                status=BatchItem.Status.DONE,
                record=record,
                score=record["score"] if record["status"] == "graded" else None,
                finished_at=now,
            )
        )
    unfinished = (BatchItem.Status.QUEUED, BatchItem.Status.RUNNING)  # two index seeks, not a scan of the done
    if stored and not BatchItem.objects.filter(job_id=job_id, status__in=unfinished).exists():
        BatchJob.objects.filter(pk=job_id, finished_at__isnull=True).update(finished_at=now)
    return bool(stored)


def batch_job_refresh(*, job_id: int, lease_s: float | None = None) -> list[int]:
    """Send again the items of a job that look lost; return their ids.

    Lost means: claimed longer than the lease ago and not done (the worker died, or its machine),
    or still queued while the whole job has made no progress for the lease (the message never
    arrived or died with a broker). Re-sending is safe: grading an item is idempotent. A queued
    item is sent again after 1, 2, 4... leases (at most 64): with no worker running, the queue
    does not fill with copies.
    """
    lease = timedelta(seconds=settings.BATCH_LEASE_S if lease_s is None else lease_s)
    now = timezone.now()
    cutoff = now - lease
    job = BatchJob.objects.filter(pk=job_id).first()
    if job is None or job.finished_at is not None:
        return []
    pending = BatchItem.objects.filter(job_id=job_id).exclude(status=BatchItem.Status.DONE)
    if not pending.exists():
        BatchJob.objects.filter(pk=job_id, finished_at__isnull=True).update(finished_at=now)
        return []
    with transaction.atomic():
        lost_running = list(
            pending.filter(status=BatchItem.Status.RUNNING, claimed_at__lt=cutoff).values_list("pk", flat=True)
        )
        if lost_running:
            BatchItem.objects.filter(pk__in=lost_running, status=BatchItem.Status.RUNNING).update(
                status=BatchItem.Status.QUEUED
            )
        last_progress = job.items.aggregate(last=Max("finished_at"))["last"] or job.created_at
        lost_queued: list[int] = []
        if last_progress < cutoff:
            candidates = (
                pending.filter(status=BatchItem.Status.QUEUED)
                .filter(Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True))
                .exclude(pk__in=lost_running)
                .values_list("pk", "enqueued_at", "sends")
            )
            lost_queued = [
                pk
                for pk, enqueued_at, sends in candidates
                if enqueued_at is None or enqueued_at < now - lease * 2 ** min(max(sends - 1, 0), 6)
            ]
    resend = sorted(set(lost_running) | set(lost_queued))
    if resend:
        log.warning("batch job %s: sending %s lost items again", job_id, len(resend))
        batch_items_enqueue(item_ids=resend)
    return resend


def batch_jobs_refresh_all(*, lease_s: float | None = None) -> int:
    """Refresh every unfinished job (the beat task); return how many items were sent again."""
    return sum(
        len(batch_job_refresh(job_id=job_id, lease_s=lease_s))
        for job_id in BatchJob.objects.filter(finished_at__isnull=True).values_list("pk", flat=True)
    )
