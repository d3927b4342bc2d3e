"""Generated reports are kept: who asked for which report when, with what parameters, the snapshot id of its tables,
and the file itself with its SHA-256, so it can be downloaded again byte for byte."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "pdf": "application/pdf",
}
EXTENSIONS = {"xlsx": "xlsx", "csv": "zip", "pdf": "pdf"}


def report_path(report, filename: str) -> str:
    return f"reports/{report.requested_at:%Y/%m}/{filename}"


class GeneratedReport(models.Model):
    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", _("CSV（zip）")
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    class Door(models.TextChoices):
        WEB = "web", _("网页")
        API = "api", _("接口")
        COMMAND = "command", _("命令行")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.PROTECT
    )
    requested_at = models.DateTimeField(_("请求时间"), auto_now_add=True, db_index=True)
    door = models.CharField(_("途径"), max_length=8, choices=Door.choices, default=Door.WEB)
    parameters = models.JSONField(_("参数"))
    scope_label = models.CharField(_("范围"), max_length=300)
    format = models.CharField(_("格式"), max_length=4, choices=Format.choices)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(_("进度"), default=0.0)
    progress_note = models.CharField(_("进度说明"), max_length=100, blank=True)
    snapshot_id = models.CharField(_("快照编号"), max_length=16, blank=True, db_index=True)
    file = models.FileField(_("文件"), upload_to=report_path, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    rows = models.PositiveIntegerField(_("目标×地区行数"), default=0)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("生成的报告")
        verbose_name_plural = _("生成的报告")

    def __str__(self):
        return f"#{self.pk} {self.scope_label} {self.format}"

    @property
    def period_label(self) -> str:
        return f"{self.parameters['year']}年第{self.parameters['quarter']}季度"

    @property
    def scope_name(self) -> str:
        """The scope as a page shows it (scope_label keeps it as the report's cover wrote it, in Chinese)."""
        from .scope import ReportScope

        return ReportScope.from_dict(self.parameters).describe_in_page_language()

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def download_name(self) -> str:
        return f"进度报告-{self.period_label}-{self.scope_label}-{self.snapshot_id}.{EXTENSIONS[self.format]}"
