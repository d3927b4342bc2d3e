"""Uploads, from the moment a file arrives to the values it leaves behind. The web page, the REST API, the
management command and the Celery tasks all call these functions.

receive_upload  stores the raw file and its SHA-256 before anything else, then queues the processing;
process_upload  reads, validates and, unless it is a dry run, writes all the values in one transaction;
confirm_upload  turns a previewed dry run into a real import;
sweep_stuck_uploads re-queues uploads the broker or a worker lost.
"""

import logging
import re
import traceback
from datetime import timedelta
from functools import partial
from pathlib import Path

import pandas as pd
from celery import current_app
from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from indicators.models import Area, Indicator
from indicators.periods import latest_closed_quarter

from .approval import quarter_lock_refusal
from .bounded import OutOfMemory, run_bounded
from .files import hash_and_size, safe_name, store_content
from .issues import Issue
from .models import Observation, Upload, next_sequence
from .reading import UnreadableFile, read_upload
from .signals import observations_changed, upload_waiting
from .storage import store_observations
from .validation import UploadContext, validate

log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ALLOWED_EXTENSIONS = (".xlsx", ".xls", ".csv")
QUEUED_NOTE = "消息队列暂时无法连接：文件已安全保存，系统恢复后将自动处理。"
FAILED_MESSAGE = (
    "系统处理该文件时出错，不是您的文件的问题，管理员已收到通知，文件已安全保存；问题解决后将重新处理，您无需重新上传。"
)
TOO_COMPLEX_MESSAGE = (
    "读取该文件所需的内存超出系统上限，文件的实际内容远超填报表应有的规模，疑为异常文件，已拒绝："
    "请只把数据复制到新工作簿后另存再上传。"
)


class UploadRefused(Exception):
    """The request itself is not allowed (wrong role, another city): nothing is stored."""


class ProcessingFailed(Exception):
    """The system, not the file, failed while processing an upload. It is recorded on the upload: back in the queue
    for another attempt in `retry_in` seconds, or, when the attempts are spent (retry_in None), failed."""

    def __init__(self, upload_id: int, retry_in: int | None):
        self.upload_id, self.retry_in = upload_id, retry_in
        super().__init__(f"upload {upload_id}: system failure, " + (f"retry in {retry_in} s" if retry_in else "failed"))


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
    source: str = Upload.Source.FILE,
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
    name = safe_name(original_name or getattr(file, "name", None) or "upload")
    extension = Path(name).suffix.lower()[:8]
    sha256, size = hash_and_size(file)
    upload = Upload(
        area=area,
        year=year,
        quarter=quarter,
        kind=Upload.Kind.TEMPLATE if year else Upload.Kind.LONG,
        original_name=name,
        extension=extension,
        size=size,
        sha256=sha256,
        uploaded_by=user,
        dry_run=dry_run,
        source=source,
    )
    upload.file.name = store_content(file, sha256)
    refusal = _refusal(size, extension)
    same, duplicate = _same_file(upload)
    if refusal is not None:
        _finish(upload, Upload.Status.REJECTED, errors=[refusal], save=False)
    elif duplicate:
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


def _refusal(size: int, extension: str) -> Issue | None:
    """What refuses a file before anyone reads it: its size or its type."""
    if size > settings.UPLOAD_MAX_BYTES:
        return Issue(
            level="error",
            rule="too_large",
            message=f"文件大小 {size / 1024 / 1024:.1f} MB，"
            f"超过上限 {settings.UPLOAD_MAX_BYTES / 1024 / 1024:.0f} MB：请删除多余的工作表或分批上传。",
        )
    if extension not in ALLOWED_EXTENSIONS:
        return Issue(
            level="error",
            rule="file_type",
            message=f"不支持的文件类型“{extension or '无扩展名'}”：请上传 xlsx、xls 或 csv 文件。",
        )
    return None


def _same_file(upload: Upload) -> tuple[Upload | None, bool]:
    """The latest earlier upload of the same bytes for the same period, and whether the new one is a duplicate of it:
    only when it is the last upload imported for the period and its values still stand (after A, B, A the second A
    is imported again, being the newest)."""
    period = {"area": upload.area, "year": upload.year, "quarter": upload.quarter}
    latest = (
        Upload.objects.filter(**period, dry_run=False)
        .filter(status__in=(*Upload.PENDING, Upload.Status.ACCEPTED, Upload.Status.SUPERSEDED))
        .order_by("-sequence")
        .first()
    )
    if latest is not None and latest.sha256 == upload.sha256 and latest.status == Upload.Status.ACCEPTED:
        return latest, True
    same = (
        Upload.objects.filter(sha256=upload.sha256, **period)
        .exclude(status__in=(*Upload.PENDING, Upload.Status.DUPLICATE))
        .order_by("-sequence")
        .first()
    )
    return same, False


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


def _claim(upload_id: int, delivery: str | None) -> Upload | None:
    """Move a received upload to processing and count the attempt; None if it is not this delivery's to process (a
    task delivered twice does nothing the second time). A delivery may take back an upload it already holds: the
    broker hands a task out again only when the worker that had it was lost. An upload whose attempts are spent
    fails here, so a file that keeps killing workers is not tried for ever."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None:
            return None
        retaken = upload.status == Upload.Status.PROCESSING and delivery and upload.task_id == delivery
        if upload.status != Upload.Status.RECEIVED and not retaken:
            return None
        if upload.attempts >= settings.UPLOAD_MAX_ATTEMPTS:
            _fail(upload, f"{upload.attempts} attempts did not finish (the worker was lost each time)")
            return None
        upload.status = Upload.Status.PROCESSING
        upload.status_note = ""
        upload.started_at = timezone.now()
        upload.task_id = delivery or ""
        upload.attempts += 1
        upload.save(update_fields=["status", "status_note", "started_at", "task_id", "attempts"])
    return upload


def _still_ours(upload: Upload) -> bool:
    """Inside the transaction that concludes an attempt: lock the upload and check that no later attempt took it over
    (the sweep or a redelivery), so exactly one attempt writes its outcome."""
    return (
        Upload.objects.select_for_update()
        .filter(pk=upload.pk, status=Upload.Status.PROCESSING, attempts=upload.attempts)
        .exists()
    )


def _fail(upload: Upload, failure: str) -> None:
    """The system could not process the upload: a status of its own, the city told it is not their file, the
    administrators told what went wrong."""
    upload.failure = failure[-4000:]
    upload.status_note = ""
    _finish(upload, Upload.Status.FAILED, errors=[Issue(level="error", rule="internal_error", message=FAILED_MESSAGE)])
    log.error("upload %s failed after %s attempts: %s", upload.pk, upload.attempts, failure)
    transaction.on_commit(
        lambda: mail_admins(
            f"上传 #{upload.pk} 系统处理失败", f"{upload.original_name}\n\n{failure}", fail_silently=True
        )
    )


def _system_failure(upload: Upload, error: BaseException) -> ProcessingFailed:
    """Record a failure of the system's own (a bug, the database, a crashed reader): back in the queue while attempts
    remain, else failed. Returns the exception for the caller to raise."""
    detail = _CONTROL.sub("?", "".join(traceback.format_exception(error)))  # storable whatever the error quotes
    log.warning("upload %s: attempt %s failed", upload.pk, upload.attempts, exc_info=error)
    with transaction.atomic():
        if not _still_ours(upload):
            return ProcessingFailed(upload.pk, None)
        if upload.attempts >= settings.UPLOAD_MAX_ATTEMPTS:
            _fail(upload, detail)
            return ProcessingFailed(upload.pk, None)
        retry_in = settings.UPLOAD_RETRY_DELAY * 2 ** (upload.attempts - 1)
        Upload.objects.filter(pk=upload.pk).update(
            status=Upload.Status.RECEIVED,
            task_id="",
            failure=detail[-4000:],
            status_note=f"系统处理出错（第 {upload.attempts} 次），约 {retry_in} 秒后自动重试，文件已安全保存。",
        )
    return ProcessingFailed(upload.pk, retry_in)


def read_stored(upload: Upload):
    """The upload's stored file read in a child process with a memory ceiling and a time limit."""
    with upload.file.open("rb") as handle:
        data = handle.read()
    return run_bounded(
        partial(read_upload, max_rows=settings.UPLOAD_MAX_ROWS),
        data,
        upload.extension,
        memory_bytes=settings.UPLOAD_READ_MEMORY_BYTES,
        timeout=settings.UPLOAD_READ_TIMEOUT,
    )


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
    columns = ["area_code", "indicator_code", "year", "quarter", "value", "upload_id"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    values = Observation.objects.filter(
        is_current=True,
        area__code__in=rows["area_code"].unique().tolist(),
        year__gte=int(rows["year"].min()) - 1,
        year__lte=int(rows["year"].max()),
    ).values_list("area__code", "indicator__code", "year", "quarter", "value", "upload_id")
    frame = pd.DataFrame.from_records(list(values), columns=columns)
    return frame.astype({"year": int, "quarter": int, "value": float, "upload_id": int})


def process_upload(upload_id: int, *, recompute: bool = True, delivery: str | None = None) -> Upload | None:
    """Read, validate and (unless a dry run) store one upload, then queue the progress recompute for what it touched
    (recompute=False: the caller recomputes once for many uploads, as the demo loader does). `delivery` is the id of
    the Celery task doing it, if any. Idempotent: a second call for the same upload does nothing.

    Raises ProcessingFailed after recording a failure of the system's own (the upload waits for another attempt, or
    has failed); every problem of the file's ends the upload rejected."""
    upload = _claim(upload_id, delivery)
    if upload is None:
        return Upload.objects.filter(pk=upload_id).first()
    try:
        try:
            read = read_stored(upload)
        except OutOfMemory:
            raise UnreadableFile(Issue(level="error", rule="too_complex", message=TOO_COMPLEX_MESSAGE)) from None
        checked = validate(read, upload_context(upload), current_values_for)
    except UnreadableFile as unreadable:
        issue = Issue(**{**unreadable.issue.as_dict(), "level": "error"})
        _conclude(upload, lambda: _finish(upload, Upload.Status.REJECTED, errors=[issue]))
        return upload
    except Exception as error:  # ReaderCrashed included: a reader that died or hung is the system's problem
        raise _system_failure(upload, error) from error
    upload.rows_total = len(checked.rows)
    upload.rows_new, upload.rows_changed, upload.rows_unchanged = checked.new, checked.changed, checked.unchanged
    upload.changes = checked.changes
    try:
        if checked.errors:
            _conclude(
                upload,
                lambda: _finish(upload, Upload.Status.REJECTED, errors=checked.errors, warnings=checked.warnings),
            )
        elif upload.dry_run:
            _conclude(upload, lambda: _finish(upload, Upload.Status.PREVIEWED, warnings=checked.warnings))
        else:
            _conclude(upload, lambda: _accept(upload, checked, recompute))
    except Exception as error:
        raise _system_failure(upload, error) from error
    return upload


def _conclude(upload: Upload, write) -> None:
    """Write an attempt's outcome in one transaction, if the upload is still this attempt's."""
    with transaction.atomic():
        if _still_ours(upload):
            write()
        else:
            log.info(
                "upload %s was taken over by a later attempt; attempt %s writes nothing", upload.pk, upload.attempts
            )


def _accept(upload: Upload, checked, recompute: bool) -> None:
    """Store the values (see storage for the order rule) and say what became of them."""
    late = store_observations(upload, checked.rows)
    if late == len(checked.rows):
        status = Upload.Status.SUPERSEDED
        upload.status_note = "本次上传处理时，更晚接收的上传已提供了这些数值：本次数值作为历史记录保存，现行数据不变。"
    else:
        status = Upload.Status.ACCEPTED
        if late:
            upload.status_note = f"其中 {late} 个数值已由更晚接收的上传提供，本次数值作为历史记录保存。"
    upload.recompute_pending = recompute and late < len(checked.rows)
    _finish(upload, status, warnings=checked.warnings)
    if upload.recompute_pending:
        areas = sorted({int(a) for a in checked.rows["area_id"].unique()})
        indicators = sorted({int(i) for i in checked.rows["indicator_id"].unique()})
        transaction.on_commit(lambda: after_accept(areas, indicators))


def after_accept(area_ids: list[int], indicator_ids: list[int]) -> None:
    """An accepted upload changes what progress looks like for its areas."""
    try:
        observations_changed.send(sender=Upload, area_ids=area_ids, indicator_ids=indicator_ids)
    except Exception:  # the nightly full recompute catches up
        if current_app.conf.task_always_eager:
            raise
        log.warning("could not queue the progress recompute", exc_info=True)


def confirm_upload(*, upload: Upload, user) -> Upload:
    """Import a previewed dry run for real. The file is read and checked again, since values may have moved. The
    confirmation is the import request: the upload takes its place in line now, after every upload received so far."""
    check_upload_rights(user=user, area=upload.area)
    with transaction.atomic():
        updated = Upload.objects.filter(pk=upload.pk, status=Upload.Status.PREVIEWED).update(
            status=Upload.Status.RECEIVED,
            dry_run=False,
            sequence=next_sequence(),
            confirmed_at=timezone.now(),
            confirmed_by=user,
            status_note="",
        )
        if updated:
            transaction.on_commit(lambda: enqueue(upload.pk))
    upload.refresh_from_db()
    return upload


def sweep_stuck_uploads(*, queued_for: timedelta | None = None, stuck_after: timedelta | None = None) -> int:
    """Hand over again, oldest import request first, every upload a worker or the broker lost: those whose publishing
    failed (at once), those still waiting `queued_for` after their last activity (a broker restarted without its
    queue), and those processing for longer than `stuck_after` (the worker died; they fail instead once their
    attempts are spent). A second message for an upload still queued does nothing (see _claim)."""
    now = timezone.now()
    queued_for = timedelta(seconds=settings.UPLOAD_QUEUED_FOR) if queued_for is None else queued_for
    stuck_after = timedelta(seconds=settings.UPLOAD_STUCK_AFTER) if stuck_after is None else stuck_after
    stuck = Upload.objects.filter(status=Upload.Status.PROCESSING, started_at__lt=now - stuck_after)
    taken_back = list(stuck.filter(attempts__lt=settings.UPLOAD_MAX_ATTEMPTS).values_list("pk", flat=True))
    Upload.objects.filter(pk__in=taken_back, status=Upload.Status.PROCESSING).update(
        status=Upload.Status.RECEIVED, task_id="", status_note="处理中断（处理进程丢失），已重新排队。"
    )
    for upload in stuck:  # attempts spent: rare, one by one
        with transaction.atomic():
            if Upload.objects.select_for_update().filter(pk=upload.pk, status=Upload.Status.PROCESSING).exists():
                _fail(upload, f"{upload.attempts} attempts did not finish (the worker was lost each time)")
    waiting = Upload.objects.filter(status=Upload.Status.RECEIVED).annotate(
        last_seen=Coalesce("started_at", "created_at")
    )
    queued = waiting.filter(
        Q(pk__in=taken_back) | Q(status_note=QUEUED_NOTE) | Q(last_seen__lte=now - queued_for)
    ).order_by("sequence")
    return sum(enqueue(pk) for pk in queued.values_list("pk", flat=True))


def process_again(upload_ids) -> int:
    """An administrator has dealt with what made uploads fail: they go back in the queue with fresh attempts."""
    with transaction.atomic():
        ids = list(
            Upload.objects.select_for_update()
            .filter(pk__in=list(upload_ids), status=Upload.Status.FAILED)
            .values_list("pk", flat=True)
        )
        Upload.objects.filter(pk__in=ids).update(
            status=Upload.Status.RECEIVED, attempts=0, task_id="", errors=[], finished_at=None,
            status_note="管理员已安排重新处理。",
        )  # fmt: skip
        for pk in ids:
            transaction.on_commit(lambda pk=pk: enqueue(pk))
    return len(ids)
