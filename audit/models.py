"""The audit trail: who did what and when, with the state before and after. Append-only.

This app sits at the bottom of the layers (above `common` only), so that every app can record into it: it refers to
people by a string foreign key (settings.AUTH_USER_MODEL) and to areas and objects by their codes and ids, never by
importing the apps above. Entries cannot be changed or deleted through the site: the model refuses `save()` of an
existing row and `delete()`, its queryset refuses `update()` and `delete()`, the admin is read-only, and on PostgreSQL a
trigger refuses UPDATE and DELETE (migration 0002)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutable(Exception):
    """An attempt to change or delete an audit entry."""


class Kind(models.TextChoices):
    SIGN_IN = "sign_in", _("登录")
    SIGN_IN_FAILED = "sign_in_failed", _("登录失败")
    SIGN_OUT = "sign_out", _("退出登录")
    UPLOAD_RECEIVED = "upload_received", _("上传文件")
    UPLOAD_ACCEPTED = "upload_accepted", _("上传被接受")
    UPLOAD_REJECTED = "upload_rejected", _("上传被退回")
    UPLOAD_PREVIEWED = "upload_previewed", _("试导入完成")
    UPLOAD_DUPLICATE = "upload_duplicate", _("重复文件")
    UPLOAD_REFUSED = "upload_refused", _("上传被拒绝（季度已锁定）")
    SUPERSESSION = "supersession", _("数值被替代")
    QUARTER_SUBMITTED = "quarter_submitted", _("提交审核")
    QUARTER_APPROVED = "quarter_approved", _("审核通过")
    QUARTER_RETURNED = "quarter_returned", _("退回")
    QUARTER_UNLOCKED = "quarter_unlocked", _("解锁")
    OVERRIDE = "override", _("状态人工认定")
    PLAN_REVISION = "plan_revision", _("方案修订")
    REPORT_GENERATED = "report_generated", _("生成报告")
    REPORT_DOWNLOADED = "report_downloaded", _("下载报告")
    FILE_DOWNLOADED = "file_downloaded", _("下载原始文件")
    AUDIT_EXPORTED = "audit_exported", _("导出审计日志")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("审计日志只能追加，不能修改。")

    def delete(self):
        raise AuditImmutable("审计日志只能追加，不能删除。")


class AuditEntry(models.Model):
    Kind = Kind

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as written at the time: a later rename or role change does not rewrite the trail.
    actor_name = models.CharField(_("用户名"), max_length=150, blank=True)
    actor_role = models.CharField(_("角色"), max_length=10, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, db_index=True)
    area_code = models.CharField(_("区划代码"), max_length=6, blank=True, db_index=True)
    area_name = models.CharField(_("地区"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=40, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=500)
    before = models.JSONField(_("变更前"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("变更后"), null=True, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutable("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计日志只能追加，不能删除。")

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度" if self.year and self.quarter else ""
