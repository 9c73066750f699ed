from django.contrib import admin

from courses.models import (
    Assignment,
    AssignmentCredit,
    AssignmentItem,
    Course,
    Extension,
    Invitation,
    Membership,
    Regrade,
    RegradeResult,
    VerdictHistory,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "source", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "join_code", "join_open", "join_email_domains", "created_by", "created_at"]
    search_fields = ["title", "slug", "join_code"]
    list_filter = ["join_open"]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "course", "role", "state", "sent_at", "send_count", "accepted_at"]
    list_filter = ["state", "role", "course"]
    search_fields = ["email", "user__username", "course__title"]
    readonly_fields = ["token_digest", "created_at", "sent_at", "send_count", "send_error", "accepted_at"]
    autocomplete_fields = ["user", "course", "invited_by"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "role", "source", "created_at"]
    list_filter = ["role", "source", "course"]
    search_fields = ["user__username", "user__email", "course__title"]
    autocomplete_fields = ["user", "course"]


class AssignmentItemInline(admin.TabularInline):
    model = AssignmentItem
    extra = 0
    fields = ["exercise", "quiz", "points", "order"]


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "due_at", "reason", "granted_by"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "opens_at", "due_at", "late_policy", "score_policy", "max_attempts"]
    list_filter = ["course", "late_policy", "score_policy"]
    search_fields = ["title", "course__title"]
    date_hierarchy = "due_at"
    readonly_fields = ["counts_from", "created_at"]  # the credit rule's start: set once, at creation
    inlines = [AssignmentItemInline, ExtensionInline]


@admin.register(AssignmentCredit)
class AssignmentCreditAdmin(admin.ModelAdmin):
    """Read-only: credit rows are written by the credit rule (courses.services) and nothing else."""

    list_display = ["id", "assignment", "user", "submission", "quiz_attempt", "counted", "is_late", "late_penalty"]
    list_filter = ["counted", "is_late", "assignment__course"]
    search_fields = ["user__username", "assignment__title", "submission__id"]
    list_select_related = ["assignment", "user"]
    readonly_fields = [f.name for f in AssignmentCredit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["user", "assignment", "due_at", "granted_by", "created_at"]
    list_filter = ["assignment__course"]
    search_fields = ["user__username", "assignment__title"]
    autocomplete_fields = ["user"]


class RegradeResultInline(admin.TabularInline):
    model = RegradeResult
    extra = 0
    can_delete = False
    fields = ["submission", "status", "old_status", "old_score", "new_status", "new_score", "attempts", "message"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Regrade)
class RegradeAdmin(admin.ModelAdmin):
    """Read-mostly: regrades are applied and rolled back from the course pages, which keep history."""

    list_display = ["id", "course", "exercise", "status", "total", "created_by", "created_at", "applied_at"]
    list_filter = ["status", "course"]
    readonly_fields = [
        "status",
        "course",
        "exercise",
        "bundle_hash",
        "total",
        "created_by",
        "created_at",
        "computed_at",
        "applied_by",
        "applied_at",
        "rolled_back_at",
        "finished_at",
    ]
    inlines = [RegradeResultInline]


@admin.register(RegradeResult)
class RegradeResultAdmin(admin.ModelAdmin):
    list_display = ["id", "regrade", "submission", "status", "old_score", "new_score", "attempts"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in RegradeResult._meta.fields]


@admin.register(VerdictHistory)
class VerdictHistoryAdmin(admin.ModelAdmin):
    list_display = ["submission", "reason", "regrade", "status", "score", "replaced_at"]
    list_filter = ["reason"]
    search_fields = ["submission__id", "submission__user__username"]
    readonly_fields = [f.name for f in VerdictHistory._meta.fields]
