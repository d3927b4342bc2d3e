"""Reports from request to file: every door (the page, the API, `export_report`, the Celery task) calls these.

request_report  records who asked for what and builds it at once when it is small, else hands it to a worker;
build_report    assembles the tables, writes the file, keeps it with its SHA-256 and snapshot id;
open_report     hands the kept file back (the same bytes every time) and records the download."""

import hashlib
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from audit.models import Kind
from audit.services import record
from common.tabular import write_csv_zip, write_xlsx
from progress.models import Progress

from .build import assemble, fill_cover
from .models import EXTENSIONS, GeneratedReport
from .pdf import write_pdf
from .scope import ReportScope
from .signals import report_requested

log = logging.getLogger(__name__)


def estimated_rows(scope: ReportScope) -> int:
    rows = Progress.objects.filter(year=scope.year, quarter=scope.quarter)
    if scope.area:
        rows = rows.filter(area__in=scope.areas())
    return rows.count()


def builds_inline(scope: ReportScope, fmt: str) -> bool:
    """Small spreadsheets are built within the request; a PDF or a large report goes to a worker."""
    return fmt != GeneratedReport.Format.PDF and estimated_rows(scope) <= settings.REPORT_INLINE_MAX_ROWS


def request_report(
    *, scope: ReportScope, fmt: str, user, door: str, request=None, queue: bool = True
) -> GeneratedReport:
    """Record the request; build it now when small (or when queue=False: the caller waits, as the command does),
    else announce it for a worker."""
    report = GeneratedReport.objects.create(
        requested_by=user, door=door, parameters=scope.as_dict(), scope_label=scope.describe(), format=fmt
    )
    if not queue or builds_inline(scope, fmt):
        build_report(report.pk)
    else:
        transaction.on_commit(lambda: report_requested.send(sender=GeneratedReport, report_id=report.pk))
    report.refresh_from_db()
    return report


def _claim(report_id: int) -> GeneratedReport | None:
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status != GeneratedReport.Status.QUEUED:
            return None  # built already, or being built: a redelivered task does nothing
        report.status = GeneratedReport.Status.RUNNING
        report.save(update_fields=["status"])
    return report


def _tell(report_id: int):
    def tell(share: float, note: str) -> None:
        GeneratedReport.objects.filter(pk=report_id).update(progress=round(share, 2), progress_note=note)

    return tell


def write_report(report, fmt: str, target) -> None:
    """The assembled report in one of the three formats."""
    if fmt == GeneratedReport.Format.XLSX:
        write_xlsx(report.all_tables(), target)
    elif fmt == GeneratedReport.Format.CSV:
        write_csv_zip(report.all_tables(), target)
    else:
        write_pdf(report, target)


def build_report(report_id: int) -> GeneratedReport | None:
    """Build a requested report and keep its file. Idempotent; a failure is kept on the row with its message."""
    report = _claim(report_id)
    if report is None:
        return GeneratedReport.objects.filter(pk=report_id).first()
    tell = _tell(report.pk)
    try:
        built = assemble(ReportScope.from_dict(report.parameters), progress=tell)
        fill_cover(built, user=report.requested_by, generated_at=report.requested_at)
        tell(0.6, "写入文件")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"report.{EXTENSIONS[report.format]}"
            write_report(built, report.format, str(path))
            sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
            with path.open("rb") as handle:
                name = f"{built.snapshot_id}-{report.pk}.{EXTENSIONS[report.format]}"
                report.file.save(name, File(handle), save=False)
    except Exception as error:
        log.exception("report %s could not be built", report.pk)
        GeneratedReport.objects.filter(pk=report.pk).update(
            status=GeneratedReport.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )  # fmt: skip
        return GeneratedReport.objects.get(pk=report.pk)
    report.snapshot_id, report.sha256, report.size = built.snapshot_id, sha256, report.file.size
    report.rows, report.status, report.progress = len(built.figures.rows), GeneratedReport.Status.DONE, 1.0
    report.progress_note, report.finished_at = "完成", timezone.now()
    report.save()
    record(
        Kind.REPORT_GENERATED,
        f"生成进度报告第 {report.pk} 号（{report.period_label}，{report.scope_label}，{report.get_format_display()}）",
        actor=report.requested_by,
        actor_name="" if report.requested_by_id else "命令行",
        area=None,
        year=report.parameters["year"],
        quarter=report.parameters["quarter"],
        obj=report,
        after={"snapshot_id": report.snapshot_id, "sha256": sha256, "parameters": report.parameters},
    )
    return report


def reports_visible_to(user):
    reports = GeneratedReport.objects.select_related("requested_by")
    return reports if user.sees_everything else reports.filter(requested_by=user)


def open_report(report: GeneratedReport, *, user, request=None):
    """The kept file, opened for reading; the download is recorded in the audit trail."""
    record(
        Kind.REPORT_DOWNLOADED,
        f"下载进度报告第 {report.pk} 号（{report.period_label}，{report.scope_label}，{report.get_format_display()}）",
        actor=user,
        request=request,
        year=report.parameters["year"],
        quarter=report.parameters["quarter"],
        obj=report,
        after={"snapshot_id": report.snapshot_id, "sha256": report.sha256},
    )
    return report.file.open("rb")
