"""Progress of every target, area and quarter, as the engine (progress/engine.py) computed it from the observations.

Written in bulk by progress.services.recompute_progress; read by dashboards, reports and the API, never per request
recomputed. Each row keeps the inputs its status was computed from. The vocabularies of its status columns live in
progress/choices.py (imported here, so ``progress.models.Status`` still names them).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import BaselineSource, ProjectionStatus, SdgStatus, Status, YearState


class Progress(models.Model):
    # Few indexes on purpose: each one slows the bulk write of a million rows (the unique key serves target lookups).
    target = models.ForeignKey(
        "targets.Target", on_delete=models.CASCADE, related_name="progress", db_index=False, db_constraint=False
    )
    area = models.ForeignKey(
        "indicators.Area", on_delete=models.CASCADE, related_name="progress", db_index=False, db_constraint=False
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    actual = models.FloatField(_("实际值"), null=True)
    actual_year = models.PositiveSmallIntegerField(_("实际值年份"), null=True)
    actual_quarter = models.PositiveSmallIntegerField(_("实际值季度"), null=True)
    # Plain ids rather than constrained foreign keys: observations are never deleted, and the bulk COPY stays simple.
    actual_observation = models.ForeignKey(
        "uploads.Observation",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    actual_derived_from = models.PositiveSmallIntegerField(_("汇总城市数"), null=True)
    ytd_value = models.FloatField(_("年内累计值"), null=True)
    yoy_change = models.FloatField(_("同比变化"), null=True)
    baseline = models.FloatField(_("基准值"), null=True)
    baseline_source = models.CharField(_("基准值来源"), max_length=10, choices=BaselineSource.choices)
    baseline_observation = models.ForeignKey(
        "uploads.Observation",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    target_value = models.FloatField(_("目标值"), null=True)
    time_share = models.FloatField(_("时间进度"), null=True)
    expected = models.FloatField(_("序时进度值"), null=True)
    progress_ratio = models.FloatField(_("完成进度"), null=True)
    gap = models.FloatField(_("距目标差距"), null=True)
    gap_share = models.FloatField(_("差距占比"), null=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    projection = models.FloatField(_("目标年预测值"), null=True)
    # The trend ran past the indicator's valid range and the projection was held at its bound (docs/progress.md §8).
    projection_clipped = models.BooleanField(_("预测值已截至有效范围"), default=False, db_default=False)
    projection_ratio = models.FloatField(_("预测完成比"), null=True)
    projection_status = models.CharField(_("预测"), max_length=20, choices=ProjectionStatus.choices)
    sdg_ratio = models.FloatField(_("增长率比 R"), null=True)
    sdg_status = models.CharField(_("国际评估"), max_length=20, choices=SdgStatus.choices)
    schedule_ratio = models.FloatField(_("序时完成比"), null=True)
    # A yearly duty (每年…) only, docs/progress.md §15: how the row's own year stands, and the record of the years so
    # far ("years_met of years_due met"). Empty for every other target and outside the duty's years.
    year_state = models.CharField(_("本年完成情况"), max_length=8, choices=YearState.choices, null=True, blank=True)
    years_met = models.PositiveSmallIntegerField(_("已完成年数"), null=True)
    years_due = models.PositiveSmallIntegerField(_("已到期年数"), null=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("进度")
        verbose_name_plural = _("进度")
        constraints = [
            models.UniqueConstraint(fields=["target", "area", "year", "quarter"], name="one_progress_per_quarter")
        ]
        indexes = [
            models.Index(fields=["year", "quarter", "status"], name="progress_period_status"),
            models.Index(fields=["area", "year", "quarter"], name="progress_area_period"),
        ]

    def __str__(self):
        return f"{self.target_id} {self.area_id} {self.year}Q{self.quarter} {self.status}"


class StatusOverride(models.Model):
    """A provincial administrator's judgement that replaces a computed status, with the reason; the computed one
    stays beside it and every change is kept in the history."""

    target = models.ForeignKey("targets.Target", verbose_name=_("目标"), on_delete=models.CASCADE)
    area = models.ForeignKey("indicators.Area", verbose_name=_("地区"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    status = models.CharField(_("人工认定状态"), max_length=12, choices=Status.choices)
    reason = models.TextField(_("理由"))
    document_number = models.CharField(_("文号"), max_length=80, blank=True, help_text=_("依据文件的文号（可选）"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认定人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("认定时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("状态人工认定")
        verbose_name_plural = _("状态人工认定")
        constraints = [
            models.UniqueConstraint(fields=["target", "area", "year", "quarter"], name="one_override_per_quarter"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_has_reason"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="override_quarter_1_to_4"),
        ]

    def __str__(self):
        return f"{self.target} {self.area} {self.year}Q{self.quarter}: {self.get_status_display()}"
