from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Progress, StatusOverride
from .services import check_override


class StatusOverrideForm(forms.ModelForm):
    class Meta:
        model = StatusOverride
        fields = ("target", "area", "year", "quarter", "status", "reason", "document_number")

    def clean(self):
        data = super().clean()
        if not self.errors:
            fields = ("target", "area", "year", "quarter", "status", "reason")
            check_override(**{name: data.get(name) for name in fields})
        return data


@admin.register(StatusOverride)
class StatusOverrideAdmin(SimpleHistoryAdmin):
    form = StatusOverrideForm
    list_display = ("target", "area", "year", "quarter", "status", "created_by", "created_at")
    list_filter = ("status", "year", "quarter", "area")
    search_fields = ("target__code", "target__name", "reason")
    autocomplete_fields = ("target",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    """Read-only: progress is computed, never edited (an override records a judgement instead)."""

    list_display = ("target", "area", "year", "quarter", "actual", "expected", "status", "sdg_status")
    list_filter = ("status", "year", "quarter", "area")
    search_fields = ("target__code", "target__name")
    list_select_related = ("target", "area")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
