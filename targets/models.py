"""The plan as data: its outline, paragraphs and who answers for them, its special columns and every commitment."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
        return f"{self.code} {self.title}"

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
        return self.name


class Measure(models.Model):
    """A paragraph of the plan and the responsibility clause in the parenthesis after it."""

    code = models.CharField(_("编号"), max_length=16, unique=True)
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT, related_name="measures")
    title = models.CharField(_("标题"), max_length=120)
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
        return f"{self.code} {self.title}"


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
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["number"]
        verbose_name = _("专栏")
        verbose_name_plural = _("专栏")

    def __str__(self):
        return f"专栏{self.number} {self.title}"


class Project(models.Model):
    code = models.CharField(_("编号"), max_length=16, unique=True)
    special_column = models.ForeignKey(
        SpecialColumn, verbose_name=_("专栏"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("工程名称"), max_length=80)
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
        return f"{self.code} {self.name}"


class Target(models.Model):
    """One quantitative or dated commitment of the plan, traceable to the words it comes from."""

    class Comparator(models.TextChoices):
        LE = "le", _("不高于")
        LT = "lt", _("低于")
        GE = "ge", _("不低于")
        GT = "gt", _("高于")
        REDUCE_PCT = "reduce_pct", _("较基准年降低（%）")
        REDUCE_ABS = "reduce_abs", _("较基准年减少")
        DONE_BY = "done_by", _("期限前完成")

    class Scope(models.TextChoices):
        PROVINCE = "province", _("全省")
        EACH_CITY = "each_city", _("各市")
        AREAS = "areas", _("指定地区")

    COMPARATOR_SYMBOLS = {
        "le": "≤",
        "lt": "<",
        "ge": "≥",
        "gt": ">",
        "reduce_pct": "↓%",
        "reduce_abs": "↓",
        "done_by": "✓",
    }

    code = models.CharField(_("编号"), max_length=20, unique=True)
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT, related_name="targets")
    measure = models.ForeignKey(Measure, verbose_name=_("任务段落"), on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets"
    )
    name = models.CharField(_("目标名称"), max_length=160)
    comparator = models.CharField(_("比较方式"), max_length=12, choices=Comparator.choices)
    value = models.FloatField(_("目标值"), null=True, blank=True)
    value_text = models.CharField(_("原文数值写法"), max_length=20, blank=True)
    value_from_areas = models.BooleanField(
        _("目标值为各地区之和"), default=False, help_text=_("方案只列分地区数值、未写合计时，全省目标值取其合计")
    )
    unit = models.CharField(_("单位"), max_length=30)
    target_year = models.PositiveSmallIntegerField(_("目标年份"))
    deadline = models.DateField(_("完成期限"), null=True, blank=True)
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
                condition=models.Q(comparator="done_by", deadline__isnull=False)
                | (~models.Q(comparator="done_by") & models.Q(value__isnull=False)),
                name="target_has_value_or_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(comparator__in=["reduce_pct", "reduce_abs"])
                | models.Q(baseline_year__isnull=False),
                name="reduction_has_baseline_year",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def comparator_symbol(self) -> str:
        return self.COMPARATOR_SYMBOLS[self.comparator]

    @property
    def value_display(self) -> str:
        """The commitment in a few characters: ≤ 34 微克/立方米, ↓ 15%, ✓ 2022-06-30."""
        if self.comparator == self.Comparator.DONE_BY:
            return f"✓ {self.deadline:%Y-%m-%d}"
        value = f"{self.value:g}"
        if self.comparator == self.Comparator.REDUCE_PCT:
            return f"↓ {value}%"
        return f"{self.comparator_symbol} {value} {self.unit}"


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
