from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, Measure, Project, Responsibility, Section, SpecialColumn, Target, TargetAreaValue


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "theme", "parent")
    list_filter = ("kind", "theme")
    search_fields = ("code", "title")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "aliases")
    list_filter = ("kind",)
    search_fields = ("code", "name", "name_en")


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ("department",)


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "section", "explicit_lead", "inherits_section")
    list_filter = ("section__parent", "explicit_lead", "inherits_section", "responsibilities__department")
    search_fields = ("code", "title", "responsibility_text")
    inlines = [ResponsibilityInline]


@admin.register(SpecialColumn)
class SpecialColumnAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "section")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "special_column", "measure")
    list_filter = ("special_column",)
    search_fields = ("code", "name", "source_text")


class TargetAreaValueInline(admin.TabularInline):
    model = TargetAreaValue
    extra = 0
    autocomplete_fields = ("area",)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "value_display", "target_year", "scope", "binding", "section", "special_column")
    list_filter = (
        "section__parent",
        "section",
        "measure__responsibilities__department",
        "special_column",
        "target_year",
        "comparator",
        "scope",
        "binding",
        "indicator",
    )
    search_fields = ("code", "name", "source_text", "note", "indicator__name")
    list_select_related = ("section", "special_column")
    autocomplete_fields = ("indicator", "measure", "project")
    inlines = [TargetAreaValueInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "section", "measure", "indicator")}),
        (
            _("目标"),
            {
                "fields": (
                    "comparator",
                    "value",
                    "value_text",
                    "unit",
                    "target_year",
                    "deadline",
                    "baseline_year",
                    "baseline_value",
                    "scope",
                    "binding",
                )
            },
        ),
        (_("出处"), {"fields": ("source_text", "source_offset", "special_column", "project", "note")}),
    )

    @admin.display(description=_("目标值"))
    def value_display(self, target):
        return target.value_display
