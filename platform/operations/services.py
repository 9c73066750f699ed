"""Writes of operations: worker heartbeats and the sandbox counters; re-sending goes through submissions."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from operations.models import SandboxCounter, WorkerHeartbeat
from submissions import services as submission_services


def worker_heartbeat_record(
    *,
    hostname: str,
    pid: int,
    concurrency: int,
    queues: list[str],
    layers: list[str],
    missing: list[str],
    selftest_passed_at: datetime | None,
    selftest_problems: list[str],
    started_at: datetime,
) -> None:
    """Say that this worker is up, with what its sandbox last proved."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname,
        defaults={
            "pid": pid,
            "concurrency": concurrency,
            "queues": queues,
            "layers": layers,
            "missing": missing,
            "selftest_passed_at": selftest_passed_at,
            "selftest_problems": selftest_problems,
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def worker_heartbeat_remove(*, hostname: str) -> None:
    """A worker stopping on purpose leaves the list at once."""
    WorkerHeartbeat.objects.filter(hostname=hostname).delete()


def sandbox_counters_add(*, counts: dict[str, int]) -> None:
    """Add one process's tally to the shared counters (atomic increments: many workers add at once)."""
    for name, amount in counts.items():
        if amount <= 0:
            continue
        if not SandboxCounter.objects.filter(name=name).update(value=F("value") + amount):
            try:
                with transaction.atomic():
                    SandboxCounter.objects.create(name=name, value=amount)
            except IntegrityError:  # another worker created it meanwhile
                SandboxCounter.objects.filter(name=name).update(value=F("value") + amount)


def submissions_resend(*, submission_ids: list[int]) -> list[int]:
    """Send stuck or platform-failed submissions to grading again; return those re-sent."""
    return [pk for pk in submission_ids if submission_services.submission_resend(submission_id=pk)]
