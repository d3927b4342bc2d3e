"""The plan as data: its outline, paragraphs and who answers for them, its special columns and every commitment."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.localized import localized

from .choices import YEARLY_COMPARATORS, Comparator, Recurrence, Scope

# A day of the year as the plan dates a yearly duty (每年9月底前 → 09-30).
MONTH_DAY = RegexValidator(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", _("请按“月-日”填写，如 09-30"))


class Section(models.Model):
    """A node of the plan's outline: 一、总体目标; 二(一)…(六) and their numbered battles; 三、保障措施."""

    class Kind(models.TextChoices):
        PART = "part", _("部分")
        CHAPTER = "chapter", _("章")
        BATTLE = "battle", _("攻坚战/任务")

    class Theme(models.TextChoices):
        LOW_CARBON = "low_carbon", _("绿色低碳")
        BLUE_SKY = "blue_sky", _("蓝天")
        CLEAR_WATER = "clear_water", _("碧水")
        CLEAN_SOIL = "clean_soil", _("净土")
        ECO_SECURITY = "eco_security", _("生态安全")
        GOVERNANCE = "governance", _("治理能力")

    code = models.CharField(_("编号"), max_length=12, unique=True)
    title = models.CharField(_("标题"), max_length=120)
    title_en = models.CharField(_("英文标题"), max_length=200, blank=True)
    kind = models.CharField(_("层级"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    theme = models.CharField(_("领域"), max_length=14, choices=Theme.choices, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("章节")
        verbose_name_plural = _("章节")

    def __str__(self):
        return f"{self.code} {localized(self, 'title')}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class Department(models.Model):
    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("省直部门")
        PARTY = "party", _("省委工作机关")
        LEGISLATURE = "legislature", _("人大政协")
        JUDICIAL = "judicial", _("司法机关")
        CENTRAL = "central", _("中直驻辽单位")
        ENTERPRISE = "enterprise", _("企业")

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    aliases = models.JSONField(_("方案中的其他写法"), default=list, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("责任部门")
        verbose_name_plural = _("责任部门")

    def __str__(self):
        return localized(self)


class Measure(models.Model):
    """A paragraph of the plan and the responsibility clause in the parenthesis after it."""

    code = models.CharField(_("编号"), max_length=16, unique=True)
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT, related_name="measures")
    title = models.CharField(_("标题"), max_length=120)
    title_en = models.CharField(_("英文标题"), max_length=200, blank=True)
    responsibility_text = models.TextField(_("责任分工原文"), blank=True)
    inherits_section = models.BooleanField(
        _("沿用本节分工"), default=False, help_text=_("该段无分工括号，责任部门取本节各段之并集")
    )
    explicit_lead = models.BooleanField(_("写明牵头部门"), default=False)
    departments = models.ManyToManyField(Department, through="Responsibility", related_name="measures")
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("任务段落")
        verbose_name_plural = _("任务段落")

    def __str__(self):
        return f"{self.code} {localized(self, 'title')}"


class Responsibility(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("牵头")
        COOPERATING = "cooperating", _("配合")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="responsibilities")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        constraints = [models.UniqueConstraint(fields=["measure", "department"], name="one_role_per_department")]

    def __str__(self):
        return f"{self.department}（{self.get_role_display()}）"


class SpecialColumn(models.Model):
    number = models.PositiveSmallIntegerField(_("专栏号"), unique=True)
    title = models.CharField(_("标题"), max_length=120)
    title_en = models.CharField(_("英文标题"), max_length=200, blank=True)
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["number"]
        verbose_name = _("专栏")
        verbose_name_plural = _("专栏")

    def __str__(self):
        return _("专栏%(number)s %(title)s") % {"number": self.number, "title": localized(self, "title")}


class Project(models.Model):
    code = models.CharField(_("编号"), max_length=16, unique=True)
    special_column = models.ForeignKey(
        SpecialColumn, verbose_name=_("专栏"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("工程名称"), max_length=80)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    measure = models.ForeignKey(
        Measure, verbose_name=_("对应任务段落"), on_delete=models.PROTECT, related_name="projects"
    )
    source_text = models.TextField(_("方案原文"))
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("重点工程")
        verbose_name_plural = _("重点工程")

    def __str__(self):
        return f"{self.code} {localized(self)}"


class Target(models.Model):
    """One quantitative or dated commitment of the plan, traceable to the words it comes from."""

    Comparator = Comparator
    Recurrence = Recurrence
    Scope = Scope

    code = models.CharField(_("编号"), max_length=20, unique=True)
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT, related_name="targets")
    measure = models.ForeignKey(Measure, verbose_name=_("任务段落"), on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets"
    )
    name = models.CharField(_("目标名称"), max_length=160)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    comparator = models.CharField(_("比较方式"), max_length=12, choices=Comparator.choices)
    value = models.FloatField(_("目标值"), null=True, blank=True)
    value_text = models.CharField(_("原文数值写法"), max_length=20, blank=True)
    value_from_areas = models.BooleanField(
        _("目标值为各地区之和"), default=False, help_text=_("方案只列分地区数值、未写合计时，全省目标值取其合计")
    )
    unit = models.CharField(_("单位"), max_length=30)
    unit_en = models.CharField(_("英文单位"), max_length=40, blank=True)
    target_year = models.PositiveSmallIntegerField(_("目标年份"))
    deadline = models.DateField(_("完成期限"), null=True, blank=True)
    recurrence = models.CharField(
        _("评估周期"),
        max_length=8,
        choices=Recurrence.choices,
        default=Recurrence.ONCE,
        help_text=_("方案写“每年”的任务逐年评估：每一年单独判断是否完成，目标年份为最后评估年份"),
    )
    first_year = models.PositiveSmallIntegerField(_("首个评估年份"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("最后评估年份"), null=True, blank=True)
    deadline_in_year = models.CharField(
        _("年内完成期限"),
        max_length=5,
        blank=True,
        validators=[MONTH_DAY],
        help_text=_("每年的任务须在当年此日前完成，按“月-日”填写（每年9月底前 → 09-30）；空为当年年底"),
    )
    baseline_year = models.PositiveSmallIntegerField(_("基准年"), null=True, blank=True)
    baseline_value = models.FloatField(_("基准值"), null=True, blank=True)
    scope = models.CharField(_("适用范围"), max_length=10, choices=Scope.choices)
    binding = models.BooleanField(_("约束性"), default=True, help_text=_("方案写“力争”的为预期性目标"))
    source_text = models.TextField(_("方案原文"))
    source_offset = models.PositiveIntegerField(_("原文位置"), help_text=_("原文在方案全文中的字符位置"))
    special_column = models.ForeignKey(
        SpecialColumn, verbose_name=_("专栏"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("重点工程"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    note = models.TextField(_("整理说明"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    areas = models.ManyToManyField("indicators.Area", through="TargetAreaValue", related_name="targets", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(comparator=Comparator.DONE_BY, deadline__isnull=False)
                | (~models.Q(comparator=Comparator.DONE_BY) & models.Q(value__isnull=False)),
                name="target_has_value_or_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(comparator__in=[Comparator.REDUCE_PCT, Comparator.REDUCE_ABS])
                | models.Q(baseline_year__isnull=False),
                name="reduction_has_baseline_year",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    recurrence=Recurrence.ONCE, first_year__isnull=True, last_year__isnull=True, deadline_in_year=""
                )
                | models.Q(
                    recurrence=Recurrence.YEARLY,
                    first_year__isnull=False,
                    last_year__isnull=False,
                    first_year__lte=models.F("last_year"),
                    target_year=models.F("last_year"),
                ),
                name="yearly_target_has_its_years",
            ),
        ]

    def __str__(self):
        return f"{self.code} {localized(self)}"

    @property
    def comparator_symbol(self) -> str:
        return Comparator(self.comparator).symbol

    @property
    def is_yearly(self) -> bool:
        return self.recurrence == Recurrence.YEARLY

    @property
    def value_display(self) -> str:
        """The commitment in a few characters: ≤ 34 微克/立方米, ↓ 15%, ✓ 2022-06-30; a yearly duty ≥ 2 次（每年）,
        ✓ 09-30（每年）."""
        return self._goal(self.unit)

    @property
    def value_display_local(self) -> str:
        """value_display with the unit in the page's language (≤ 34 µg/m³ in English)."""
        return self._goal(localized(self, "unit"))

    def _goal(self, unit: str) -> str:
        if self.is_yearly:
            goal = f"✓ {self.deadline_in_year or '12-31'}" if self.comparator == self.Comparator.DONE_BY else None
            return _("%(goal)s（每年）") % {"goal": goal or f"{self.comparator_symbol} {self.value:g} {unit}"}
        if self.comparator == self.Comparator.DONE_BY:
            return f"✓ {self.deadline:%Y-%m-%d}"
        value = f"{self.value:g}"
        if self.comparator == self.Comparator.REDUCE_PCT:
            return f"↓ {value}%"
        return f"{self.comparator_symbol} {value} {unit}"

    def clean(self):
        """A yearly duty's rules that the database constraints cannot state (load_plan's checker states them too)."""
        super().clean()
        if not self.is_yearly:
            return
        if self.comparator not in YEARLY_COMPARATORS:
            raise ValidationError({"comparator": _("每年的任务只能是“不低于”或“期限前完成”：每年从零算起。")})
        try:
            self.year_deadline(2001)  # a day every year has: not 02-29
        except ValueError:
            message = _("“%(day)s”不是每年都有的日期。") % {"day": self.deadline_in_year}
            raise ValidationError({"deadline_in_year": message}) from None
        last = self.year_deadline(self.last_year) if self.last_year else None
        if self.comparator == self.Comparator.DONE_BY and last and self.deadline != last:
            raise ValidationError({"deadline": _("完成期限应为最后评估年份的年内期限：%(day)s。") % {"day": last}})

    def year_deadline(self, year: int) -> datetime.date:
        """The last day a yearly duty allows in `year` (the year's end unless the plan dates it within the year)."""
        month, day = (int(part) for part in (self.deadline_in_year or "12-31").split("-"))
        return datetime.date(year, month, day)


class TargetAreaValue(models.Model):
    """A target's value for one named area where the plan sets one (pipe kilometres per city, 沈阳 30% …)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="area_values")
    area = models.ForeignKey("indicators.Area", verbose_name=_("地区"), on_delete=models.PROTECT)
    value = models.FloatField(_("目标值"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__order", "area__code"]
        verbose_name = _("分地区目标值")
        verbose_name_plural = _("分地区目标值")
        constraints = [models.UniqueConstraint(fields=["target", "area"], name="one_value_per_target_area")]

    def __str__(self):
        return f"{self.area}: {self.value:g}"


class PlanRevision(models.Model):
    """A change to one field of the plan made by a person (the admin site), with its reason and document number
    (文号). load_plan never silently overwrites a field whose latest revision still stands (targets.revisions)."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("管理后台修订")
        FIXTURE_OVERWRITE = "fixture", _("以方案数据覆盖修订")

    model = models.CharField(_("对象类型"), max_length=40)
    object_key = models.CharField(_("对象"), max_length=80, help_text=_("编号；分地区数值为“目标编号@地区代码”"))
    field = models.CharField(_("字段"), max_length=40)
    old_value = models.JSONField(_("原值"), null=True, blank=True)
    new_value = models.JSONField(_("新值"), null=True, blank=True)
    reason = models.TextField(_("修订理由"))
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.ADMIN)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revised_at = models.DateTimeField(_("修订时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-revised_at", "-id"]
        verbose_name = _("方案修订")
        verbose_name_plural = _("方案修订")
        indexes = [models.Index(fields=["model", "object_key", "field"], name="revision_lookup")]

    def __str__(self):
        return f"{self.object_key}.{self.field}: {self.old_value} → {self.new_value}"
