"""Reads of operations: readiness, workers, queues, submission states and grading latency."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.utils import timezone

from config.celery import app as celery_app
from operations.models import SandboxCounter, WorkerHeartbeat
from submissions.models import Submission

# Submit-to-verdict buckets (seconds): a verdict in a second or two, a queue on a deadline night, a lost task.
LATENCY_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600)
STUCK_AFTER_S = 300  # a submission waiting or running this long shows on the status page to re-send


def queue_names() -> list[str]:
    return list(dict.fromkeys([settings.CELERY_GRADING_QUEUE, settings.CELERY_BATCH_QUEUE, settings.CELERY_LTI_QUEUE]))


def fresh_after() -> timedelta:
    """A heartbeat older than three beats is a worker gone."""
    return timedelta(seconds=3 * settings.WORKER_HEARTBEAT_S)


def workers_online() -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - fresh_after()))


def worker_is_trusted(worker: WorkerHeartbeat) -> bool:
    """Its sandbox passed the confinement self-test recently (within two self-test periods)."""
    if worker.selftest_problems or worker.selftest_passed_at is None:
        return False
    return worker.selftest_passed_at >= timezone.now() - timedelta(seconds=2 * settings.WORKER_SELFTEST_EVERY_S)


def queue_depths() -> dict[str, int | None]:
    """Messages waiting on each queue; None for all when the broker cannot be reached."""
    try:
        with celery_app.connection_for_read() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
            channel = broker.default_channel
            depths = {}
            for name in queue_names():
                try:
                    depths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except Exception:  # never declared: nothing was ever sent to it
                    depths[name] = 0
            return depths
    except Exception:
        return dict.fromkeys(queue_names())


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)  # name -> "ok" or what is wrong

    @property
    def ready(self) -> bool:
        return all(value == "ok" for value in self.checks.values())


def readiness() -> Readiness:
    """Whether this deployment can grade: database, broker, and a worker with a recently proved sandbox."""
    result = Readiness()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        result.checks["database"] = "ok"
    except Exception as exc:
        result.checks["database"] = f"unreachable: {type(exc).__name__}"
        result.checks["workers"] = "unknown (no database)"
        result.checks["broker"] = "ok" if None not in queue_depths().values() else "unreachable"
        return result
    result.checks["broker"] = "ok" if None not in queue_depths().values() else "unreachable"
    workers = workers_online()
    trusted = [worker for worker in workers if worker_is_trusted(worker)]
    if trusted:
        result.checks["workers"] = "ok"
    elif workers:
        result.checks["workers"] = "no worker's sandbox self-test passed recently"
    else:
        result.checks["workers"] = "no worker online"
    return result


def submission_counts() -> dict[str, int]:
    counts = dict.fromkeys(Submission.Status.values, 0)
    counts.update(Submission.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return counts


@dataclass(frozen=True)
class Latency:
    buckets: list[tuple[float, int]]  # (upper bound in seconds, cumulative count), +Inf last
    count: int
    sum_s: float


def submit_to_verdict() -> Latency:
    """Seconds from submitting to the verdict over every submission with a verdict, in one query."""
    waited = ExpressionWrapper(F("graded_at") - F("created_at"), output_field=DurationField())
    finished = Submission.objects.filter(graded_at__isnull=False).annotate(waited=waited)
    aggregates = {
        f"le{i}": Count("id", filter=Q(waited__lte=timedelta(seconds=b))) for i, b in enumerate(LATENCY_BUCKETS)
    }
    row = finished.aggregate(total=Count("id"), waited_sum=Sum("waited"), **aggregates)
    total_s = row["waited_sum"].total_seconds() if row["waited_sum"] else 0.0
    buckets = [(bound, row[f"le{i}"]) for i, bound in enumerate(LATENCY_BUCKETS)]
    buckets.append((float("inf"), row["total"]))
    return Latency(buckets=buckets, count=row["total"], sum_s=max(0.0, total_s))


def sandbox_counters() -> dict[str, int]:
    return dict(SandboxCounter.objects.values_list("name", "value"))


def oldest_queued() -> Submission | None:
    return (
        Submission.objects.filter(status=Submission.Status.QUEUED)
        .select_related("exercise", "user")
        .order_by("created_at")
        .first()
    )


def submissions_needing_staff(limit: int = 100) -> list[Submission]:
    """Platform errors, and submissions queued or running for longer than STUCK_AFTER_S, oldest first."""
    stuck_before = timezone.now() - timedelta(seconds=STUCK_AFTER_S)
    return list(
        Submission.objects.filter(
            Q(status=Submission.Status.PLATFORM_ERROR)
            | Q(status__in=(Submission.Status.QUEUED, Submission.Status.RUNNING), created_at__lt=stuck_before)
        )
        .select_related("exercise", "user")
        .order_by("created_at")[:limit]
    )


def oldest_queued_age_s() -> float | None:
    first = Submission.objects.filter(status=Submission.Status.QUEUED).aggregate(first=Min("created_at"))["first"]
    return None if first is None else max(0.0, (timezone.now() - first).total_seconds())
