"""The query parameters each list accepts, checked before a selector sees them: a bad value is a 400 with the field's
error (year=0, quarter=5, a quarter without its year, an unknown code), never an empty list or a 500."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indicators.models import Area, Indicator
from indicators.periods import BASELINE_YEAR, latest_closed_quarter, today
from progress.models import Status
from targets.models import Department, Section, Target

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the range the upload API accepts


def _code(model, help_text):
    return serializers.SlugRelatedField(
        slug_field="code", queryset=model.objects.all(), required=False, help_text=help_text
    )


class PeriodParams(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text=_("年份"))
    quarter = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text=_("季度（1—4），须同时给出年份")
    )

    def validate(self, data):
        if "quarter" in data and "year" not in data:
            raise serializers.ValidationError({"year": [_("按季度筛选时须同时给出年份。")]})
        return data


class ProgressParams(PeriodParams):
    area = _code(Area, _("地区的区划代码，如 210100"))
    target = _code(Target, _("目标编号，如 1-02"))
    department = _code(Department, _("责任部门代码：其牵头或配合的目标"))
    status = serializers.ChoiceField(choices=Status.choices, required=False, help_text=_("进度状态"))


class ObservationParams(PeriodParams):
    area = _code(Area, _("地区的区划代码"))
    indicator = _code(Indicator, _("指标代码"))
    upload = serializers.IntegerField(required=False, min_value=1, help_text=_("来源上传的编号"))
    current = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("true：只要现行值；false：只要已被替代的值")
    )


class TargetParams(serializers.Serializer):
    section = _code(Section, _("章节编号，含其下各节，如 2.2"))
    department = _code(Department, _("责任部门代码"))
    special_column = serializers.IntegerField(required=False, min_value=1, help_text=_("专栏号"))
    target_year = serializers.IntegerField(
        required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text=_("目标年份")
    )


class CompletenessParams(serializers.Serializer):
    year = serializers.IntegerField(help_text=_("年份，从基准年到最近一个已结束季度所在年份"))

    def validate_year(self, year):
        latest = latest_closed_quarter(today())[0]
        if not BASELINE_YEAR <= year <= latest:
            raise serializers.ValidationError(
                _("年份应在 %(first)d 至 %(last)d 之间。") % {"first": BASELINE_YEAR, "last": latest}
            )
        return year
