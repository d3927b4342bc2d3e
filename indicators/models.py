"""Reference data every app reads: the areas (with their hierarchy) and the indicators they report."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .localized import localized
from .units import counts_whole


class AreaQuerySet(models.QuerySet):
    def province(self) -> "Area":
        return self.get(level=Area.Level.PROVINCE)

    def reporting(self) -> "AreaQuerySet":
        """The 14 cities and 沈抚示范区, which upload their own spreadsheets."""
        return self.filter(level__in=Area.REPORTING_LEVELS)


class Area(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("地级市")
        PILOT_ZONE = "pilot_zone", _("示范区")
        COUNTY = "county", _("县（市、区）")

    REPORTING_LEVELS = (Level.CITY, Level.PILOT_ZONE)

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")

    def __str__(self):
        return localized(self)  # in the page's language: every form's list of areas

    @property
    def is_reporting_unit(self) -> bool:
        """The 14 cities and 沈抚示范区 each upload their own spreadsheets."""
        return self.level in self.REPORTING_LEVELS


class Indicator(models.Model):
    class Kind(models.TextChoices):
        LEVEL = "level", _("水平值")
        SHARE = "share", _("比例")
        COUNT = "count", _("数量")
        CUMULATIVE = "cumulative", _("累计量")
        COMPLETION = "completion", _("完成进度")

    class Direction(models.TextChoices):
        LOWER = "lower", _("越低越好")
        HIGHER = "higher", _("越高越好")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("各市平均")
        SUM = "sum", _("各市合计")
        MIN = "min", _("各市最小值")
        MAX = "max", _("各市最大值")
        REPORTED = "reported", _("省级直接填报")

    class ReportedBy(models.TextChoices):
        CITY = "city", _("各市填报")
        PROVINCE = "province", _("省级填报")
        AREAS = "areas", _("指定地区填报")

    code = models.CharField(_("指标代码"), max_length=60, unique=True)
    name = models.CharField(_("指标名称"), max_length=120)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    unit = models.CharField(_("单位"), max_length=30)
    unit_en = models.CharField(_("英文单位"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    min_value = models.FloatField(_("有效下限"))
    max_value = models.FloatField(_("有效上限"))
    max_change = models.FloatField(_("环比合理变化幅度"), null=True, blank=True)
    aggregation = models.CharField(_("全省汇总方式"), max_length=10, choices=Aggregation.choices)
    seasonal = models.BooleanField(
        _("季节性年均值"), default=False, help_text=_("年内累计值随季节波动，按全年值评估，年内同比比较")
    )
    reported_by = models.CharField(_("填报主体"), max_length=10, choices=ReportedBy.choices)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_value__lte=models.F("max_value")), name="indicator_range_ordered"
            ),
        ]

    def __str__(self):
        return f"{localized(self)}（{localized(self, 'unit')}）"

    @property
    def whole_numbers(self) -> bool:
        """Counts of things take whole numbers only (indicators.units has the rule)."""
        return counts_whole(self.unit)
