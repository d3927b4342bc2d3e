"""1. The province overview: the headline targets as cards, status counts per chapter, the city × target heat map,
and (fresher than the rest, built by the view) the quarter's submission completeness."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from progress.choices import Status

from .. import figures
from ..filters import Filters, filter_target_ids, quarter_code, quarter_label
from ..selectors import HEADLINE_SECTION, PlanMeta, progress_series
from .cells import Cell, Chart, Page, cell
from .charts import status_stack_chart
from .filter_bar import filter_bar
from .formatting import hover, missing, num, short_name, two
from .frames import known, quarter_rows, status_counts, with_approval
from .labels import Labels, area_name, group_label, indicator_cell, status_cell, status_tip

GROUP_ORDER = ["1", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3"]
COMPLETENESS_COLOURS = {
    "on_time": "#0072B2",
    "late": "#E69F00",
    "missing": "#D55E00",
    "rejected": "#882255",
    "pending": "#56B4E9",
    "not_due": "#E4E4E4",
}
COMPLETENESS_TEXT = {
    "on_time": gettext_lazy("按时"),
    "late": gettext_lazy("逾期提交"),
    "missing": gettext_lazy("未提交"),
    "rejected": gettext_lazy("被退回"),
    "pending": gettext_lazy("处理中"),
    "not_due": gettext_lazy("未到期"),
}


def overview_page(meta: PlanMeta, filters: Filters) -> Page:
    labels = Labels()
    rows = quarter_rows(meta, filters)
    kept = set(filter_target_ids(meta, filters))
    page = Page(_("全省进度总览"))
    headline, cards = _headline(meta, filters, rows, labels)
    page.charts.append(headline)
    page.context["cards"] = cards
    page.charts.append(_sections_chart(meta, filters, rows, kept, labels))
    page.charts.append(_heatmap_chart(meta, filters, rows, kept, labels))
    page.context["filters"] = filter_bar(
        meta, filters, labels, ["quarter", "section", "department", "special_column", "city"]
    )
    return page


def _headline(meta: PlanMeta, filters: Filters, rows: pd.DataFrame, labels: Labels) -> tuple[Chart, list[dict]]:
    """Headline cards: 一、总体目标, the province's rows, with a sparkline each; and the table of their series."""
    province = meta.province_id
    headline = [int(i) for i in meta.targets.index[meta.targets["group"] == HEADLINE_SECTION]]
    series = with_approval(
        meta, known(meta, progress_series(through=filters.period, area_ids=[province], target_ids=headline))
    )
    cards, table = [], []
    for target_id in headline:
        target = meta.targets.loc[target_id]
        mine = series[series["target_id"] == target_id]
        now = rows[(rows["target_id"] == target_id) & (rows["area_id"] == province)]
        link = reverse("dash_target", args=[target["code"]]) + filters.query(city=None)
        cards.append(_card(target, mine, now, link, labels, len(cards)))
        for r in mine.itertuples(index=False):
            table.append(
                [
                    cell(target["code"], "code", href=link),
                    cell(target["name"]),
                    cell(quarter_code(int(r.year), int(r.quarter)), "code"),
                    cell(num(r.actual), "num"),
                    cell(num(r.expected), "num"),
                    cell(num(r.target_value), "num"),
                    cell(target["unit"]),
                    status_cell(r, target["unit"], labels),
                    indicator_cell(target),
                ]
            )
    columns = [_("编号"), _("目标"), _("季度"), _("实际值"), _("序时进度值"), _("目标值"), _("单位"), _("状态")]
    columns.append(_("指标"))
    return Chart("headline", _("总体目标：全省最新值、序时进度与走势"), None, columns, table), cards


def _card(target, mine: pd.DataFrame, now: pd.DataFrame, link: str, labels: Labels, number: int) -> dict:
    """One headline target's card: latest value, where the line says it should be, the goal, a sparkline."""
    x = [quarter_code(int(y), int(q)) for y, q in zip(mine["year"], mine["quarter"], strict=True)]
    card = {"code": target["code"], "name": target["name"], "unit": target["unit"], "link": link}
    card["indicator"] = reverse("indicator_detail", args=[target["indicator_code"]])
    card["goal"] = target["value_display"]
    if len(now):
        row = next(now.itertuples(index=False))
        actual_from = "" if missing(row.actual_year) else quarter_label(int(row.actual_year), int(row.actual_quarter))
        card.update(
            actual=num(row.actual),
            actual_from=actual_from,
            expected=num(row.expected),
            status=status_cell(row, target["unit"], labels),
        )
    target_level = mine["target_value"].dropna()
    card["figure"] = figures.sparkline(
        x=x,
        actual=mine["actual"].tolist(),
        expected=mine["expected"].tolist(),
        target=float(target_level.iloc[-1]) if len(target_level) else None,
        names=(_("实际值"), _("序时进度值"), _("目标值")),
    )
    card["element_id"] = f"spark-{number}"
    card["data_id"] = f"spark-{number}-data"
    return card


def _sections_chart(meta: PlanMeta, filters: Filters, rows: pd.DataFrame, kept: set, labels: Labels) -> Chart:
    """Status counts per section (the province's row of each target)."""
    mine = rows[(rows["area_id"] == meta.province_id) & rows["target_id"].isin(kept)]
    mine = mine.assign(group=mine["target_id"].map(meta.targets["group"]))
    groups = [g for g in GROUP_ORDER if g in set(mine["group"])] + sorted(set(mine["group"]) - set(GROUP_ORDER))
    return status_stack_chart(
        "sections",
        _("各领域目标状态（全省）"),
        [group_label(meta, g) for g in groups],
        status_counts(mine["shown"], mine["group"], groups),
        labels,
        _("领域"),
        links=[reverse("dash_overview") + filters.query(section=g) for g in groups],
        note=_("每个目标计一次，取全省的状态；点击一个领域只看该领域。"),
    )


def _heatmap_chart(meta: PlanMeta, filters: Filters, rows: pd.DataFrame, kept: set, labels: Labels) -> Chart:
    """City × target: each cell the status shown (symbol and colour) and the schedule ratio, leading to the city
    page for that target (the province's row to the target page)."""
    province = meta.province_id
    areas = [province, *meta.reporting_area_ids]
    if filters.city:
        areas = [province, meta.area_by_code(filters.city)]
    city_rows = rows[rows["area_id"].isin(meta.reporting_area_ids) & rows["target_id"].isin(kept)]
    columns = [int(t) for t in dict.fromkeys(city_rows["target_id"])]
    cells = {(r.area_id, r.target_id): r for r in rows[rows["area_id"].isin(areas)].itertuples(index=False)}
    # What every cell of a column or row repeats, read from the frames once rather than once per cell.
    targets = {
        t: _HeatTarget(*row)
        for t, row in zip(
            columns, meta.targets.loc[columns, ["code", "name", "unit"]].itertuples(index=False), strict=True
        )
    }
    codes = meta.areas["code"].to_dict()
    x = [targets[t].code for t in columns]
    y = [_("全省") if a == province else area_name(meta, a, labels) for a in areas]
    statuses, tips, hrefs, table = [], [], [], []
    for a, area_label in zip(areas, y, strict=True):
        place = None if a == province else codes[a]
        row = [_heatmap_cell(filters, place, area_label, targets[t], cells.get((a, t)), labels) for t in columns]
        statuses.append([c.status for c in row])
        tips.append([c.tip for c in row])
        hrefs.append([c.href for c in row])
        table.append([cell(area_label), *[c.cell for c in row]])
    heatmap = None
    if columns:
        heatmap = figures.status_heatmap(
            x=x, y=y, statuses=statuses, hover=tips, links=hrefs, status_labels=labels.status
        )
    note = _(
        "颜色与符号表示状态（√ 已达标，○ 按序时推进，△ 有风险，▽ 明显滞后，× 倒退，! 逾期未完成，"
        "? 缺少基准值，– 无数据；* 为人工认定），表格中的数字为序时完成比（1 = 正好在序时进度线上）。"
        "点击单元格查看该城市该目标的详情。只对全省评估的目标见上方卡片和目标页。"
    )
    title = _("城市 × 目标：对照序时进度的进展")
    return Chart("heatmap", title, heatmap, [_("地区"), *x], table, note=note, wide=True)


class _HeatTarget(NamedTuple):
    code: str
    name: str
    unit: str


class _HeatCell(NamedTuple):
    status: str | None
    tip: str
    href: str
    cell: Cell


def _heatmap_cell(filters: Filters, place: str | None, area_label: str, target: _HeatTarget, r, labels: Labels):
    """One area (`place` its code, None for the province) × target of the heat map and its table; an empty cell where
    the area is not assessed."""
    if r is None:
        return _HeatCell(None, hover(f"{area_label} · {target.code}\n" + _("未评估")), "", cell(""))
    if place is None:
        href = reverse("dash_target", args=[target.code]) + filters.query(city=None)
    else:
        href = reverse("dash_city", args=[place]) + filters.query(city=None, target=target.code) + "#series"
    tip = status_tip(r, target.unit, labels)
    text = Status(r.shown).symbol + (" *" if r.override_status else "")
    text += f" {two(r.schedule_ratio)}" if not missing(r.schedule_ratio) else ""
    hover_text = hover(f"{area_label} · {target.code} {short_name(target.name, 30)}\n{tip}")
    return _HeatCell(r.shown, hover_text, href, cell(text, "status-cell", tip, href, r.shown))


def completeness_chart(areas, quarter: tuple[int, int], grid, meta: PlanMeta, labels: Labels) -> Chart:
    """Submission completeness of one quarter: how many cities sent their template on time, late, not at all."""
    order = list(COMPLETENESS_TEXT)
    by_status: dict[str, list[str]] = {s: [] for s in order}
    table = []
    for area in areas:
        c = grid[(area.pk, *quarter)]
        name = area.name_en if labels.english and area.name_en else area.name
        by_status[c.status].append(name)
        table.append(_completeness_row(area, name, c))
    shown = [s for s in order if by_status[s]]
    figure = figures.ranking_bars(
        labels=[str(COMPLETENESS_TEXT[s]) for s in shown],
        values=[len(by_status[s]) for s in shown],
        colours=[COMPLETENESS_COLOURS[s] for s in shown],
        text=[str(len(by_status[s])) for s in shown],
        hover=[hover(f"{COMPLETENESS_TEXT[s]}（{len(by_status[s])}）\n" + "、".join(by_status[s])) for s in shown],
        axis_title=_("城市数"),
    )
    return Chart(
        "completeness",
        _("%(quarter)s 数据报送完成情况") % {"quarter": quarter_label(*quarter)},
        figure,
        [_("地区"), _("报送情况"), _("首次被接受的上传时间"), _("上传")],
        table,
    )


def _completeness_row(area, name: str, c) -> list[Cell]:
    upload = c.upload
    return [
        cell(name, href=reverse("dash_city", args=[area.code])),
        cell(COMPLETENESS_TEXT[c.status], f"cell cell-{c.status}"),
        cell(upload.created_at.strftime("%Y-%m-%d %H:%M") if upload else "", "num"),
        cell(f"#{upload.pk}" if upload else "", href=reverse("upload_detail", args=[upload.pk]) if upload else ""),
    ]
