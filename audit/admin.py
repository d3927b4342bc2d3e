from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is appended to by the site's own actions, never edited."""

    list_display = ("at", "actor_name", "actor_role", "kind", "area_name", "year", "quarter", "summary")
    list_filter = ("kind", "actor_role", "year", "quarter")
    search_fields = ("actor_name", "summary", "object_id", "area_name")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
