"""6. An indicator's page (after Open SDG's indicator pages): what it measures and how it is checked, who reports it
and by when, the plan's sentences and targets that use it with their status, every area's values over the quarters
against the target lines, and the table of every value with the upload it came from. And the index of indicators."""

from __future__ import annotations

import pandas as pd
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from common.times import local_iso
from indicators.models import Area, Indicator
from indicators.periods import quarters_between, submission_deadline
from progress.choices import Status
from targets.plan_text import sentence_around

from .. import figures
from ..filters import Filters, quarter_code
from ..selectors import PlanMeta, indicator_observations
from .cells import Chart, Page, cell
from .charts import count_summary
from .filter_bar import filter_bar
from .formatting import missing, num
from .frames import quarter_rows
from .labels import Labels, area_name, goal_text, indicator_text, status_cell, target_name


def exact(value) -> str:
    """A reported value as it was stored (up to ten significant digits), not rounded for a chart."""
    return "" if missing(value) else f"{float(value):.10g}"


def visible_areas(meta: PlanMeta, own_area_id: int | None) -> list[int] | None:
    """The areas whose rows a viewer sees: all (None) for provincial users; a city officer's city and its counties."""
    if own_area_id is None:
        return None
    parents = meta.areas["parent_id"]
    return [own_area_id, *[int(a) for a in meta.areas.index[parents == own_area_id]]]


def indicator_index_page(meta: PlanMeta) -> Page:
    """Every indicator with its unit, kind, who reports it and how many of the plan's targets it measures."""
    labels = Labels()
    page = Page(_("指标"))
    counts = meta.targets["indicator_id"].value_counts()
    rows = []
    for indicator_id, row in meta.indicators.iterrows():
        name, unit = indicator_text(meta, indicator_id, labels)
        link = reverse("indicator_detail", args=[row["code"]])
        rows.append(
            [
                cell(row["code"], "code", href=link),
                cell(name, href=link),
                cell(unit),
                cell(Indicator.Kind(row["kind"]).label),
                cell(Indicator.Direction(row["direction"]).label),
                cell(Indicator.ReportedBy(row["reported_by"]).label),
                cell(_("是") if row["seasonal"] else ""),
                cell(int(counts.get(indicator_id, 0)), "num"),
            ]
        )
    columns = [_("指标代码"), _("指标名称"), _("单位"), _("类型"), _("方向"), _("填报主体"), _("季节性"), _("目标数")]
    page.charts.append(Chart("indicators", _("全部指标（%(n)s 项）") % {"n": len(rows)}, None, columns, rows))
    return page


def indicator_page(meta: PlanMeta, filters: Filters, indicator_id: int, own_area_id: int | None) -> Page:
    """own_area_id: a city officer's city (their rows only, their city's statuses); None for provincial users."""
    labels = Labels()
    name, unit = indicator_text(meta, indicator_id, labels)
    page = Page(name)
    areas = visible_areas(meta, own_area_id)
    if own_area_id is None and filters.city:
        areas = visible_areas(meta, meta.area_by_code(filters.city))
        areas = [meta.province_id, *areas] if meta.province_id is not None else areas
    values = indicator_observations(indicator_id=indicator_id, through=filters.period, area_ids=areas)
    values = values[values["area_id"].isin(meta.areas.index)]
    judged_in = own_area_id if own_area_id is not None else meta.province_id
    uses = _uses(meta, filters, indicator_id, judged_in, own_area_id is None, labels)
    page.context.update(
        facts=_facts(meta, indicator_id, filters, labels),
        uses=uses,
        status_area=_("全省") if judged_in == meta.province_id else area_name(meta, judged_in, labels),
        officer_view=own_area_id is not None,
    )
    page.charts.append(_values_chart(meta, filters, values, uses, name, unit, labels))
    page.charts.append(_values_table(meta, values, unit, own_area_id, labels))
    fields = ["quarter"] if own_area_id is not None else ["quarter", "city"]
    page.context["filters"] = filter_bar(meta, filters, labels, fields)
    return page


def _facts(meta: PlanMeta, indicator_id: int, filters: Filters, labels: Labels) -> list[tuple[str, str]]:
    """The definition, as rows of (label, text)."""
    row = meta.indicators.loc[indicator_id]
    _name, unit = indicator_text(meta, indicator_id, labels)
    seasonal = _("是：年内累计值随季节波动，按全年值评估状态，年内按同比比较") if row["seasonal"] else _("否")
    max_change = _("未设定") if missing(row["max_change"]) else f"± {num(row['max_change'])} {unit}"
    deadline = submission_deadline(filters.year, filters.quarter)
    return [
        (_("指标代码"), row["code"]),
        (_("指标名称"), row["name"] if not labels.english else row["name_en"] or row["name"]),
        (_("英文名称"), row["name_en"]),
        (_("单位"), unit),
        (_("类型"), str(Indicator.Kind(row["kind"]).label)),
        (_("方向"), str(Indicator.Direction(row["direction"]).label)),
        (_("有效范围"), f"{num(row['min_value'])} – {num(row['max_value'])} {unit}"),
        (_("季节性"), seasonal),
        (_("环比合理变化幅度"), max_change),
        (_("全省汇总方式"), str(Indicator.Aggregation(row["aggregation"]).label)),
        (_("填报主体"), str(Indicator.ReportedBy(row["reported_by"]).label)),
        (
            _("报送期限"),
            _("每季度结束后 %(days)s 天内；%(quarter)s的期限为 %(date)s")
            % {"days": settings.UPLOAD_DEADLINE_DAYS, "quarter": filters.quarter_label, "date": deadline.isoformat()},
        ),
    ]


def _uses(meta: PlanMeta, filters: Filters, indicator_id: int, area_id, counts: bool, labels: Labels) -> list[dict]:
    """The targets on this indicator (plan order): their sentence, goal and status in `area_id` for the quarter, and
    (for provincial users) how the reporting areas stand."""
    rows = quarter_rows(meta, filters)
    on = [int(t) for t in meta.targets.index[meta.targets["indicator_id"] == indicator_id]]
    mine = rows[rows["target_id"].isin(on)]
    uses = []
    for target_id in on:
        t = meta.targets.loc[target_id]
        here = mine[(mine["target_id"] == target_id) & (mine["area_id"] == area_id)]
        cities = mine[(mine["target_id"] == target_id) & mine["area_id"].isin(meta.reporting_area_ids)]
        summary = ""
        if counts and len(cities):
            tally = {s.value: int((cities["shown"] == s.value).sum()) for s in Status}
            summary = count_summary(tally, labels)
        sentence = sentence_around(int(t["source_offset"]), len(t["source_text"]))
        uses.append(
            {
                "code": t["code"],
                "name": target_name(meta, target_id, labels),
                "goal": goal_text(meta, target_id, labels),
                "year": int(t["target_year"]),
                "sentence": sentence.partition(t["source_text"]),
                "status": status_cell(next(here.itertuples(index=False)), t["unit"], labels) if len(here) else None,
                "target_value": float(here["target_value"].iloc[0]) if len(here) else None,
                "cities": summary,
            }
        )
    return uses


def _values_chart(meta: PlanMeta, filters: Filters, values: pd.DataFrame, uses, name, unit, labels) -> Chart:
    """Every area's reported value over the quarters, and a dotted line at each target's level."""
    if len(values):
        first = (int(values["year"].min()), int(values.loc[values["year"] == values["year"].min(), "quarter"].min()))
    else:
        first = filters.period
    quarters = [quarter_code(*q) for q in quarters_between(first, filters.period)]
    index = {q: i for i, q in enumerate(quarters)}
    traces, rows = [], []
    for i, (area_id, group) in enumerate(_by_area(meta, values)):
        series = [None] * len(quarters)
        for r in group.itertuples(index=False):
            series[index[quarter_code(int(r.year), int(r.quarter))]] = float(r.value)
        label = area_name(meta, area_id, labels)
        province = area_id == meta.province_id
        colour = "#1f2933" if province else figures.CITY_COLOURS[i % len(figures.CITY_COLOURS)]
        traces.append({"name": label, "y": series, "colour": colour, "width": 3 if province else 1.5, "marker_size": 4})
        rows.append([cell(label), *[cell(exact(v), "num") for v in series]])
    for use in uses:
        if use["target_value"] is None or not quarters:
            continue
        level = [use["target_value"]] * len(quarters)
        title = _("目标 %(code)s：%(value)s") % {"code": use["code"], "value": num(use["target_value"])}
        traces.append({"name": title, "y": level, "colour": "#c0392b", "dash": "dot", "mode": "lines"})
        rows.append([cell(title), *[cell(exact(v), "num") for v in level]])
    figure = figures.line_chart(x=quarters, traces=traces, y_title=unit, height=460) if traces else None
    return Chart(
        "chart",
        _("%(name)s：各地区历季数值（%(unit)s，年内累计）") % {"name": name, "unit": unit},
        figure,
        [_("地区"), *quarters],
        rows,
        note=_(
            "数值为各地区上报的年内累计值（1—3月、1—6月、1—9月、全年）；虚线为各目标的目标值。点击图例可隐藏某个地区。"
        ),
        wide=True,
    )


def _by_area(meta: PlanMeta, values: pd.DataFrame):
    """(area_id, rows) in the areas' order: the province, the cities, then the county-level areas."""
    order = {int(a): i for i, a in enumerate(meta.areas.index)}
    for area_id in sorted(set(values["area_id"].astype(int)), key=lambda a: order[a]):
        yield area_id, values[values["area_id"] == area_id]


def _values_table(meta: PlanMeta, values: pd.DataFrame, unit: str, own_area_id, labels: Labels) -> Chart:
    """Every area × quarter: the value, the upload it came from and who sent it, and the note beside it."""
    rows = []
    for area_id, group in _by_area(meta, values):
        label = area_name(meta, area_id, labels)
        level = meta.areas.loc[area_id, "level"]
        for r in group.itertuples(index=False):
            visible = own_area_id is None or r.upload_area_id == own_area_id
            link = reverse("upload_detail", args=[int(r.upload_id)]) if visible else ""
            who = f"{r.last_name}{r.first_name}".strip() if not labels.english else f"{r.first_name} {r.last_name}"
            rows.append(
                [
                    cell(label, "hl" if level == Area.Level.PROVINCE else ""),
                    cell(quarter_code(int(r.year), int(r.quarter)), "code"),
                    cell(exact(r.value), "num"),
                    cell(unit),
                    cell(f"#{int(r.upload_id)}", "code", href=link),
                    cell(r.file_name, "typed"),  # what people typed: marked Chinese
                    cell(who.strip() or r.username, "typed"),
                    cell(local_iso(r.uploaded_at)),
                    cell(r.note, "typed"),
                ]
            )
    columns = [
        _("地区"),
        _("季度"),
        _("数值"),
        _("单位"),
        _("上传"),
        _("文件名"),
        _("上传人"),
        _("上传时间"),
        _("备注"),
    ]
    return Chart(
        "values",
        _("各地区各季度数值及其来源（%(n)s 条）") % {"n": len(rows)},
        None,
        columns,
        rows,
        note=_("每个数值均为现行值，注明其所属上传、文件名、上传人和上传时间（北京时间）；点击上传编号查看该次上传。"),
        xlsx=True,
        table_open=True,
    )
