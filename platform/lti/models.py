"""What dlgrade adds to django-lti's records (registrations, deployments, contexts, users, keys):
which course an LMS course is, which assignment an LMS item is, and every score owed to an LMS."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseLink(models.Model):
    """An LMS course (an LTI context of one deployment) and the dlgrade course it opens."""

    context = models.OneToOneField("lti_tool.LtiContext", on_delete=models.CASCADE, related_name="dlgrade_link")
    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="lti_links")
    created_at = models.DateTimeField(auto_now_add=True)
    roster_synced_at = models.DateTimeField(null=True, blank=True)
    roster_message = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.context} -> {self.course_id}"


class AssignmentLink(models.Model):
    """A dlgrade assignment placed in an LMS course, and the LMS line item its scores go to.

    Made when an instructor places the assignment by deep linking; ``lineitem_url`` is learnt from
    the first launch of the placed link (the LMS says which line item it made for it), or looked up
    through the Assignment and Grade Services by ``resource_id``.
    """

    course_link = models.ForeignKey(CourseLink, on_delete=models.CASCADE, related_name="assignment_links")
    assignment = models.ForeignKey("courses.Assignment", on_delete=models.CASCADE, related_name="lti_links")
    resource_link = models.ForeignKey(
        "lti_tool.LtiResourceLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lineitem_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_link", "assignment"], name="lti_assignment_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} in {self.course_link_id}"

    @property
    def resource_id(self) -> str:
        """How dlgrade names the assignment to the LMS (the line item's resourceId)."""
        return f"dlgrade-assignment-{self.assignment_id}"


class ScoreSend(models.Model):
    """The score one student has in one placed assignment, and whether the LMS has it yet.

    ``points`` is what the gradebook says now (late policy applied); ``sent_points`` what the LMS
    acknowledged last. A row whose two differ is owed to the LMS: ``lti.sync_scores`` sends it, and
    after a failure again at ``next_attempt_at``, for as long as it takes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("LMS unreachable, retrying")
        LINE_ITEM_MISSING = "missing", _("The LMS grade column is gone")
        REFUSED = "refused", _("Refused by the LMS")

    link = models.ForeignKey(AssignmentLink, on_delete=models.CASCADE, related_name="scores")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lti_user = models.ForeignKey("lti_tool.LtiUser", on_delete=models.CASCADE, related_name="+")
    points = models.FloatField()
    max_points = models.FloatField()
    changed_at = models.DateTimeField()  # when ``points`` last changed: the score's timestamp for the LMS
    sent_points = models.FloatField(null=True, blank=True)
    sent_max_points = models.FloatField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)  # failed sends since the score last changed
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["link", "user_id"]
        constraints = [models.UniqueConstraint(fields=["link", "user"], name="lti_score_once_per_student")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.link_id}: {self.points}/{self.max_points} ({self.status})"

    @property
    def is_owed(self) -> bool:
        return (self.sent_points, self.sent_max_points) != (self.points, self.max_points)
