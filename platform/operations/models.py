from django.db import models


class WorkerHeartbeat(models.Model):
    """A grading worker that is up: its sandbox's layers and when its confinement self-test last passed.

    Written by the worker's main process (operations/worker.py) at start and every few seconds; a
    row not refreshed for a while is a worker gone without saying so.
    """

    hostname = models.CharField(max_length=255, unique=True)
    pid = models.IntegerField()
    concurrency = models.IntegerField(default=1)
    queues = models.JSONField(default=list)
    layers = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    selftest_passed_at = models.DateTimeField(null=True, blank=True)
    selftest_problems = models.JSONField(default=list)  # of the latest self-test; empty when it passed
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["hostname"]

    def __str__(self) -> str:
        return self.hostname


class SandboxCounter(models.Model):
    """A running total over every worker: case outcomes (pass, fail, error, timeout, memory,
    forbidden), platform errors and zygote restarts. Counters, so Prometheus sees rates."""

    name = models.CharField(max_length=40, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
