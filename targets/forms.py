from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, Section, SpecialColumn, Target


class PlanFilterForm(forms.Form):
    section = forms.ModelChoiceField(
        Section.objects.exclude(kind=Section.Kind.BATTLE),
        to_field_name="code",
        required=False,
        label=_("章节"),
        empty_label=_("全部章节"),
    )
    department = forms.ModelChoiceField(
        Department.objects.all(),
        to_field_name="code",
        required=False,
        label=_("责任部门"),
        empty_label=_("全部部门"),
    )
    special_column = forms.ModelChoiceField(
        SpecialColumn.objects.all(),
        to_field_name="number",
        required=False,
        label=_("专栏"),
        empty_label=_("全部"),
    )
    target_year = forms.TypedChoiceField(coerce=int, required=False, label=_("目标年份"), empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Target.objects.order_by("target_year").values_list("target_year", flat=True).distinct()
        self.fields["target_year"].choices = [("", _("全部年份")), *((y, y) for y in years)]
