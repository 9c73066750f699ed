from django.contrib import admin

from batches.models import BatchJob


@admin.register(BatchJob)
class BatchJobAdmin(admin.ModelAdmin):
    list_display = ("id", "exercise", "origin", "label", "total", "created_by", "created_at", "finished_at")
    list_filter = ("origin", "exercise")
    readonly_fields = ("skipped",)
