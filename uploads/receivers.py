"""Uploads and their outcomes in the audit trail: a file received, then accepted (with the values it superseded),
rejected, previewed or found a duplicate. Read from the Upload rows as they are saved, so the pipeline itself
(services, storage) records nothing and every door is covered."""

from django.db.models import Count
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from audit.models import Kind
from audit.services import record

from .models import Observation, Upload

OUTCOMES = {
    Upload.Status.ACCEPTED: Kind.UPLOAD_ACCEPTED,
    Upload.Status.REJECTED: Kind.UPLOAD_REJECTED,
    Upload.Status.PREVIEWED: Kind.UPLOAD_PREVIEWED,
    Upload.Status.DUPLICATE: Kind.UPLOAD_DUPLICATE,
}
SUPERSEDED_SHOWN = 50  # the entry lists the first values replaced; the report lists them all


@receiver(post_init, sender=Upload)
def remember_status(sender, instance, **kwargs):
    # Read from __dict__: a row loaded without its status (.only()) must not fetch it here.
    instance._audited_status = instance.__dict__.get("status") if instance.pk is not None else None


def _details(upload: Upload) -> dict:
    return {
        "actor": upload.confirmed_by if upload.confirmed_by_id else upload.uploaded_by,
        "area": upload.area,
        "year": upload.year,
        "quarter": upload.quarter,
        "obj": upload,
    }


def _facts(upload: Upload) -> dict:
    return {
        "status": upload.status,
        "file": upload.original_name,
        "sha256": upload.sha256,
        "rows_total": upload.rows_total,
        "rows_new": upload.rows_new,
        "rows_changed": upload.rows_changed,
        "errors": len(upload.errors),
        "warnings": len(upload.warnings),
    }


@receiver(post_save, sender=Upload)
def record_upload(sender, instance: Upload, created: bool, **kwargs):
    upload, before = instance, instance._audited_status
    if created:
        record(
            Kind.UPLOAD_RECEIVED,
            f"上传第 {upload.pk} 号文件“{upload.original_name}”（{upload.period_label}）",
            after=_facts(upload),
            **{**_details(upload), "actor": upload.uploaded_by},
        )
    if upload.status != before and upload.status in OUTCOMES:
        record(
            OUTCOMES[upload.status],
            f"第 {upload.pk} 号上传：{upload.get_status_display()}"
            f"（新增 {upload.rows_new}，修改 {upload.rows_changed}，错误 {len(upload.errors)}）",
            before={"status": before},
            after=_facts(upload),
            **_details(upload),
        )
        if upload.status == Upload.Status.ACCEPTED:
            record_supersessions(upload)
    instance._audited_status = upload.status


def record_supersessions(upload: Upload) -> None:
    """One entry per earlier upload whose values this one replaced, with the first values old → new."""
    replaced = (
        Observation.objects.filter(superseded_by=upload)
        .values("upload_id")
        .annotate(count=Count("id"))
        .order_by("upload_id")
    )
    for group in replaced:
        old = Observation.objects.filter(superseded_by=upload, upload_id=group["upload_id"]).order_by("pk")
        pairs = list(old.values_list("area__code", "indicator__code", "year", "quarter", "value")[:SUPERSEDED_SHOWN])
        successors = Observation.objects.filter(
            upload=upload,
            area__code__in={p[0] for p in pairs},
            indicator__code__in={p[1] for p in pairs},
            year__in={p[2] for p in pairs},
        ).values_list("area__code", "indicator__code", "year", "quarter", "value")
        new = {(a, i, y, q): v for a, i, y, q, v in successors}
        record(
            Kind.SUPERSESSION,
            f"第 {upload.pk} 号上传替代了第 {group['upload_id']} 号上传的 {group['count']} 个数值",
            before={"upload": group["upload_id"], "values": [[*key[:4], key[4]] for key in pairs]},
            after={
                "upload": upload.pk,
                "values": [[*key[:4], new.get(tuple(key[:4]))] for key in pairs],
                "count": group["count"],
            },
            **_details(upload),
        )
