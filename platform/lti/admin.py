"""The admin pages for what this app adds; registrations, deployments and keys are django-lti's pages."""

from django.contrib import admin

from lti.models import AssignmentLink, CourseLink, ScoreSend


@admin.register(CourseLink)
class CourseLinkAdmin(admin.ModelAdmin):
    list_display = ["context", "course", "created_at", "roster_synced_at"]
    raw_id_fields = ["context", "course"]


@admin.register(AssignmentLink)
class AssignmentLinkAdmin(admin.ModelAdmin):
    list_display = ["assignment", "course_link", "lineitem_url", "created_at"]
    raw_id_fields = ["course_link", "assignment", "resource_link"]


@admin.register(ScoreSend)
class ScoreSendAdmin(admin.ModelAdmin):
    list_display = ["link", "user", "points", "max_points", "sent_points", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    raw_id_fields = ["link", "user", "lti_user"]
    readonly_fields = ["last_error"]
