"""Batch jobs: many files of one exercise graded by the worker pool, one item per file, in order."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchJob(models.Model):
    """A set of files graded as submissions of one exercise (a zip upload or `manage.py grade --distributed`)."""

    class Origin(models.TextChoices):
        UPLOAD = "upload", _("Web upload")
        API = "api", "API"
        COMMAND = "command", "manage.py grade"

    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.PROTECT, related_name="batch_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="batch_jobs"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    label = models.CharField(max_length=255, blank=True)  # the uploaded file's name, or the command's inputs
    total = models.PositiveIntegerField(default=0)
    # Entries of the upload that were not graded: [{"name": ..., "reason": ...}], in archive order.
    skipped = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"batch #{self.pk} of {self.exercise_id} ({self.total} files)"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class BatchItem(models.Model):
    """One file of a job. Grading it is idempotent: the first recorded result wins."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    job = models.ForeignKey(BatchJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()  # input order, from 0
    name = models.TextField()  # the record's "file": the path as given or the entry's path in the archive
    source = models.TextField(blank=True)  # empty when the bytes could not be a submission (recorded at once)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    record = models.JSONField(null=True, blank=True)  # the catalog's batch record, once done
    score = models.FloatField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)  # deliveries that claimed it
    sends = models.PositiveIntegerField(default=0)  # tasks sent for it (re-sends back off while none arrives)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="batch_item_position_once")]
        indexes = [models.Index(fields=["job", "status"], name="batch_item_job_status")]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.position} {self.name} ({self.status})"
