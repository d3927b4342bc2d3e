from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.localized import localized
from indicators.models import Area
from indicators.periods import latest_closed_quarter
from progress.selectors import default_quarter
from targets.models import Department, Section, SpecialColumn

from .models import GeneratedReport


def _years():
    latest, _quarter = latest_closed_quarter()
    return [(y, y) for y in range(latest, 2020, -1)]


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年份"), coerce=int, choices=())
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        choices=[(1, _("第1季度")), (2, _("第2季度")), (3, _("第3季度")), (4, _("第4季度"))],
    )
    area = forms.ChoiceField(label=_("地区"), required=False)
    department = forms.ChoiceField(label=_("责任部门"), required=False)
    lead_only = forms.BooleanField(label=_("只含该部门牵头的目标"), required=False)
    section = forms.ChoiceField(label=_("章节"), required=False)
    special_column = forms.ChoiceField(label=_("专栏"), required=False)
    format = forms.ChoiceField(label=_("格式"), choices=GeneratedReport.Format.choices, initial="xlsx")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        if not self.is_bound:  # the quarter the dashboards open on: the latest with data within the plan period
            self.initial["year"], self.initial["quarter"] = default_quarter() or latest_closed_quarter()
        if user.sees_everything:
            areas = [("", _("全省"))] + [(a.code, localized(a)) for a in Area.objects.reporting()]
        else:
            areas = [(user.area.code, localized(user.area))]
        self.fields["area"].choices = areas
        departments = [(d.code, localized(d)) for d in Department.objects.all()]
        self.fields["department"].choices = [("", _("全部")), *departments]
        self.fields["section"].choices = [("", _("全部"))] + [
            (s.code, str(s)) for s in Section.objects.exclude(kind=Section.Kind.PART)
        ]
        self.fields["special_column"].choices = [("", _("全部"))] + [
            (str(c.number), str(c)) for c in SpecialColumn.objects.all()
        ]
