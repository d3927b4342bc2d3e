"""Uploads in the admin site: read only (an upload is a record), filtered by status, so administrators find the ones
the system failed to process and send them again once the cause is dealt with; quarter approvals, read only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import QuarterApproval, Upload
from .services import process_again


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["id", "area", "period_label", "original_name", "uploaded_by", "created_at", "status", "attempts"]
    list_filter = ["status", "kind", "area"]
    search_fields = ["original_name", "sha256", "uploaded_by__username"]
    list_select_related = ["area", "uploaded_by"]
    ordering = ["-created_at", "-id"]
    actions = ["process_failed_again"]
    readonly_fields = [f.name for f in Upload._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重新处理所选的系统处理失败的上传"))
    def process_failed_again(self, request, queryset):
        count = process_again(queryset.values_list("pk", flat=True))
        self.message_user(
            request, ngettext("已重新排队 %d 个上传。", "已重新排队 %d 个上传。", count) % count, messages.SUCCESS
        )


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
