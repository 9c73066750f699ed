from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from graders.sandboxed_content import COURSE_FAULT


class Submission(models.Model):
    """The source of truth for one attempt: stored before grading is enqueued, never lost."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        GRADED = "graded", _("Graded")
        NOT_GRADABLE = "not_gradable", _("Could not run")
        PLATFORM_ERROR = "platform_error", _("Platform error")

    FINAL_STATUSES = (Status.GRADED, Status.NOT_GRADABLE, Status.PLATFORM_ERROR)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.PROTECT, related_name="submissions")
    source = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    score = models.FloatField(null=True, blank=True)
    passed = models.IntegerField(null=True, blank=True)
    total = models.IntegerField(null=True, blank=True)
    verdict = models.JSONField(null=True, blank=True)
    # What the dashboards aggregate (failed cases, detected mistakes), kept beside the verdict so a
    # big course's dashboard reads a few bytes per submission instead of every case's previews.
    verdict_summary = models.JSONField(default=dict, blank=True)
    bundle_hash = models.CharField(max_length=64, blank=True)
    platform_attempts = models.IntegerField(default=0)
    platform_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When the grading task was last sent; the sweeper re-sends a task that seems lost.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "exercise", "-created_at"], name="submission_user_exercise"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.exercise_id} by {self.user_id} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def is_course_fault(self) -> bool:
        """A platform error caused by the course's own exercise code (graders/sandboxed_content.py)."""
        return self.status == self.Status.PLATFORM_ERROR and COURSE_FAULT in self.platform_message

    @property
    def queue_wait_s(self) -> float | None:
        """Seconds between submitting and a worker starting on it (load, not the student's code)."""
        if self.started_at is None:
            return None
        return max(0.0, (self.started_at - self.created_at).total_seconds())

    @property
    def grading_s(self) -> float | None:
        """Seconds the grading itself took. Show students ``public_seconds()`` of it, never this."""
        if self.started_at is None or self.graded_at is None:
            return None
        return max(0.0, (self.graded_at - self.started_at).total_seconds())


def public_seconds(seconds: float | None) -> float | None:
    """A duration as students may see it: to 0.1 s, and never below 0.1 s.

    How long grading took depends on the hidden inputs too; finer timings would let a student
    measure them case by case.
    """
    if seconds is None:
        return None
    return max(0.1, round(seconds, 1))


def summarize_verdict(verdict: dict | None) -> dict:
    """The parts of a stored verdict the dashboards count: failed cases and named mistakes."""
    if not verdict:
        return {}
    return {
        "failed": [
            [case.get("name", "?"), bool(case.get("hidden"))]
            for case in verdict.get("cases", ())
            if case.get("status") != "pass"
        ],
        "mistakes": [
            [mistake.get("key", "?"), mistake.get("message", ""), mistake.get("message_zh", "")]
            for mistake in verdict.get("mistakes", ())
        ],
    }


class Trial(models.Model):
    """A Run: code tried on the visible cases and the student's own, never an attempt nor a grade.

    Only a student's latest trial of an exercise is kept (trial_create deletes the earlier ones).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        PLATFORM_ERROR = "platform_error", _("Platform error")

    FINAL_STATUSES = (Status.DONE, Status.PLATFORM_ERROR)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trials")
    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.CASCADE, related_name="trials")
    source = models.TextField()
    own_cases = models.TextField(blank=True)  # the lines the student wrote, read again by the worker
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(null=True, blank=True)  # a Verdict.to_dict() of graders/trial.py
    platform_attempts = models.IntegerField(default=0)
    platform_message = models.TextField(blank=True, default="")  # why we could not run it, for staff
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "exercise"], name="trial_user_exercise")]

    def __str__(self) -> str:
        return f"trial #{self.pk} {self.exercise_id} by {self.user_id} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def is_course_fault(self) -> bool:
        """As Submission.is_course_fault: the course's own exercise code failed, not ours nor the student's."""
        return self.status == self.Status.PLATFORM_ERROR and COURSE_FAULT in self.platform_message
