from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import QuarterApproval


@admin.register(QuarterApproval)
class QuarterApprovalAdmin(SimpleHistoryAdmin):
    """Read-only, with each step's history: approvals are taken on the upload pages, the API or approve_quarter,
    which check who may take which step and record it in the audit trail."""

    list_display = ("area", "year", "quarter", "status", "submitted_by", "decided_by", "decided_at")
    list_filter = ("status", "year", "quarter", "area")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
