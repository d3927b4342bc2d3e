"""Upload pages: the form, each upload's page, the history, the templates and the completeness grid."""

import csv
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Kind
from audit.services import record
from common.spreadsheets import neutralise_row
from common.times import local_iso
from indicators.localized import area_name_of, english, localized, period_name
from indicators.models import Indicator
from indicators.periods import period_label, quarter_end, submission_deadline, today

from .bounded import OutOfMemory, ReaderCrashed, run_bounded
from .forms import PeriodForm, UploadForm
from .handlers import too_large_message
from .models import Upload
from .numbers import plain_number
from .selectors import (
    COMPLETENESS_LABELS,
    completeness_of_year,
    completeness_years,
    template_rows,
    uploads_visible_to,
)
from .services import UploadRefused, confirm_upload, receive_upload
from .workbooks import UNREADABLE_RULES, build_template, mark_workbook, not_over_warning

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VALUES_SHOWN = 300  # an upload's page lists its first values; the raw file holds them all


def upload_list(request):
    uploads = uploads_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Upload.Status.values:
        uploads = uploads.filter(status=status)
    page = Paginator(uploads, 50).get_page(request.GET.get("page"))
    failed = Upload.objects.filter(status=Upload.Status.FAILED).count() if request.user.is_provincial_admin else 0
    return render(
        request,
        "uploads/upload_list.html",
        {"page": page, "status": status, "statuses": Upload.Status.choices, "failed_count": failed},
    )


def upload_new(request):
    if not (request.user.role == request.user.Role.CITY or request.user.is_provincial_admin):
        raise PermissionDenied(_("只有市级填报员和省级管理员可以上传数据。"))
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if getattr(request, "upload_too_large", False):  # dropped while it streamed in (uploads.handlers)
        form.is_valid()
        form.errors["file"] = form.error_class([too_large_message()])
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        long_format = request.user.is_provincial_admin and request.POST.get("long_format") == "on"
        try:
            upload = receive_upload(
                file=data["file"],
                user=request.user,
                area=None if long_format else data["area"],
                year=None if long_format else data["year"],
                quarter=None if long_format else data["quarter"],
                dry_run=data["dry_run"],
            )
        except UploadRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("upload_detail", pk=upload.pk)
    return render(request, "uploads/upload_new.html", {"form": form})


def upload_detail(request, pk):
    upload = get_object_or_404(uploads_visible_to(request.user).select_related("confirmed_by", "duplicate_of"), pk=pk)
    can_confirm = upload.status == Upload.Status.PREVIEWED and (
        request.user.can_upload_for(upload.area) if upload.area else request.user.is_provincial_admin
    )
    values = upload.observations.select_related("area", "indicator").order_by("source_row", "pk")
    # A quarter's values can be corrected in the web entry form by whoever may upload them.
    can_enter = bool(upload.area and upload.year and request.user.can_upload_for(upload.area))
    return render(
        request,
        "uploads/upload_detail.html",
        {
            "upload": upload,
            "can_confirm": can_confirm,
            "can_enter": can_enter,
            "changes": _changes_shown(upload.changes),
            "values": values[:VALUES_SHOWN],
            "value_count": values.count(),
            "values_shown": VALUES_SHOWN,
        },
    )


def _changes_shown(changes: list[dict]) -> list[dict]:
    """The dry run's list of changes as the page shows it: numbers as typed, names in the page's language (the list
    keeps the Chinese names it was made with)."""
    shown = [{**c, "old": plain_number(c["old"]), "new": plain_number(c["new"])} for c in changes]
    if english() and shown:
        indicators = Indicator.objects.in_bulk({c["indicator_code"] for c in shown}, field_name="code")
        for c in shown:
            indicator = indicators.get(c["indicator_code"])
            c["area"] = area_name_of(c["area_code"], c["area"])
            c["indicator"] = localized(indicator) if indicator else c["indicator"]
            c["unit"] = localized(indicator, "unit") if indicator else c["unit"]
    return shown


@require_POST
def upload_confirm(request, pk):
    upload = get_object_or_404(uploads_visible_to(request.user), pk=pk)
    try:
        confirm_upload(upload=upload, user=request.user)
    except UploadRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已确认导入，正在写入。"))
    return redirect("upload_detail", pk=pk)


def _record_download(request, upload: Upload, what: str) -> None:
    record(
        Kind.FILE_DOWNLOADED,
        f"下载第 {upload.pk} 号上传的{what}“{upload.original_name}”",
        request=request,
        area=upload.area,
        year=upload.year,
        quarter=upload.quarter,
        obj=upload,
        after={"file": upload.original_name, "sha256": upload.sha256, "what": what},
    )


def upload_file(request, pk):
    upload = get_object_or_404(uploads_visible_to(request.user), pk=pk)
    _record_download(request, upload, "原始文件")
    return FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name)


def upload_marked(request, pk):
    """The upload handed back with its bad cells marked and every message listed."""
    upload = get_object_or_404(uploads_visible_to(request.user), pk=pk)
    issues = [*upload.errors, *upload.warnings]
    if any(issue["rule"] in UNREADABLE_RULES for issue in upload.errors):
        marked = mark_workbook(None, upload.extension, issues)  # never reopen a damaged or hostile file
    else:
        with upload.file.open("rb") as handle:
            data = handle.read()
        try:  # reopened in a child with a memory ceiling, like every read of an uploaded file
            marked = run_bounded(
                mark_workbook,
                data,
                upload.extension,
                issues,
                memory_bytes=settings.UPLOAD_READ_MEMORY_BYTES,
                timeout=settings.UPLOAD_READ_TIMEOUT,
            )
        except (OutOfMemory, ReaderCrashed):
            marked = mark_workbook(None, upload.extension, issues)
    _record_download(request, upload, "标注问题的文件")
    response = HttpResponse(marked, content_type=XLSX)
    stem = upload.original_name.rsplit(".", 1)[0]
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quote(stem)}-%E6%A0%A1%E9%AA%8C%E7%BB%93%E6%9E%9C.xlsx"
    )
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def template_download(request):
    form = PeriodForm(request.GET or None, user=request.user)
    if not request.GET or not form.is_valid():
        return render(request, "uploads/template_form.html", {"form": form})
    area, year, quarter = form.cleaned_data["area"], form.cleaned_data["year"], form.cleaned_data["quarter"]
    if not_over_warning(year, quarter) and request.GET.get("anyway") != "1":  # said before the file is sent
        query = request.GET.copy()
        query["anyway"] = "1"
        warning = _(
            "注意：%(year)s年第%(quarter)s季度尚未结束（%(end)s结束），现在还不能上传该季度的数据："
            "可先准备，季度结束后再填写全季度累计值并上传。"
        ) % {"year": year, "quarter": quarter, "end": quarter_end(year, quarter).isoformat()}
        return render(
            request, "uploads/template_form.html", {"form": form, "warning": warning, "anyway": query.urlencode()}
        )
    data = build_template(
        area_code=area.code, area_name=area.name, year=year, quarter=quarter, rows=template_rows(area, year, quarter)
    )
    filename = f"{area.name}{year}年第{quarter}季度填报模板.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def completeness(request):
    if not request.user.sees_everything:
        raise PermissionDenied(_("完成情况表供省级用户查看。"))
    years = completeness_years(today=today())
    year, error = _chosen_year(request.GET.get("year"), years)
    areas, quarters, grid = completeness_of_year(year, today=today(), approvals=True)
    if request.GET.get("export") == "csv":
        return _completeness_csv(year, areas, quarters, grid)
    rows = [(area, [grid[(area.pk, y, q)] for y, q in quarters]) for area in areas]
    counts = Counter(cell.status for cell in grid.values())
    legend = [(status, label, counts[status]) for status, label in COMPLETENESS_LABELS.items()]
    approvals = Counter(cell.approval.status for cell in grid.values() if cell.approval)
    return render(
        request,
        "uploads/completeness.html",
        {
            "rows": rows,
            "quarters": [(y, q, period_name(y, q)) for y, q in quarters],
            "year": year,
            "years": years,
            "legend": legend,
            "deadline_days": settings.UPLOAD_DEADLINE_DAYS,
            "error": error,
            "approved_count": approvals["approved"],
            "submitted_count": approvals["submitted"],
            "can_approve": request.user.role in ("province", "admin") or request.user.is_superuser,
            "can_enter": request.user.is_provincial_admin,  # web entry for any city (officers do not see the grid)
        },
        status=400 if error else 200,
    )


def _chosen_year(text: str | None, years: list[int]) -> tuple[int, str]:
    """The year asked for, or the latest with a Chinese message saying why the one asked for cannot be shown."""
    if text is None:
        return years[0], ""
    try:
        year = int(text)
    except ValueError:
        year = None
    if year not in years:
        return years[0], _("年份“%(text)s”无效：请选择 %(first)d 至 %(last)d 年。") % {
            "text": text,
            "first": years[-1],
            "last": years[0],
        }
    return year, ""


def _completeness_csv(year, areas, quarters, grid) -> HttpResponse:
    """One line per area and quarter: what the grid shows, with the upload behind it (text neutralised, times in
    Beijing time with the offset)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'{year}年填报完成情况.csv')}"
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        ["地区代码", "地区", "报告期", "截止日期", "情况", "上传编号", "文件名", "上传人", "上传时间", "状态"]
    )
    for area in areas:
        for y, q in quarters:
            cell = grid[(area.pk, y, q)]
            upload = cell.upload
            who = upload and (upload.uploaded_by.get_full_name() or upload.uploaded_by.username)
            row = [area.code, area.name, period_label(y, q), submission_deadline(y, q).isoformat(), cell.label]
            row += (
                [upload.pk, upload.original_name, who, local_iso(upload.created_at), upload.get_status_display()]
                if upload
                else [""] * 5
            )
            writer.writerow(neutralise_row(row))
    return response
