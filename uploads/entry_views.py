"""The web data entry pages: choose a quarter, then type its values (uploads.entry does the work)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from indicators.models import Area
from indicators.periods import period_label, submission_deadline

from .entry import EntryClosed, check_entry_allowed, entry_fields, submit_entry, take_typed
from .forms import PeriodForm
from .services import UploadRefused


def _may_enter(user) -> None:
    if not (user.is_city_officer or user.is_provincial_admin):
        raise PermissionDenied(_("只有市级填报员和系统管理员可以在线填报数据。"))


def entry_start(request):
    """Pick the area (an officer: their own city) and the quarter; the form opens for it."""
    _may_enter(request.user)
    chosen = "quarter" in request.GET  # a link may name the area and year alone, to start the choice from them
    initial = {k: v for k, v in request.GET.items() if k in ("area", "year")}
    form = PeriodForm(request.GET if chosen else None, initial=initial, user=request.user)
    if chosen and form.is_valid():
        data = form.cleaned_data
        return redirect("data_entry", area_code=data["area"].code, year=data["year"], quarter=data["quarter"])
    return render(request, "uploads/entry_start.html", {"form": form})


def data_entry(request, area_code, year, quarter):
    _may_enter(request.user)
    area = get_object_or_404(Area, code=area_code)
    try:
        locked = check_entry_allowed(user=request.user, area=area, year=year, quarter=quarter)
    except UploadRefused as refusal:
        raise PermissionDenied(str(refusal)) from None
    except EntryClosed:
        raise Http404(_("该季度不在可填报的范围内。")) from None
    context = {
        "area": area,
        "year": year,
        "quarter": quarter,
        "period": period_label(year, quarter),
        "deadline": submission_deadline(year, quarter),
    }
    if locked:  # the same words an upload of this quarter gets, and no form
        return render(request, "uploads/entry.html", {**context, "refusal": locked}, status=403)
    fields = entry_fields(area, year, quarter)
    errors = []
    if request.method == "POST":
        take_typed(fields, request.POST)
        try:
            result = submit_entry(user=request.user, area=area, year=year, quarter=quarter, fields=fields)
        except UploadRefused as refusal:  # locked between opening the form and sending it
            return render(request, "uploads/entry.html", {**context, "refusal": str(refusal)}, status=403)
        if result.upload is not None:
            return redirect("upload_detail", pk=result.upload.pk)
        errors = result.errors
    wrong = [entry for entry in fields if entry.errors]
    return render(
        request,
        "uploads/entry.html",
        {**context, "fields": fields, "errors": errors, "wrong": wrong},
        status=400 if errors or wrong else 200,
    )
