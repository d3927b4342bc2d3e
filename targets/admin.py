"""The plan in the admin site. Every edit is a plan revision: it needs a reason and a document number (文号), each
changed field is recorded (PlanRevision) and load_plan will not silently undo it. Plan rows are never deleted here:
a commitment leaves the plan through the fixture, where its history stays readable."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Department,
    Measure,
    PlanRevision,
    Project,
    Responsibility,
    Section,
    SpecialColumn,
    Target,
    TargetAreaValue,
)
from .revisions import field_values, record_revisions

REVISION_FIELDS = ("revision_reason", "revision_document")


class RevisionForm(forms.ModelForm):
    revision_reason = forms.CharField(
        label=_("修订理由"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("为什么修改方案数据（至少 10 个字），将记入修订记录并在报告中列出"),
    )
    revision_document = forms.CharField(
        label=_("文号"), max_length=80, help_text=_("依据文件的文号，如：辽政办发〔2024〕12号")
    )


class PlanRevisionAdmin(admin.ModelAdmin):
    """Edits become PlanRevision rows (one per changed field, inline rows included) with the form's reason."""

    form = RevisionForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, {**opts, "fields": [f for f in opts["fields"] if f not in REVISION_FIELDS]})
                     for name, opts in super().get_fieldsets(request, obj)]  # fmt: skip
        return [*fieldsets, (_("修订依据"), {"fields": REVISION_FIELDS})]

    def has_delete_permission(self, request, obj=None):
        return False

    def _why(self, form) -> dict:
        return {
            "reason": form.cleaned_data["revision_reason"],
            "document_number": form.cleaned_data["revision_document"],
        }

    def save_model(self, request, obj, form, change):
        before = field_values(type(obj).objects.get(pk=obj.pk)) if change else {}
        why = self._why(form)
        obj._change_reason = f"{why['reason']}（{why['document_number']}）"  # simple-history keeps it too
        super().save_model(request, obj, form, change)
        record_revisions(obj, before, user=request.user, **why)

    def save_formset(self, request, form, formset, change):
        stored = formset.model._default_manager.filter(pk__in=[f.instance.pk for f in formset.forms if f.instance.pk])
        values = {o.pk: field_values(o) for o in stored}
        before = {id(f.instance): values.get(f.instance.pk, {}) for f in formset.forms}  # deleting clears the pk
        super().save_formset(request, form, formset, change)
        why = self._why(form)
        changed = [obj for obj, _fields in formset.changed_objects]
        for obj in [*formset.new_objects, *changed, *formset.deleted_objects]:
            record_revisions(obj, before.get(id(obj), {}), user=request.user, **why)


@admin.register(Section)
class SectionAdmin(PlanRevisionAdmin):
    list_display = ("code", "title", "kind", "theme", "parent")
    list_filter = ("kind", "theme")
    search_fields = ("code", "title")


@admin.register(Department)
class DepartmentAdmin(PlanRevisionAdmin):
    list_display = ("code", "name", "name_en", "kind", "aliases")
    list_filter = ("kind",)
    search_fields = ("code", "name", "name_en")


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ("department",)


@admin.register(Measure)
class MeasureAdmin(PlanRevisionAdmin):
    list_display = ("code", "title", "section", "explicit_lead", "inherits_section")
    list_filter = ("section__parent", "explicit_lead", "inherits_section", "responsibilities__department")
    search_fields = ("code", "title", "responsibility_text")
    inlines = [ResponsibilityInline]


@admin.register(SpecialColumn)
class SpecialColumnAdmin(PlanRevisionAdmin):
    list_display = ("number", "title", "section")


@admin.register(Project)
class ProjectAdmin(PlanRevisionAdmin):
    list_display = ("code", "name", "special_column", "measure")
    list_filter = ("special_column",)
    search_fields = ("code", "name", "source_text")


class TargetAreaValueInline(admin.TabularInline):
    model = TargetAreaValue
    extra = 0
    autocomplete_fields = ("area",)


@admin.register(Target)
class TargetAdmin(PlanRevisionAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "value_display", "target_year", "scope", "binding", "section", "special_column")
    list_filter = (
        "section__parent",
        "section",
        "measure__responsibilities__department",
        "special_column",
        "target_year",
        "recurrence",
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
        (None, {"fields": ("code", "name", "name_en", "section", "measure", "indicator")}),
        (
            _("目标"),
            {
                "fields": (
                    "comparator",
                    "value",
                    "value_text",
                    "unit",
                    "unit_en",
                    "target_year",
                    "deadline",
                    "recurrence",
                    "first_year",
                    "last_year",
                    "deadline_in_year",
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


@admin.register(PlanRevision)
class PlanRevisionRecordAdmin(admin.ModelAdmin):
    """The revisions themselves: read only, for the record."""

    list_display = ("revised_at", "model", "object_key", "field", "old_value", "new_value", "document_number",
                    "revised_by", "source")  # fmt: skip
    list_filter = ("model", "source", "field")
    search_fields = ("object_key", "reason", "document_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
