"""4. A target's page: the plan's sentence and who answers for it, the province's trend, every area's gap to the
target, and every area's trend."""

from __future__ import annotations

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from progress.choices import Status
from progress.selectors import year_strip, yearly_records
from targets.models import Responsibility, Target
from targets.plan_text import sentence_around

from .. import figures
from ..filters import Filters, all_quarters, quarter_code
from ..selectors import PlanMeta, progress_series
from .cells import Chart, Page, cell
from .charts import legend_for, series_charts, years_chart
from .filter_bar import filter_bar
from .formatting import hover, missing, num, num_marked, pct
from .frames import known, with_approval
from .labels import Labels, approved_of, area_name, department_name, shown_status, status_cell, status_tip


def target_page(meta: PlanMeta, filters: Filters, target_id: int) -> Page:
    labels = Labels()
    province = meta.province_id
    t = meta.targets.loc[target_id]
    page = Page(f"{t['code']} {t['name']}")
    series = with_approval(meta, known(meta, progress_series(through=filters.period, target_ids=[target_id])))
    series = series.assign(shown=shown_status(series))
    page.context["plan"] = _plan_facts(meta, t, target_id, labels)
    mine = series[series["area_id"] == province]
    page.charts += series_charts(meta, mine, target_id, labels, "province-")
    now = series[(series["year"] == filters.year) & (series["quarter"] == filters.quarter)]
    if len(mine):
        current = now[now["area_id"] == province]
        if len(current):
            page.context["province_status"] = status_cell(next(current.itertuples(index=False)), t["unit"], labels)
    if t["recurrence"] == Target.Recurrence.YEARLY:
        page.charts.append(_years(meta, filters, t, target_id, labels, page.context["plan"]))
    page.charts.append(_gaps_chart(meta, filters, t, now[now["area_id"] != province], labels))
    page.charts.append(_trends_chart(meta, filters, t, series[series["area_id"] != province], mine, labels))
    page.context["filters"] = filter_bar(meta, filters, labels, ["quarter", "city"])
    return page


def _plan_facts(meta: PlanMeta, t, target_id: int, labels: Labels) -> dict:
    """The target as the plan states it: the sentence it is quoted from, its chapter, and who answers for it."""
    sentence = sentence_around(int(t["source_offset"]), len(t["source_text"]))
    held = meta.responsibilities[meta.responsibilities["target_id"] == target_id]

    def departments(role) -> list[tuple[str, str]]:
        return [(d, department_name(meta, d, labels)) for d in held.loc[held["role"] == role, "department"]]

    in_plan = t["section"] in meta.sections.index
    return {
        "code": t["code"],
        "name": t["name"],
        "goal": t["value_display"],
        "year": int(t["target_year"]),
        "years": f"{int(t['first_year'])}—{int(t['last_year'])}" if t["recurrence"] == Target.Recurrence.YEARLY else "",
        "binding": bool(t["binding"]),
        "sentence": sentence.partition(t["source_text"]),
        "section": f"{t['section']} {meta.sections.loc[t['section'], 'title']}" if in_plan else "",
        "special_column": None if missing(t["special_column"]) else int(t["special_column"]),
        "project": t["project"] if isinstance(t["project"], str) else "",
        "indicator": t["indicator_name"],
        "indicator_code": t["indicator_code"],
        "lead": departments(Responsibility.Role.LEAD),
        "cooperating": departments(Responsibility.Role.COOPERATING),
    }


def _years(meta: PlanMeta, filters: Filters, t, target_id: int, labels: Labels, plan: dict) -> Chart:
    """A yearly duty year by year in every area it is assessed for, the province first; the province's strip goes
    into the plan facts."""
    records = yearly_records(year=filters.year, quarter=filters.quarter, target_ids=[target_id])
    areas = [a for a in [meta.province_id, *meta.reporting_area_ids, *meta.areas.index] if (target_id, a) in records]
    areas = list(dict.fromkeys(areas))
    if filters.city:
        areas = [a for a in areas if a in (meta.province_id, meta.area_by_code(filters.city))]
    plan["strip"] = year_strip(records.get((target_id, meta.province_id), []))

    def link(area_id: int) -> str:
        if area_id not in meta.reporting_area_ids:
            return ""
        code = meta.areas.loc[area_id, "code"]
        return reverse("dash_city", args=[code]) + filters.query(city=None, target=t["code"]) + "#series"

    return years_chart(
        "years",
        _("各地区逐年完成情况（截至%(quarter)s）") % {"quarter": filters.quarter_label},
        [_("全省") if a == meta.province_id else area_name(meta, a, labels) for a in areas],
        [records[(target_id, a)] for a in areas],
        [t["unit"]] * len(areas),
        labels,
        _("地区"),
        links=[link(a) for a in areas],
    )


def _gaps_chart(meta: PlanMeta, filters: Filters, t, others: pd.DataFrame, labels: Labels) -> Chart:
    """Areas ranked by gap to the target in the chosen quarter (largest first)."""
    if filters.city:
        others = others[others["area_id"] == meta.area_by_code(filters.city)]
    others = others.sort_values(["gap", "area_id"], ascending=[False, True], na_position="last")
    bars, table = figures.RankingBars(), []
    for rank, r in enumerate(others.itertuples(index=False), start=1):
        name = area_name(meta, r.area_id, labels)
        code = meta.areas.loc[r.area_id, "code"]
        link = ""
        if r.area_id in meta.reporting_area_ids:
            link = reverse("dash_city", args=[code]) + filters.query(city=None, target=t["code"]) + "#series"
        status = Status(r.shown)
        bars.add(
            label=f"{rank}. {name} {status.symbol}",
            value=None if missing(r.gap) else float(r.gap),
            colour=status.colour,
            text=f"{num(r.gap)} · {labels.status_text(r)}",
            hover=hover(f"{name}\n{status_tip(r, t['unit'], labels)}"),
            link=link,
        )
        table.append(
            [
                cell(rank, "num"),
                cell(name, href=link),
                status_cell(r, t["unit"], labels),
                cell(num(r.gap), "num"),
                cell(pct(r.gap_share), "num"),
                cell(num_marked(r.actual, approved_of(r)), "num"),
                cell(num(r.expected), "num"),
                cell(num(r.target_value), "num"),
            ]
        )
    figure = None
    if bars:
        axis = _("距目标差距（%(unit)s；≤ 0 为已达到）") % {"unit": t["unit"]}
        figure = figures.ranking_bars(**bars.series(), axis_title=axis)
    columns = [_("名次"), _("地区"), _("状态"), _("距目标差距"), _("差距占全程比例"), _("实际值"), _("序时进度值")]
    return Chart(
        "gaps",
        _("各地区距目标差距（%(quarter)s，%(unit)s）") % {"quarter": filters.quarter_label, "unit": t["unit"]},
        figure,
        [*columns, _("目标值")],
        table,
        note=_("差距 = 目标值与实际值之差（按目标方向），差距最大的排在最前。"),
        legend=legend_for(others),
    )


def _trends_chart(meta: PlanMeta, filters: Filters, t, trend: pd.DataFrame, mine: pd.DataFrame, labels) -> Chart:
    """Each area's judged value over the quarters, and the province's target level."""
    if filters.city:
        trend = trend[trend["area_id"] == meta.area_by_code(filters.city)]
    quarters = [quarter_code(*q) for q in all_quarters(filters.period)]
    index = {q: i for i, q in enumerate(quarters)}

    def by_quarter(rows: pd.DataFrame, column: str) -> list:
        values = [None] * len(quarters)
        for r in rows.itertuples(index=False):
            value = getattr(r, column)
            values[index[quarter_code(int(r.year), int(r.quarter))]] = None if missing(value) else value
        return values

    traces, table = [], []
    for i, (area_id, group) in enumerate(trend.groupby("area_id", sort=False)):
        values = [None if v is None else float(v) for v in by_quarter(group, "actual")]
        name = area_name(meta, int(area_id), labels)
        colour = figures.CITY_COLOURS[i % len(figures.CITY_COLOURS)]
        traces.append({"name": name, "y": values, "colour": colour, "width": 1.5, "marker_size": 4})
        table.append([cell(name), *[cell(num(v), "num") for v in values]])
    if traces and len(mine):
        level = by_quarter(mine, "target_value")
        traces.append({"name": _("全省目标值"), "y": level, "colour": "#c0392b", "dash": "dot", "mode": "lines"})
        table.append([cell(_("全省目标值")), *[cell(num(v), "num") for v in level]])
    return Chart(
        "trends",
        _("各地区走势（评估值，%(unit)s）") % {"unit": t["unit"]},
        figures.line_chart(x=quarters, traces=traces, y_title=t["unit"], height=420) if traces else None,
        [_("地区"), *quarters],
        table,
        note=_("点击图例可隐藏或只看某个地区（双击）。"),
        wide=True,
    )
