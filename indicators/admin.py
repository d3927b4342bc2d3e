from django.contrib import admin

from .models import Area, Indicator


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "level", "parent")
    list_filter = ("level", "parent")
    search_fields = ("code", "name", "name_en")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "kind", "direction", "aggregation", "seasonal", "reported_by")
    list_filter = ("kind", "direction", "aggregation", "seasonal", "reported_by")
    search_fields = ("code", "name", "name_en")
