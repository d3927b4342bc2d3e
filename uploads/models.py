"""What cities send in: the spreadsheets (uploads), kept for good, and the values they leave behind (observations).

The tables keep the names they had when these models lived in `indicators` (migration 0001 moved state only)."""

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Area, Indicator


def content_path(sha256: str) -> str:
    """Where the bytes with this SHA-256 live: one file per content, however many uploads point at it. Named by the
    hash alone, so nothing a user names reaches the file system."""
    return f"uploads/sha256/{sha256[:2]}/{sha256}"


def upload_path(upload, filename: str) -> str:
    return content_path(upload.sha256)


class Upload(models.Model):
    """A spreadsheet a person sent in, kept for good whatever became of it."""

    class Kind(models.TextChoices):
        TEMPLATE = "template", _("季度填报模板")
        LONG = "long", _("长表（多地区多季度）")

    class Source(models.TextChoices):
        FILE = "file", _("上传文件")
        WEB = "web", _("网页填报")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已接收，排队中")
        PROCESSING = "processing", _("处理中")
        PREVIEWED = "previewed", _("试导入完成，待确认")
        ACCEPTED = "accepted", _("已接受")
        REJECTED = "rejected", _("已退回")
        DUPLICATE = "duplicate", _("重复文件，未导入")
        SUPERSEDED = "superseded", _("已被后续上传替代")
        FAILED = "failed", _("系统处理失败")

    PENDING = (Status.RECEIVED, Status.PROCESSING)

    area = models.ForeignKey(Area, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)
    kind = models.CharField(_("格式"), max_length=10, choices=Kind.choices, default=Kind.TEMPLATE)
    # How the values came in: a file the person sent, or the web entry form (which sends a generated template).
    source = models.CharField(_("来源"), max_length=4, choices=Source.choices, default=Source.FILE)
    file = models.FileField(_("原始文件"), upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    extension = models.CharField(_("扩展名"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="uploads"
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now, db_index=True)
    # The order of import requests (at receipt, or at confirmation for a dry run): values of one area, indicator and
    # quarter take effect in this order, whatever order the workers finish in.
    sequence = models.BigIntegerField(_("接收序号"), unique=True, editable=False)
    dry_run = models.BooleanField(_("试导入"), default=False, help_text=_("只校验并给出导入摘要，确认后才写入"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    status_note = models.CharField(_("状态说明"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    task_id = models.CharField(_("处理任务"), max_length=64, blank=True, editable=False)
    # Its values became current and progress has not yet been recomputed for them (see progress.pending).
    recompute_pending = models.BooleanField(_("待重算进度"), default=False, editable=False)
    failure = models.TextField(_("系统错误（供管理员）"), blank=True, editable=False)
    started_at = models.DateTimeField(_("开始处理"), null=True, blank=True)
    finished_at = models.DateTimeField(_("处理完成"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认导入时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("与之相同的上传"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows_total = models.PositiveIntegerField(_("数据行"), default=0)
    rows_new = models.PositiveIntegerField(_("新增"), default=0)
    rows_changed = models.PositiveIntegerField(_("修改"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("未变"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    warnings = models.JSONField(_("警告"), default=list, blank=True)
    # Every value the upload changes (or, as a dry run, would change): old → new and the upload it replaces.
    changes = models.JSONField(_("修改的数值"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        db_table = "indicators_upload"
        verbose_name = _("上传")
        verbose_name_plural = _("上传")
        indexes = [
            models.Index(fields=["area", "year", "quarter", "status"]),
            models.Index(
                fields=["recompute_pending"],
                condition=models.Q(recompute_pending=True),
                name="upload_recompute_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="upload_quarter_1_to_4",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.original_name}"

    def save(self, *args, **kwargs):
        if self.sequence is not None:
            return super().save(*args, **kwargs)
        with transaction.atomic():  # SQLite: the number and the row in one write transaction
            self.sequence = next_sequence()
            return super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度" if self.year and self.quarter else _("多个季度")

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


SEQUENCE_NAME = "upload_sequence"


def next_sequence() -> int:
    """The next import request's place in line. PostgreSQL: a database sequence (no lock, never handed out twice);
    SQLite: the largest so far plus one; call it inside the transaction that writes it (SQLite's IMMEDIATE transactions
    run one at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [SEQUENCE_NAME])
            return cursor.fetchone()[0]
    return (Upload.objects.aggregate(last=models.Max("sequence"))["last"] or 0) + 1


class Observation(models.Model):
    """One value for one area, indicator and quarter (year-to-date), from one upload. Never edited in place: a later
    upload marks it superseded and adds its own."""

    area = models.ForeignKey(Area, verbose_name=_("地区"), on_delete=models.PROTECT, db_index=False)
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, db_index=False)
    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    value = models.FloatField(_("数值"))
    note = models.CharField(_("备注"), max_length=500, blank=True)
    upload = models.ForeignKey(
        Upload, verbose_name=_("来源上传"), on_delete=models.PROTECT, related_name="observations", db_constraint=False
    )
    source_row = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)
    is_current = models.BooleanField(_("现行值"), default=True)
    superseded_by = models.ForeignKey(
        Upload,
        verbose_name=_("被替代于"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded",
        db_index=False,
    )
    superseded_at = models.DateTimeField(_("替代时间"), null=True, blank=True)

    class Meta:
        db_table = "indicators_observation"
        verbose_name = _("观测值")
        verbose_name_plural = _("观测值")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "indicator", "year", "quarter"],
                condition=models.Q(is_current=True),
                name="one_current_observation",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="observation_quarter_1_to_4"
            ),
        ]
        indexes = [
            models.Index(fields=["area", "year", "quarter"], name="obs_area_period"),
            models.Index(fields=["indicator", "year", "quarter"], name="obs_indicator_period"),
            models.Index(
                fields=["superseded_by"], condition=models.Q(superseded_by__isnull=False), name="obs_superseded_by"
            ),
        ]

    def __str__(self):
        return f"{self.area} {self.indicator.code} {self.year}Q{self.quarter} = {self.value:g}"


class QuarterApproval(models.Model):
    """A reporting unit's quarter on its way to the province's approval (as DHIS2's data approval): the city
    submits an accepted quarter (提交审核), provincial staff approve it (审核通过) or return it with a reason (退回).
    An approved quarter is locked: no upload for it is taken until an administrator unlocks it with a reason. Every
    step is kept in the history and in the audit trail (uploads.approval)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交审核")
        APPROVED = "approved", _("审核通过（已锁定）")
        RETURNED = "returned", _("已退回")
        UNLOCKED = "unlocked", _("已解锁")

    area = models.ForeignKey(Area, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    status = models.CharField(_("审核状态"), max_length=10, choices=Status.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("退回或解锁理由"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "quarter", "area__order"]
        verbose_name = _("季度数据审核")
        verbose_name_plural = _("季度数据审核")
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "quarter"], name="one_approval_per_area_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="approval_quarter_1_to_4"),
            models.CheckConstraint(
                condition=~models.Q(status__in=["returned", "unlocked"]) | ~models.Q(reason=""),
                name="return_or_unlock_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.area} {self.year}Q{self.quarter}: {self.get_status_display()}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED
