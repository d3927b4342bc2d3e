from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind
from .selectors import areas_in_trail


class TrailFilter(forms.Form):
    person = forms.CharField(label=_("操作人"), required=False)
    area = forms.ChoiceField(label=_("地区"), required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *Kind.choices])
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    year = forms.IntegerField(label=_("数据年份"), required=False, min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("数据季度"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), *[(q, q) for q in range(1, 5)]],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [
            ("", _("全部")),
            *((code, f"{name}（{code}）") for code, name in areas_in_trail()),
        ]
