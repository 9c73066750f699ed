from django.contrib import admin

from submissions.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """For operators: find a submission, read its code and verdict. Grading writes go through services."""

    list_display = ["id", "user", "exercise", "status", "score", "created_at", "graded_at"]
    list_filter = ["status", "exercise"]
    search_fields = ["id", "user__username", "exercise__slug"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "exercise"]
    readonly_fields = [
        "user",
        "exercise",
        "source",
        "status",
        "score",
        "passed",
        "total",
        "verdict",
        "bundle_hash",
        "platform_attempts",
        "platform_message",
        "created_at",
        "enqueued_at",
        "started_at",
        "graded_at",
    ]

    def has_add_permission(self, request):
        return False
