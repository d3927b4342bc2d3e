"""Uploads, from the moment a file arrives to the values it leaves behind. The web page, the REST API, the
management command and the Celery tasks all call these functions.

receive_upload  stores the raw file and its SHA-256 before anything else, then queues the processing;
process_upload  reads, validates and, unless it is a dry run, writes all the values in one transaction;
confirm_upload  turns a previewed dry run into a real import;
sweep_stuck_uploads re-queues uploads the broker or a worker lost.
"""

import hashlib
import logging
from datetime import timedelta
from pathlib import Path

import pandas as pd
from celery import current_app
from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from indicators.models import Area, Indicator
from indicators.periods import latest_closed_quarter

from .approval import quarter_lock_refusal
from .issues import Issue
from .models import Observation, Upload
from .reading import UnreadableFile, read_upload
from .signals import observations_changed, upload_waiting
from .storage import store_observations
from .validation import UploadContext, validate

log = logging.getLogger(__name__)
ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".csv")
STUCK_AFTER = timedelta(minutes=15)  # a worker that has held an upload this long has died
QUEUED_NOTE = "消息队列暂时无法连接：文件已安全保存，系统恢复后将自动处理。"


class UploadRefused(Exception):
    """The request itself is not allowed (wrong role, another city): nothing is stored."""


def _sha256(file) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def check_upload_rights(*, user, area: Area | None) -> None:
    if area is None:
        if not user.is_provincial_admin:
            raise UploadRefused("只有省级管理员可以上传多地区长表。")
        return
    if not user.can_upload_for(area):
        if user.role == user.Role.CITY:
            raise UploadRefused(f"您只能为{user.area.name}填报数据，不能为{area.name}上传。")
        raise UploadRefused("您的账户没有上传数据的权限。")
    if not (area.is_reporting_unit or area.level == Area.Level.PROVINCE):
        raise UploadRefused(f"请以所属地级市身份上传：{area.name}的数据填在{area.parent.name}的模板中。")


def receive_upload(
    *,
    file,
    user,
    area: Area | None = None,
    year: int | None = None,
    quarter: int | None = None,
    dry_run: bool = False,
    original_name: str | None = None,
    queue: bool = True,
) -> Upload:
    """Keep the file and its hash, whatever it holds, and queue its processing (queue=False: the caller processes
    it itself, as the management command does).

    Raises UploadRefused when the user may not upload for the area; every other problem is the upload's, recorded on
    it and shown to the person, with the file kept."""
    check_upload_rights(user=user, area=area)
    if (year is None) != (quarter is None):
        raise UploadRefused("年份和季度需同时填写。")
    if refusal := quarter_lock_refusal(
        area=area, year=year, quarter=quarter, file=file, name=original_name or getattr(file, "name", ""), user=user
    ):
        raise UploadRefused(refusal)
    name = original_name or getattr(file, "name", "upload")
    extension = Path(name).suffix.lower()[:8]
    sha256 = _sha256(file)
    size = file.size if hasattr(file, "size") else len(file.read())
    file.seek(0)
    upload = Upload(
        area=area,
        year=year,
        quarter=quarter,
        kind=Upload.Kind.TEMPLATE if year else Upload.Kind.LONG,
        original_name=Path(name).name[:255],
        extension=extension,
        size=size,
        sha256=sha256,
        uploaded_by=user,
        dry_run=dry_run,
    )
    upload.file.save(f"{sha256}{extension}", file if isinstance(file, File) else File(file), save=False)
    same = (
        Upload.objects.filter(sha256=sha256, area=area, year=year, quarter=quarter)
        .exclude(status__in=Upload.PENDING)
        .order_by("-created_at")
        .first()
    )
    if size > settings.UPLOAD_MAX_BYTES:
        _finish(
            upload,
            Upload.Status.REJECTED,
            errors=[
                Issue(
                    level="error",
                    rule="too_large",
                    message=f"文件大小 {size / 1024 / 1024:.1f} MB，"
                    f"超过上限 {settings.UPLOAD_MAX_BYTES / 1024 / 1024:.0f} MB：请删除多余的工作表或分批上传。",
                )
            ],
            save=False,
        )
    elif extension not in ALLOWED_EXTENSIONS:
        _finish(
            upload,
            Upload.Status.REJECTED,
            errors=[
                Issue(
                    level="error",
                    rule="file_type",
                    message=f"不支持的文件类型“{extension or '无扩展名'}”：请上传 xlsx、xls 或 csv 文件。",
                )
            ],
            save=False,
        )
    elif same is not None and same.status == Upload.Status.ACCEPTED:
        upload.duplicate_of = same
        _finish(upload, Upload.Status.DUPLICATE, save=False)
        upload.status_note = (
            f"与第 {same.pk} 号上传（{timezone.localtime(same.created_at):%Y-%m-%d %H:%M}，"
            f"{same.uploaded_by.get_full_name() or same.uploaded_by.username}）完全相同，"
            "其数据已是现行数据，无需重复导入。"
        )
    elif same is not None:
        upload.status_note = f"与第 {same.pk} 号上传的文件相同（该次结果：{same.get_status_display()}）。"
    upload.save()
    if upload.status == Upload.Status.RECEIVED and queue:
        transaction.on_commit(lambda: enqueue(upload.pk))
    return upload


def enqueue(upload_id: int) -> bool:
    """Hand the upload to a worker (tasks_app receives the signal and queues the task). If the broker cannot be reached
    the upload stays received, marked as queued, and the periodic sweep hands it over once the broker is back."""
    try:
        upload_waiting.send(sender=Upload, upload_id=upload_id)
        return True
    except Exception:  # kombu raises OperationalError; redis-py its own errors: all mean "not delivered"
        if current_app.conf.task_always_eager:  # in-process: the error is the task's own, let it show
            raise
        log.warning("broker unreachable, upload %s stays queued", upload_id, exc_info=True)
        Upload.objects.filter(pk=upload_id, status=Upload.Status.RECEIVED).update(status_note=QUEUED_NOTE)
        return False


def _finish(upload: Upload, status: str, *, errors=(), warnings=(), save=True) -> None:
    upload.status = status
    upload.errors = [e.as_dict() if isinstance(e, Issue) else e for e in errors]
    upload.warnings = [w.as_dict() if isinstance(w, Issue) else w for w in warnings]
    upload.finished_at = timezone.now()
    if save:
        upload.save()


def _claim(upload_id: int) -> Upload | None:
    """Move a received upload to processing; None if another worker has it or it is done (so a redelivered task is
    harmless)."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.status != Upload.Status.RECEIVED:
            return None
        upload.status = Upload.Status.PROCESSING
        upload.status_note = ""
        upload.started_at = timezone.now()
        upload.attempts += 1
        upload.save(update_fields=["status", "status_note", "started_at", "attempts"])
    return upload


def upload_context(upload: Upload) -> UploadContext:
    from .selectors import expected_indicator_codes

    indicators = pd.DataFrame.from_records(
        Indicator.objects.values("code", "id", "name", "unit", "min_value", "max_value", "max_change", "seasonal")
    ).set_index("code")
    areas = pd.DataFrame.from_records(Area.objects.values("code", "id", "name")).set_index("code")
    allowed = None
    if upload.area_id:
        allowed = {upload.area.code, *upload.area.children.values_list("code", flat=True)}
    return UploadContext(
        area_code=upload.area.code if upload.area_id else None,
        allowed_area_codes=allowed,
        year=upload.year,
        quarter=upload.quarter,
        latest_closed=latest_closed_quarter(),
        indicators=indicators,
        areas=areas,
        expected_indicators=expected_indicator_codes(upload.area) if upload.area_id else [],
    )


def current_values_for(rows: pd.DataFrame) -> pd.DataFrame:
    """Current stored values the checks compare an upload's rows against: same areas, from a year before the
    earliest quarter in the file (for 同比 and previous-quarter comparisons) to its latest."""
    columns = ["area_code", "indicator_code", "year", "quarter", "value"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    values = Observation.objects.filter(
        is_current=True,
        area__code__in=rows["area_code"].unique().tolist(),
        year__gte=int(rows["year"].min()) - 1,
        year__lte=int(rows["year"].max()),
    ).values_list("area__code", "indicator__code", "year", "quarter", "value")
    frame = pd.DataFrame.from_records(list(values), columns=columns)
    return frame.astype({"year": int, "quarter": int, "value": float})


def process_upload(upload_id: int, *, recompute: bool = True) -> Upload | None:
    """Read, validate and (unless a dry run) store one upload, then queue the progress recompute for what it touched
    (recompute=False: the caller recomputes once for many uploads, as the demo loader does). Idempotent: a second
    call for the same upload does nothing."""
    upload = _claim(upload_id)
    if upload is None:
        return Upload.objects.filter(pk=upload_id).first()
    try:
        with upload.file.open("rb") as handle:
            data = handle.read()
        read = read_upload(data, upload.extension, max_rows=settings.UPLOAD_MAX_ROWS)
        checked = validate(read, upload_context(upload), current_values_for)
    except UnreadableFile as unreadable:
        _finish(upload, Upload.Status.REJECTED, errors=[Issue(**{**unreadable.issue.as_dict(), "level": "error"})])
        return upload
    except Exception:
        log.exception("upload %s could not be processed", upload.pk)
        _finish(
            upload,
            Upload.Status.REJECTED,
            errors=[
                Issue(
                    level="error",
                    rule="internal_error",
                    message="系统处理该文件时出错，文件已保存，请联系管理员。",
                )
            ],
        )
        return upload

    upload.rows_total = len(checked.rows)
    upload.rows_new, upload.rows_changed, upload.rows_unchanged = checked.new, checked.changed, checked.unchanged
    if checked.errors:
        _finish(upload, Upload.Status.REJECTED, errors=checked.errors, warnings=checked.warnings)
    elif upload.dry_run:
        _finish(upload, Upload.Status.PREVIEWED, warnings=checked.warnings)
    else:
        with transaction.atomic():
            store_observations(upload, checked.rows)
            _finish(upload, Upload.Status.ACCEPTED, warnings=checked.warnings)
            areas = sorted({int(a) for a in checked.rows["area_id"].unique()})
            indicators = sorted({int(i) for i in checked.rows["indicator_id"].unique()})
            if recompute:
                transaction.on_commit(lambda: after_accept(areas, indicators))
    return upload


def after_accept(area_ids: list[int], indicator_ids: list[int]) -> None:
    """An accepted upload changes what progress looks like for its areas."""
    try:
        observations_changed.send(sender=Upload, area_ids=area_ids, indicator_ids=indicator_ids)
    except Exception:  # the nightly full recompute catches up
        if current_app.conf.task_always_eager:
            raise
        log.warning("could not queue the progress recompute", exc_info=True)


def confirm_upload(*, upload: Upload, user) -> Upload:
    """Import a previewed dry run for real. The file is read and checked again, since values may have moved."""
    check_upload_rights(user=user, area=upload.area)
    with transaction.atomic():
        updated = Upload.objects.filter(pk=upload.pk, status=Upload.Status.PREVIEWED).update(
            status=Upload.Status.RECEIVED,
            dry_run=False,
            confirmed_at=timezone.now(),
            confirmed_by=user,
            status_note="",
        )
        if updated:
            transaction.on_commit(lambda: enqueue(upload.pk))
    upload.refresh_from_db()
    return upload


def sweep_stuck_uploads(*, queued_for: timedelta = timedelta(minutes=1)) -> int:
    """Re-queue uploads still received `queued_for` after they came in (the broker was down), and uploads processing
    for too long (the worker died)."""
    stale = timezone.now() - STUCK_AFTER
    Upload.objects.filter(status=Upload.Status.PROCESSING, started_at__lt=stale).update(
        status=Upload.Status.RECEIVED, status_note="处理中断，已重新排队。"
    )
    queued = list(
        Upload.objects.filter(status=Upload.Status.RECEIVED, created_at__lte=timezone.now() - queued_for).values_list(
            "pk", flat=True
        )
    )
    return sum(enqueue(pk) for pk in queued)
