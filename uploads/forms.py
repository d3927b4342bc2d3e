from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Area
from indicators.periods import latest_closed_quarter


def _year_choices():
    latest_year, _quarter = latest_closed_quarter()
    return [(y, y) for y in range(latest_year, 2019, -1)]


QUARTER_CHOICES = [
    (1, _("第1季度（1—3月）")),
    (2, _("第2季度（1—6月）")),
    (3, _("第3季度（1—9月）")),
    (4, _("第4季度（全年）")),
]


class PeriodForm(forms.Form):
    area = forms.ModelChoiceField(Area.objects.none(), to_field_name="code", label=_("地区"), empty_label=None)
    year = forms.TypedChoiceField(coerce=int, label=_("年份"), choices=())
    quarter = forms.TypedChoiceField(coerce=int, label=_("季度"), choices=QUARTER_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.role == user.Role.CITY and not user.is_superuser:
            areas = Area.objects.filter(pk=user.area_id)
        else:
            areas = Area.objects.reporting() | Area.objects.filter(level=Area.Level.PROVINCE)
        self.fields["area"].queryset = areas.order_by("order")
        self.fields["year"].choices = _year_choices()
        if not self.is_bound:
            year, quarter = latest_closed_quarter()
            self.initial.setdefault("year", year)
            self.initial.setdefault("quarter", quarter)
            if user.area_id:
                self.initial.setdefault("area", user.area.code)


class UploadForm(PeriodForm):
    file = forms.FileField(label=_("填报文件"), help_text=_("xlsx、xls 或 csv，不超过 10 MB"))
    dry_run = forms.BooleanField(
        label=_("先试导入"),
        required=False,
        initial=True,
        help_text=_("只校验并给出导入摘要（新增、修改、未变），确认后才写入"),
    )
