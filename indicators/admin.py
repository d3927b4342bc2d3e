"""Areas and indicators are shown, not edited, here: fixtures/plan is their one writer (load_plan), so a change made
here would be undone by the next load. Change the fixture, or revise a target in the plan's admin."""

from django.contrib import admin

from .models import Area, Indicator


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "name_en", "level", "parent")
    list_filter = ("level", "parent")
    search_fields = ("code", "name", "name_en")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit", "kind", "direction", "aggregation", "seasonal", "reported_by")
    list_filter = ("kind", "direction", "aggregation", "seasonal", "reported_by")
    search_fields = ("code", "name", "name_en")
