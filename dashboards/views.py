"""The dashboard pages: thin doors that check access, read the filters from the URL, and render or export a Page
built by dashboards.pages and cached per quarter, filters, language and progress version."""

from dataclasses import replace
from urllib.parse import quote, urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.localized import english
from indicators.periods import latest_closed_quarter, today
from progress import pending
from progress.selectors import latest_quarter, latest_reported_quarter
from uploads.selectors import completeness_grid

from . import pages
from .cache import latest_or_build, memoised, versioned
from .filters import parse_filters
from .pages import methodology
from .selectors import area_uploads, plan_meta

SPLIT = "<!--dash-split-->"
META_TIMEOUT = 10 * 60
COMPLETENESS_TIMEOUT = 60


def _meta():
    """The plan's frames, with their names in English on an English page."""
    if english():
        return memoised("meta-en", (), lambda: plan_meta().in_english(), META_TIMEOUT, plan_only=True)
    return memoised("meta", (), plan_meta, META_TIMEOUT, plan_only=True)


def _latest():
    return memoised("latest", (), latest_quarter, META_TIMEOUT)


def _filters(request, meta, latest, extra=None):
    """The filters of the request; a page opens on the latest quarter with data within the plan period."""
    reported = memoised("reported", (latest,), lambda: latest_reported_quarter(latest), META_TIMEOUT)
    return parse_filters(request.GET, meta, latest, extra, reported=reported)


def _own_city(request, **params) -> HttpResponse | None:
    """A city officer sees their own city's page only: cross-city pages send them there (see the package docs)."""
    user = request.user
    if user.sees_everything:
        return None
    if user.area_id is None:
        raise PermissionDenied(_("没有所属地区的账号不能查看看板。"))
    keep = {name: request.GET.get(name, "") for name in ("quarter", "target")}
    keep.update(params)
    query = urlencode({k: v for k, v in keep.items() if v})
    return redirect(reverse("dash_city", args=[user.area.code]) + (f"?{query}" if query else ""))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(chart, name: str, as_xlsx: bool) -> HttpResponse:
    """The chart's table as CSV (UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly) or,
    where the chart offers it, as XLSX."""
    if as_xlsx and chart.xlsx:
        response = HttpResponse(chart.xlsx_bytes(), content_type=XLSX)
        filename = f"{name}.xlsx"
    else:
        response = HttpResponse(("\ufeff" + chart.csv_text()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        filename = f"{name}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _respond(
    request, name: str, filters, parts: tuple, build, *, live_charts=(), extra=None, body_extra=None, file_label=""
) -> HttpResponse:
    """Render (or, with ?export=<chart>, export as CSV) the page `build` makes. The rendered HTML is cached apart
    from the Page itself, so that a warm request reads one string and never unpickles the figures."""
    key = (get_language(), name, filters.cache_parts(), *parts)
    export_base = filters.query(quarter=filters.quarter_code) + "&export="
    export = request.GET.get("export")
    if export:
        page = versioned(f"page:{name}", key, build)
        chart = page.chart(export) or next((c for c in live_charts if c.key == export), None)
        if chart is None:
            raise Http404(_("没有这个图表。"))
        file_name = "-".join(p for p in (name, file_label, export, filters.quarter_code) if p)
        return _download(chart, file_name, request.GET.get("format") == "xlsx")

    def body() -> dict:
        page = versioned(f"page:{name}", key, build)
        context = {"page": page, **page.context, "path": request.path, "export_base": export_base, **(body_extra or {})}
        html = render_to_string(f"dashboards/{name}.html", context)
        return {"title": page.title, "html": html, "plots": 'data-figure="' in html}

    cached, fresh = latest_or_build(f"html:{name}", (*key, request.path), body)
    top, _split, main = cached["html"].partition(SPLIT)
    context = {
        "title": cached["title"],
        "top": top,
        "main": main,
        "live_charts": live_charts,
        "plots": cached["plots"] or bool(live_charts),
        "export_base": export_base,
        "plan_period": pages.plan_period(_meta(), filters),
        "path": request.path,
        "updating": not fresh or pending.is_waiting(),
        **(extra or {}),
    }
    return render(request, "dashboards/page.html", context)


def _no_data(request):
    return render(request, "dashboards/empty.html", status=200)


def overview(request):
    if (elsewhere := _own_city(request)) is not None:
        return elsewhere
    meta, latest = _meta(), _latest()
    if latest is None:
        return _no_data(request)
    filters = _filters(request, meta, latest)

    def completeness():
        areas, _quarters, grid = completeness_grid(start=filters.period, end=filters.period, today=today())
        return pages.completeness_chart(areas, filters.period, grid, meta, pages.Labels())

    # Uploads are not in the Progress table: the completeness chart lives a minute in the cache, not a version.
    live = [versioned("completeness", (get_language(), filters.period, today()), completeness, COMPLETENESS_TIMEOUT)]
    return _respond(request, "overview", filters, (), lambda: pages.overview_page(meta, filters), live_charts=live)


def city_index(request):
    """The officer's own city, or the first reporting city for provincial users."""
    meta = _meta()
    if not request.user.sees_everything:
        return _own_city(request)
    ids = meta.reporting_area_ids
    if not ids:
        raise Http404(_("没有报送地区。"))
    query = request.GET.urlencode()
    return redirect(reverse("dash_city", args=[meta.areas.loc[ids[0], "code"]]) + (f"?{query}" if query else ""))


def city(request, code: str):
    meta, latest = _meta(), _latest()
    area_id = meta.area_by_code(code)
    if area_id is None or area_id not in meta.reporting_area_ids:
        raise Http404(_("没有这个城市。"))
    if not (request.user.sees_everything or request.user.area_id == area_id):
        raise PermissionDenied(_("市级用户只能查看本市的看板。"))
    if latest is None:
        return _no_data(request)
    filters = _filters(request, meta, latest, {"target": lambda v: meta.target_by_code(v) is not None})
    latest_upload, quarter_upload = area_uploads(area_id=area_id, year=filters.year, quarter=filters.quarter)
    uploads = {"latest_upload": latest_upload, "quarter_upload": quarter_upload, "area_id": area_id}
    return _respond(
        request,
        "city",
        filters,
        (code, request.user.sees_everything),  # a city officer's page has no link to the cross-city pages
        lambda: pages.city_page(meta, filters, area_id),
        extra={"uploads": uploads},
        body_extra={"cross_city": request.user.sees_everything},
    )


def league(request):
    if (elsewhere := _own_city(request)) is not None:
        return elsewhere
    meta, latest = _meta(), _latest()
    if latest is None:
        return _no_data(request)
    filters = _filters(request, meta, latest, {"target": lambda v: meta.target_by_code(v) is not None})
    return _respond(request, "league", filters, (), lambda: pages.league_page(meta, filters))


def departments(request):
    if (elsewhere := _own_city(request)) is not None:
        return elsewhere
    meta, latest = _meta(), _latest()
    if latest is None:
        return _no_data(request)
    filters = _filters(request, meta, latest, {"role": lambda v: v == "lead"})
    return _respond(request, "departments", filters, (), lambda: pages.ranking_page(meta, filters))


def department(request, code: str):
    if (elsewhere := _own_city(request)) is not None:
        return elsewhere
    meta, latest = _meta(), _latest()
    if code not in meta.departments.index:
        raise Http404(_("没有这个部门。"))
    if latest is None:
        return _no_data(request)
    filters = _filters(request, meta, latest)
    return _respond(request, "department", filters, (code,), lambda: pages.department_page(meta, filters, code))


def target_index(request):
    meta = _meta()
    headline = meta.targets.index[meta.targets["group"] == "1"]
    first = headline[0] if len(headline) else (meta.targets.index[0] if len(meta.targets) else None)
    if first is None:
        raise Http404(_("方案尚未载入。"))
    return redirect("dash_target", code=meta.targets.loc[first, "code"])


def target(request, code: str):
    if (elsewhere := _own_city(request, target=code)) is not None:
        return elsewhere
    meta, latest = _meta(), _latest()
    target_id = meta.target_by_code(code)
    if target_id is None:
        raise Http404(_("没有这个目标。"))
    if latest is None:
        return _no_data(request)
    filters = _filters(request, meta, latest)
    return _respond(request, "target", filters, (code,), lambda: pages.target_page(meta, filters, target_id))


def city_map(request):
    if (elsewhere := _own_city(request)) is not None:
        return elsewhere
    meta, latest = _meta(), _latest()
    if latest is None:
        return _no_data(request)
    codes = set(meta.indicators.loc[pages.map_indicators(meta), "code"])
    extra = {
        "indicator": lambda v: v in codes,
        "target": lambda v: meta.target_by_code(v) is not None,
        "colour": lambda v: v in ("status", "gap"),
        "level": lambda v: v == "county",
    }
    filters = _filters(request, meta, latest, extra)
    return _respond(request, "map", filters, (), lambda: pages.map_page(meta, filters))


def help_progress(request):
    """方法说明: what the figures mean, in plain words and a worked example, in the reader's language."""
    example = methodology.example_chart()
    if request.GET.get("export") == example.key:
        return _download(example, "methodology-example", as_xlsx=False)
    context = {"example": example, "statuses": methodology.status_meanings(), "export_base": "?export="}
    return render(request, "dashboards/methodology.html", context)


def plan(request):
    """The home page: the plan's own text with every quantified commitment marked with its live status in the
    chosen quarter and area (pages.plan). Provincial users choose the province or any reporting area; a city
    officer sees their own city's statuses. Without any progress yet the text is shown with its commitments
    marked but not judged."""
    meta = _meta()
    if meta.province_id is None:
        raise Http404(_("方案尚未载入。"))
    user = request.user
    if user.sees_everything:
        choices = [meta.province_id, *meta.reporting_area_ids]
    elif user.area_id in meta.areas.index:
        choices = [user.area_id]
    else:
        raise PermissionDenied(_("没有所属地区的账号不能查看方案进展。"))
    by_code = {meta.areas.loc[a, "code"]: a for a in choices}
    years = {str(int(y)) for y in meta.targets["target_year"]}
    latest = _latest() or latest_closed_quarter(today())
    extra = {"area": lambda v: v in by_code, "target_year": lambda v: v in years}
    filters = _filters(request, meta, latest, extra)
    area_id = by_code.get(filters.get("area"), choices[0])
    officer = not user.sees_everything

    def build():
        return pages.plan_page(meta, filters, area_id, officer=officer, area_choices=choices)

    body = {"no_progress": _latest() is None, "officer": officer}
    return _respond(request, "plan", filters, (area_id, officer), build, body_extra=body)


def indicator_index(request):
    """Every indicator, each leading to its page."""
    meta = _meta()
    filters = _filters(request, meta, _latest() or latest_closed_quarter(today()))
    return _respond(request, "indicator_index", filters, (), lambda: pages.indicator_index_page(meta))


def indicator_detail(request, code: str):
    """One indicator's page (pages.indicator). A city officer sees their own city's rows (and its counties') and
    their city's statuses; provincial users see every area and may narrow it to one city."""
    meta = _meta()
    ids = meta.indicators.index[meta.indicators["code"] == code]
    if not len(ids):
        raise Http404(_("没有这个指标。"))
    user = request.user
    own = None if user.sees_everything else user.area_id
    if own is None and not user.sees_everything:
        raise PermissionDenied(_("没有所属地区的账号不能查看看板。"))
    filters = _filters(request, meta, _latest() or latest_closed_quarter(today()))
    if own is not None:
        filters = replace(filters, city="")  # one city's rows: no other city to choose

    def build():
        return pages.indicator_page(meta, filters, int(ids[0]), own)

    return _respond(request, "indicator", filters, (code, own), build, file_label=code)
