from django.contrib import admin

from .models import GeneratedReport


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    """Read-only: a kept report is evidence of what was handed out."""

    list_display = ("pk", "requested_at", "requested_by", "format", "scope_label", "status", "snapshot_id")
    list_filter = ("format", "status", "door")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
