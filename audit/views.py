"""The audit trail for auditors and provincial staff: browse, filter, export (the export is itself recorded)."""

import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.tabular import csv_bytes, write_xlsx

from .forms import TrailFilter
from .models import Kind
from .selectors import filtered_entries, trail_table
from .services import record

EXPORT_LIMIT = 100_000  # a filter narrows a larger trail; the page says so


def _entries(request):
    if not request.user.sees_everything:
        raise PermissionDenied(_("审计日志供省级用户和审计人员查看。"))
    form = TrailFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filtered_entries(**{k: v for k, v in filters.items() if v not in (None, "")})


def audit_log(request):
    form, entries = _entries(request)
    page = Paginator(entries.select_related(None), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()})


def audit_export(request, fmt: str):
    _form, entries = _entries(request)
    table = trail_table(entries[:EXPORT_LIMIT])
    record(
        Kind.AUDIT_EXPORTED,
        f"导出审计日志 {len(table.frame)} 条（{fmt.upper()}）",
        request=request,
        after={"filters": request.GET.dict(), "rows": len(table.frame), "format": fmt},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if fmt == "xlsx":
        out = io.BytesIO()
        write_xlsx([table], out)
        content, kind = out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, kind = csv_bytes(table), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response
