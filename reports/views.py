"""The report pages: ask for a report, watch it being built, download it (again) when ready."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .forms import ReportForm
from .models import GeneratedReport
from .scope import ScopeError, parse_scope
from .services import open_report, reports_visible_to, request_report


def report_index(request):
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scope = parse_scope(**{k: v for k, v in data.items() if k != "format"}, user=request.user)
        except ScopeError as error:
            form.add_error(None, str(error))
        else:
            report = request_report(
                scope=scope, fmt=data["format"], user=request.user, door=GeneratedReport.Door.WEB, request=request
            )
            return redirect("report_detail", pk=report.pk)
    page = Paginator(reports_visible_to(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "reports/index.html", {"form": form, "page": page})


def report_detail(request, pk):
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    return render(request, "reports/detail.html", {"report": report})


def report_status(request, pk):
    """What the page polls while a worker builds the report."""
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    return JsonResponse(
        {
            "status": report.status,
            "status_display": report.get_status_display(),
            "progress": report.progress,
            "note": report.progress_note,
            "download_url": reverse("report_download", args=[report.pk]) if report.is_ready else None,
            "error": report.error and _("报告生成失败，请联系系统管理员。"),
        }
    )


def report_download(request, pk):
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    if not report.is_ready:
        raise PermissionDenied(_("报告尚未生成完毕。"))
    handle = open_report(report, user=request.user, request=request)
    return FileResponse(handle, as_attachment=True, filename=report.download_name, content_type=report.content_type)
