"""Each dashboard page's charts and tables, built from the selectors' frames: what a view caches, renders and exports.

Every chart comes with the table of exactly its data: the page's table view and the chart's CSV download are the same
rows (see Chart). Statuses are shown as the administrator's override where one exists (it replaces the computed status),
always with the computed status and the inputs beside it (status_tip), and always as text or a symbol as well as a
colour.
"""

from __future__ import annotations

import csv
import html
import io
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from indicators.models import Indicator
from progress import rollup as rollups
from progress.models import BaselineSource, ProjectionStatus, Status
from targets.models import Responsibility, Section
from targets.plan_text import sentence_around

from . import figures
from .cache import versioned
from .filters import Filters, all_quarters, filter_target_ids, quarter_code, quarter_label
from .selectors import HEADLINE_SECTION, PlanMeta, indicator_values, progress_series, quarter_progress

# The tile-free map: each reporting unit's place on a rough grid of Liaoning (column west→east, row north→south).
TILE_GRID = {
    "210900": (2, 0),  # 阜新
    "211200": (4, 0),  # 铁岭
    "211300": (0, 1),  # 朝阳
    "210100": (3, 1),  # 沈阳
    "219900": (4, 1),  # 沈抚示范区
    "210400": (5, 1),  # 抚顺
    "210700": (1, 2),  # 锦州
    "211100": (2, 2),  # 盘锦
    "211000": (3, 2),  # 辽阳
    "210500": (4, 2),  # 本溪
    "211400": (0, 3),  # 葫芦岛
    "210800": (2, 3),  # 营口
    "210300": (3, 3),  # 鞍山
    "210600": (5, 3),  # 丹东
    "210200": (2, 4),  # 大连
}
BEHIND = ("at_risk", "off_track", "regressing", "overdue")
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
SCORE_BANDS = [  # sdg-build's bands of the mean score (docs/progress.md §10)
    (2.5, "#0072B2", gettext_lazy("显著进展")),
    (0.0, "#56B4E9", gettext_lazy("中等进展")),
    (-2.5, "#E69F00", gettext_lazy("进展有限")),
    (-math.inf, "#D55E00", gettext_lazy("恶化")),
]


# --------------------------------------------------------------------------------------------------------------------
# Tables and charts
# --------------------------------------------------------------------------------------------------------------------
def cell(text="", css: str = "", tip: str = "", href: str = "", badge: str = "") -> tuple:
    """A table cell: the text shown (and written to the CSV), its class, a hover tip, a link and a status badge."""
    return (str(text), css, tip, href, badge)


@dataclass
class Chart:
    key: str
    title: str
    figure: dict | None
    columns: list[str]
    rows: list[list[tuple]]
    note: str = ""
    wide: bool = False

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    def csv_text(self) -> str:
        """Exactly what the table view shows, as CSV."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([c[0] for c in row])
        return out.getvalue()


@dataclass
class Page:
    title: str
    charts: list[Chart] = field(default_factory=list)
    context: dict = field(default_factory=dict)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


# --------------------------------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------------------------------
def missing(value) -> bool:
    return value is None or (isinstance(value, float | np.floating) and not math.isfinite(value))


def num(value) -> str:
    if missing(value):
        return ""
    value = float(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:.4g}"
    if "e" in text:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text


def signed(value) -> str:
    """A change with its sign, to two decimals (同比)."""
    if missing(value):
        return ""
    value = round(float(value), 2)
    return ("+" if value > 0 else "") + num(value)


def pct(value) -> str:
    return "" if missing(value) else f"{float(value) * 100:.0f}%"


def two(value) -> str:
    return "" if missing(value) else f"{float(value):.2f}"


def hover(text: str) -> str:
    """Tip text for a Plotly hover label, escaped (Plotly reads a few HTML tags); its lines stay separated by "\n",
    which dashboards.js turns into <br> (short JSON: an escaped <br> costs 14 bytes)."""
    return html.escape(text, quote=False)


class Labels:
    """The translated labels a page needs, made once per build (in the request's language)."""

    def __init__(self):
        self.status = {s.value: str(s.label) for s in Status}
        self.baseline = {s.value: str(s.label) for s in BaselineSource}
        self.projection = {s.value: str(s.label) for s in ProjectionStatus}
        self.english = (get_language() or "").startswith("en")

    def status_text(self, row) -> str:
        """The status as shown, with its symbol: the override (marked *, the computed status beside it) where one
        exists, else the computed one."""
        shown = row.override_status or row.status
        text = f"{figures.STATUS_SYMBOLS[shown]} {self.status[shown]}"
        if row.override_status:
            text += " *" + _("（人工认定；计算：%(status)s）") % {"status": self.status[row.status]}
        return text


def status_tip(row, unit: str, labels: Labels) -> str:
    """The inputs a status was computed from (docs/progress.md), and the administrator's override beside it."""
    lines = []
    if row.override_status:
        lines.append(_("人工认定：%(status)s") % {"status": labels.status[row.override_status]})
        lines.append(_("认定理由：%(reason)s") % {"reason": row.override_reason})
        lines.append(_("计算状态：%(status)s") % {"status": labels.status[row.status]})
    else:
        lines.append(_("状态：%(status)s") % {"status": labels.status[row.status]})
    if missing(row.actual):
        lines.append(_("实际值：无"))
    else:
        period = "" if missing(row.actual_year) else quarter_label(int(row.actual_year), int(row.actual_quarter))
        lines.append(
            _("实际值：%(value)s %(unit)s（%(period)s）") % {"value": num(row.actual), "unit": unit, "period": period}
        )
        if not missing(row.actual_derived_from):
            lines.append(_("（由 %(count)d 个地区的数值汇总）") % {"count": int(row.actual_derived_from)})
    if not missing(row.ytd_value):
        lines.append(
            _("年内累计值：%(value)s；同比：%(change)s")
            % {"value": num(row.ytd_value), "change": signed(row.yoy_change)}
        )
    source = labels.baseline.get(row.baseline_source, row.baseline_source)
    lines.append(_("基准值：%(value)s（%(source)s）") % {"value": num(row.baseline) or "—", "source": source})
    lines.append(_("目标值：%(value)s") % {"value": num(row.target_value) or "—"})
    lines.append(_("时间进度：%(share)s") % {"share": pct(row.time_share) or "—"})
    lines.append(_("序时进度值：%(value)s") % {"value": num(row.expected) or "—"})
    lines.append(_("完成进度：%(ratio)s") % {"ratio": pct(row.progress_ratio) or "—"})
    lines.append(_("序时完成比：%(ratio)s") % {"ratio": two(row.schedule_ratio) or "—"})
    return "\n".join(lines)


def status_cell(row, unit: str, labels: Labels, href: str = "") -> tuple:
    shown = row.override_status or row.status
    return cell(labels.status_text(row), "status-cell", status_tip(row, unit, labels), href, shown)


def shown_status(frame: pd.DataFrame) -> pd.Series:
    """The status each row shows: the override where one exists."""
    return frame["override_status"].where(frame["override_status"] != "", frame["status"])


def area_name(meta: PlanMeta, area_id: int, labels: Labels) -> str:
    row = meta.areas.loc[area_id]
    return row["name_en"] if labels.english and row["name_en"] else row["name"]


def department_name(meta: PlanMeta, code: str, labels: Labels) -> str:
    row = meta.departments.loc[code]
    return row["name_en"] if labels.english and row["name_en"] else row["name"]


def group_label(meta: PlanMeta, group: str) -> str:
    """蓝天, 碧水 … for the chapters of 二, the title for 一 and 三."""
    if group not in meta.sections.index:
        return group
    row = meta.sections.loc[group]
    if row["theme"]:
        return str(Section.Theme(row["theme"]).label)
    return row["title"]


def short_name(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------------------------------
# Shared reads (cached per quarter and progress version)
# --------------------------------------------------------------------------------------------------------------------
def quarter_frame(year: int, quarter: int) -> pd.DataFrame:
    return versioned("quarter", (year, quarter), lambda: quarter_progress(year, quarter))


def known(meta: PlanMeta, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of targets and areas the (cached) plan metadata knows: the two caches may briefly disagree after a plan
    edit, and a page then leaves the new row out rather than fail."""
    return rows[rows["target_id"].isin(meta.targets.index) & rows["area_id"].isin(meta.areas.index)]


def _quarter_rows(meta: PlanMeta, filters: Filters) -> pd.DataFrame:
    rows = known(meta, quarter_frame(filters.year, filters.quarter))
    rows = rows.assign(shown=shown_status(rows))
    order = meta.targets["order"]
    return rows.assign(_order=rows["target_id"].map(order)).sort_values(["_order", "area_id"], kind="stable")


# --------------------------------------------------------------------------------------------------------------------
# Filter bar
# --------------------------------------------------------------------------------------------------------------------
def filter_bar(meta: PlanMeta, filters: Filters, labels: Labels, fields: list[str], extra: dict | None = None) -> dict:
    """The filter form's fields (name, label, options as (value, text, selected)) and the quarter neighbours."""
    options: dict[str, tuple[str, list]] = {}
    quarters = list(reversed(all_quarters(filters.latest)))
    options["quarter"] = (
        _("季度"),
        [(quarter_code(*q), quarter_label(*q), q == filters.period) for q in quarters],
    )
    sections = [("", _("全部章节"), not filters.section)]
    for code, row in meta.sections.iterrows():
        indent = "　" * code.count(".")
        sections.append((code, f"{indent}{code} {short_name(row['title'], 18)}", code == filters.section))
    options["section"] = (_("章节"), sections)
    holders = set(meta.responsibilities["department"])
    departments = [("", _("全部部门"), not filters.department)]
    for code in meta.departments.index:
        if code in holders:
            departments.append((code, department_name(meta, code, labels), code == filters.department))
    options["department"] = (_("责任部门"), departments)
    columns = [("", _("全部专栏"), filters.special_column is None)]
    for number, row in meta.special_columns.iterrows():
        columns.append(
            (
                str(number),
                _("专栏%(n)s") % {"n": number} + " " + short_name(row["title"], 16),
                number == filters.special_column,
            )
        )
    options["special_column"] = (_("专栏"), columns)
    cities = [("", _("全部城市"), not filters.city)]
    for area_id in meta.reporting_area_ids:
        code = meta.areas.loc[area_id, "code"]
        cities.append((code, area_name(meta, area_id, labels), code == filters.city))
    options["city"] = (_("城市"), cities)
    options.update(extra or {})
    previous, following = filters.neighbours()
    return {
        "fields": [{"name": name, "label": options[name][0], "options": options[name][1]} for name in fields],
        "previous": previous,
        "following": following,
        "quarter_label": filters.quarter_label,
    }


def target_options(meta: PlanMeta, ids: list[int], selected: str, *, empty: str | None = None) -> list:
    options = [("", empty, not selected)] if empty is not None else []
    for target_id in ids:
        row = meta.targets.loc[target_id]
        options.append((row["code"], f"{row['code']} {short_name(row['name'], 26)}", row["code"] == selected))
    return options


# --------------------------------------------------------------------------------------------------------------------
# Charts shared by pages
# --------------------------------------------------------------------------------------------------------------------
def progress_chart(
    key: str,
    title: str,
    meta: PlanMeta,
    rows: pd.DataFrame,
    labels: Labels,
    link,
    *,
    role_of: dict | None = None,
    note: str = "",
) -> Chart:
    """Every target of `rows` (one area, or the province) as a progress bar with the 序时进度 marker."""
    bar_labels, ratios, shares, statuses, tips, links, table = [], [], [], [], [], [], []
    for row in rows.itertuples(index=False):
        target = meta.targets.loc[row.target_id]
        role = f"（{role_of[row.target_id]}）" if role_of else ""
        label = f"{target['code']} {short_name(target['name'], 20)}{role}"
        tip = status_tip(row, target["unit"], labels)
        ratio = row.progress_ratio
        if missing(ratio) and row.shown == "achieved":
            ratio = 1.0
        href = link(target)
        bar_labels.append(label)
        ratios.append(None if missing(ratio) else float(ratio))
        shares.append(None if missing(row.time_share) else float(row.time_share))
        statuses.append(row.shown)
        tips.append(hover(f"{target['code']} {target['name']}\n{tip}"))
        links.append(href)
        table.append(
            [
                cell(target["code"], "code", href=href),
                cell(target["name"] + role),
                status_cell(row, target["unit"], labels),
                cell(num(row.actual), "num"),
                cell(num(row.expected), "num"),
                cell(num(row.target_value), "num"),
                cell(target["unit"]),
                cell(pct(row.progress_ratio), "num"),
                cell(pct(row.time_share), "num"),
                cell(num(row.gap), "num"),
            ]
        )
    figure = (
        figures.progress_bars(
            labels=bar_labels,
            ratios=ratios,
            time_shares=shares,
            statuses=statuses,
            hover=tips,
            links=links,
            status_labels=labels.status,
            marker_name=_("序时进度（时间进度）"),
            axis_title=_("完成进度（已完成距离占全程的比例）"),
        )
        if bar_labels
        else None
    )
    columns = [
        _("编号"),
        _("目标"),
        _("状态"),
        _("实际值"),
        _("序时进度值"),
        _("目标值"),
        _("单位"),
        _("完成进度"),
        _("时间进度"),
        _("距目标差距"),
    ]
    return Chart(key, title, figure, columns, table, note=note)


def series_charts(meta: PlanMeta, series: pd.DataFrame, target_id: int, labels: Labels, prefix: str) -> list[Chart]:
    """One area's time series of a target: the judged value, the expected trajectory (序时进度值), the target level
    and the projection to the target year; and, for a seasonal indicator, its 同比 changes."""
    target = meta.targets.loc[target_id]
    unit = target["unit"]
    x = [quarter_code(int(r.year), int(r.quarter)) for r in series.itertuples(index=False)]
    tips = [hover(f"{x[i]}\n{status_tip(r, unit, labels)}") for i, r in enumerate(series.itertuples(index=False))]
    traces = [
        {"name": _("实际值（评估值）"), "y": series["actual"].tolist(), "colour": "#0b6e4f", "hover": tips, "width": 3},
        {"name": _("序时进度值"), "y": series["expected"].tolist(), "colour": "#8c959f", "dash": "dash"},
        {
            "name": _("目标值"),
            "y": series["target_value"].tolist(),
            "colour": "#c0392b",
            "dash": "dot",
            "mode": "lines",
        },
        {
            "name": _("趋势预测（目标年末）"),
            "y": series["projection"].tolist(),
            "colour": "#CC79A7",
            "dash": "dashdot",
            "symbol": "diamond-open",
        },
    ]
    seasonal = bool(target["seasonal"])
    if seasonal:
        traces.insert(
            1,
            {
                "name": _("年内累计值（1月至当季）"),
                "y": series["ytd_value"].tolist(),
                "colour": "#56B4E9",
                "dash": "dot",
                "symbol": "circle-open",
            },
        )
    figure = figures.line_chart(x=x, traces=traces, y_title=unit) if len(series) else None
    rows = []
    for i, r in enumerate(series.itertuples(index=False)):
        actual_from = "" if missing(r.actual_year) else quarter_code(int(r.actual_year), int(r.actual_quarter))
        rows.append(
            [
                cell(x[i], "code"),
                cell(num(r.actual), "num"),
                cell(actual_from, "code"),
                *([cell(num(r.ytd_value), "num")] if seasonal else []),
                cell(num(r.expected), "num"),
                cell(num(r.target_value), "num"),
                cell(num(r.projection), "num"),
                cell(labels.projection.get(r.projection_status, "")),
                status_cell(r, unit, labels),
            ]
        )
    columns = [
        _("季度"),
        _("实际值（评估值）"),
        _("实际值所属季度"),
        *([_("年内累计值")] if seasonal else []),
        _("序时进度值"),
        _("目标值"),
        _("趋势预测"),
        _("预测判断"),
        _("状态"),
    ]
    title = _("%(code)s %(name)s：走势（%(unit)s）") % {"code": target["code"], "name": target["name"], "unit": unit}
    note = _("评估值为该季度用于判断状态的数值（未报送时沿用此前最近一期；季节性指标在1—3季度沿用上年全年值）。")
    charts = [Chart(f"{prefix}series", title, figure, columns, rows, note=note)]
    if seasonal:
        lower = target["direction"] == Indicator.Direction.LOWER
        yoy = series["yoy_change"].tolist()
        better = [None if missing(v) else ((v < 0) if lower else (v > 0)) for v in yoy]
        words = {True: _("改善"), False: _("变差"), None: ""}
        colours = ["#0072B2" if b else ("#D55E00" if b is False else "#B0B0B0") for b in better]
        text = [f"{signed(v)} {words[b if v else None]}".strip() for v, b in zip(yoy, better, strict=True)]
        tips_yoy = [
            hover(_("%(q)s 年内累计值 %(v)s，同比 %(c)s") % {"q": x[i], "v": num(r.ytd_value), "c": text[i] or "—"})
            for i, r in enumerate(series.itertuples(index=False))
        ]
        yoy_figure = None
        if any(not missing(v) for v in yoy):
            yoy_figure = figures.column_chart(
                x=x,
                y=yoy,
                colours=colours,
                text=text,
                hover=tips_yoy,
                y_title=_("同比变化（%(unit)s）") % {"unit": unit},
            )
        yoy_rows = [
            [
                cell(x[i], "code"),
                cell(num(r.ytd_value), "num"),
                cell(signed(r.yoy_change), "num"),
                cell(words[better[i]]),
            ]
            for i, r in enumerate(series.itertuples(index=False))
        ]
        charts.append(
            Chart(
                f"{prefix}yoy",
                _("同比：年内累计值较上年同期的变化"),
                yoy_figure,
                [_("季度"), _("年内累计值"), _("同比变化"), _("判断")],
                yoy_rows,
                note=_("季节性指标按全年值评估状态；年内以同比衡量进展。"),
            )
        )
    return charts


def _rollup(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """engine.rollup on the statuses as shown (an override replaces the computed status)."""
    frame = rows.assign(status=rows["shown"]).drop(columns=[key])
    groups = rows[["target_id", "area_id", key]]
    return rollups.rollup(frame, groups, key)


def score_band(score: float) -> tuple[str, str]:
    for floor, colour, text in SCORE_BANDS:
        if not missing(score) and score >= floor:
            return colour, str(text)
    return figures.STATUS_COLOURS["no_data"], _("数据不足")


# --------------------------------------------------------------------------------------------------------------------
# 1. Province overview
# --------------------------------------------------------------------------------------------------------------------
def overview(meta: PlanMeta, filters: Filters) -> Page:
    labels = Labels()
    province = meta.province_id
    rows = _quarter_rows(meta, filters)
    kept = set(filter_target_ids(meta, filters))
    page = Page(_("全省进度总览"))

    # Headline cards: 一、总体目标, the province's rows, with a sparkline each.
    headline = [int(i) for i in meta.targets.index[meta.targets["group"] == HEADLINE_SECTION]]
    series = known(meta, progress_series(through=filters.period, area_ids=[province], target_ids=headline))
    cards, card_rows = [], []
    for target_id in headline:
        target = meta.targets.loc[target_id]
        mine = series[series["target_id"] == target_id]
        now = rows[(rows["target_id"] == target_id) & (rows["area_id"] == province)]
        x = [quarter_code(int(y), int(q)) for y, q in zip(mine["year"], mine["quarter"], strict=True)]
        link = reverse("dash_target", args=[target["code"]]) + filters.query(city=None)
        card = {"code": target["code"], "name": target["name"], "unit": target["unit"], "link": link}
        card["goal"] = target["value_display"]
        if len(now):
            row = next(now.itertuples(index=False))
            card.update(
                actual=num(row.actual),
                actual_from=""
                if missing(row.actual_year)
                else quarter_label(int(row.actual_year), int(row.actual_quarter)),
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
        card["element_id"] = f"spark-{len(cards)}"
        card["data_id"] = f"spark-{len(cards)}-data"
        cards.append(card)
        for r in mine.itertuples(index=False):
            card_rows.append(
                [
                    cell(target["code"], "code", href=link),
                    cell(target["name"]),
                    cell(quarter_code(int(r.year), int(r.quarter)), "code"),
                    cell(num(r.actual), "num"),
                    cell(num(r.expected), "num"),
                    cell(num(r.target_value), "num"),
                    cell(target["unit"]),
                    status_cell(r, target["unit"], labels),
                ]
            )
    page.charts.append(
        Chart(
            "headline",
            _("总体目标：全省最新值、序时进度与走势"),
            None,
            [_("编号"), _("目标"), _("季度"), _("实际值"), _("序时进度值"), _("目标值"), _("单位"), _("状态")],
            card_rows,
        )
    )
    page.context["cards"] = cards

    # Status counts per section (the province's row of each target).
    mine = rows[(rows["area_id"] == province) & rows["target_id"].isin(kept)]
    mine = mine.assign(group=mine["target_id"].map(meta.targets["group"]))
    groups = [g for g in GROUP_ORDER if g in set(mine["group"])] + sorted(set(mine["group"]) - set(GROUP_ORDER))
    counts = {
        s: [int(((mine["group"] == g) & (mine["shown"] == s)).sum()) for g in groups] for s in figures.STATUS_ORDER
    }
    names = [group_label(meta, g) for g in groups]
    links = [reverse("dash_overview") + filters.query(section=g) for g in groups]
    table = []
    for i in range(len(groups)):
        table.append(
            [cell(names[i], href=links[i])]
            + [cell(counts[s][i], "num") for s in reversed(figures.STATUS_ORDER)]
            + [cell(sum(counts[s][i] for s in figures.STATUS_ORDER), "num")]
        )
    page.charts.append(
        Chart(
            "sections",
            _("各领域目标状态（全省）"),
            figures.status_stack(
                categories=names, counts=counts, status_labels=labels.status, links=links, value_title=_("目标数")
            )
            if groups
            else None,
            [_("领域"), *[labels.status[s] for s in reversed(figures.STATUS_ORDER)], _("合计")],
            table,
            note=_("每个目标计一次，取全省的状态；点击一个领域只看该领域。"),
        )
    )

    # City × target heat map.
    areas = [province, *meta.reporting_area_ids]
    if filters.city:
        areas = [province, meta.area_by_code(filters.city)]
    city_rows = rows[rows["area_id"].isin(meta.reporting_area_ids) & rows["target_id"].isin(kept)]
    columns = [int(t) for t in dict.fromkeys(city_rows["target_id"])]
    cells = {(r.area_id, r.target_id): r for r in rows[rows["area_id"].isin(areas)].itertuples(index=False)}
    x = [meta.targets.loc[t, "code"] for t in columns]
    y = [_("全省") if a == province else area_name(meta, a, labels) for a in areas]
    statuses, tips, hrefs, table = [], [], [], []
    for a, area_label in zip(areas, y, strict=True):
        s_row, t_row, l_row, cells_row = [], [], [], [cell(area_label)]
        code = meta.areas.loc[a, "code"]
        for t in columns:
            target = meta.targets.loc[t]
            if a == province:
                href = reverse("dash_target", args=[target["code"]]) + filters.query(city=None)
            else:
                href = reverse("dash_city", args=[code]) + filters.query(city=None, target=target["code"]) + "#series"
            r = cells.get((a, t))
            if r is None:
                s_row.append(None)
                t_row.append(hover(f"{area_label} · {target['code']}\n" + _("未评估")))
                l_row.append("")
                cells_row.append(cell(""))
                continue
            tip = status_tip(r, target["unit"], labels)
            s_row.append(r.shown)
            t_row.append(hover(f"{area_label} · {target['code']} {short_name(target['name'], 30)}\n{tip}"))
            l_row.append(href)
            text = figures.STATUS_SYMBOLS[r.shown] + (" *" if r.override_status else "")
            text += f" {two(r.schedule_ratio)}" if not missing(r.schedule_ratio) else ""
            cells_row.append(cell(text, "status-cell", tip, href, r.shown))
        statuses.append(s_row)
        tips.append(t_row)
        hrefs.append(l_row)
        table.append(cells_row)
    heatmap = (
        figures.status_heatmap(x=x, y=y, statuses=statuses, hover=tips, links=hrefs, status_labels=labels.status)
        if columns
        else None
    )
    page.charts.append(
        Chart(
            "heatmap",
            _("城市 × 目标：对照序时进度的进展"),
            heatmap,
            [_("地区"), *x],
            table,
            note=_(
                "颜色与符号表示状态（√ 已达标，○ 按序时推进，△ 有风险，▽ 明显滞后，× 倒退，! 逾期未完成，"
                "? 缺少基准值，– 无数据；* 为人工认定），表格中的数字为序时完成比（1 = 正好在序时进度线上）。"
                "点击单元格查看该城市该目标的详情。只对全省评估的目标见上方卡片和目标页。"
            ),
            wide=True,
        )
    )
    page.context["filters"] = filter_bar(
        meta, filters, labels, ["quarter", "section", "department", "special_column", "city"]
    )
    return page


def completeness_chart(areas, quarter: tuple[int, int], grid, meta: PlanMeta, labels: Labels) -> Chart:
    """Submission completeness of one quarter: how many cities sent their template on time, late, not at all."""
    order = list(COMPLETENESS_TEXT)
    by_status: dict[str, list[str]] = {s: [] for s in order}
    table = []
    for area in areas:
        c = grid[(area.pk, *quarter)]
        name = area.name_en if labels.english and area.name_en else area.name
        by_status[c.status].append(name)
        upload = c.upload
        table.append(
            [
                cell(name, href=reverse("dash_city", args=[area.code])),
                cell(COMPLETENESS_TEXT[c.status], f"cell cell-{c.status}"),
                cell(upload.created_at.strftime("%Y-%m-%d %H:%M") if upload else "", "num"),
                cell(
                    f"#{upload.pk}" if upload else "", href=reverse("upload_detail", args=[upload.pk]) if upload else ""
                ),
            ]
        )
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


# --------------------------------------------------------------------------------------------------------------------
# 2. City page and league table
# --------------------------------------------------------------------------------------------------------------------
def city(meta: PlanMeta, filters: Filters, area_id: int) -> Page:
    labels = Labels()
    name = area_name(meta, area_id, labels)
    code = meta.areas.loc[area_id, "code"]
    rows = _quarter_rows(meta, filters)
    kept = filter_target_ids(meta, filters)
    mine = rows[(rows["area_id"] == area_id) & rows["target_id"].isin(kept)]
    page = Page(_("%(city)s：目标进度") % {"city": name})
    base = reverse("dash_city", args=[code])

    def link(target):
        return base + filters.query(target=target["code"]) + "#series"

    page.charts.append(
        progress_chart(
            "progress",
            _("%(city)s 各目标完成进度（%(quarter)s）") % {"city": name, "quarter": filters.quarter_label},
            meta,
            mine,
            labels,
            link,
            note=_("条形为完成进度（已完成距离占基准值到目标值全程的比例），黑色竖线为序时进度；悬停查看计算依据。"),
        )
    )
    counts = mine["shown"].value_counts()
    page.context["metrics"] = [
        {"status": s, "label": labels.status[s], "symbol": figures.STATUS_SYMBOLS[s], "count": int(counts.get(s, 0))}
        for s in reversed(figures.STATUS_ORDER)
        if counts.get(s, 0)
    ]

    ids = [int(t) for t in mine["target_id"]]
    wanted = meta.target_by_code(filters.get("target"))
    if wanted not in ids:
        judged = mine[~mine["shown"].isin(["no_data", "no_baseline"])]
        wanted = int(judged["target_id"].iloc[0]) if len(judged) else (ids[0] if ids else None)
    if wanted is not None:
        series = known(meta, progress_series(through=filters.period, area_ids=[area_id], target_ids=[wanted]))
        page.charts += series_charts(meta, series, wanted, labels, "")
        page.context["selected"] = meta.targets.loc[wanted, "code"]

    # Data-quality warnings from the Progress rows: values carried forward, no baseline, no data.
    warnings = []
    for r in mine.itertuples(index=False):
        target = meta.targets.loc[r.target_id]
        label = f"{target['code']} {short_name(target['name'], 30)}"
        if r.status == "no_data":
            warnings.append((label, _("本期及此前均无可用于评估的数值")))
        elif r.status == "no_baseline":
            warnings.append((label, _("缺少基准值，无法计算序时进度")))
        elif not missing(r.actual_year):
            carried = (int(r.actual_year), int(r.actual_quarter)) != filters.period
            seasonal_rule = (
                bool(target["seasonal"])
                and filters.quarter < 4
                and (
                    int(r.actual_year),
                    int(r.actual_quarter),
                )
                == (filters.year - 1, 4)
            )
            if carried and not seasonal_rule:
                warnings.append(
                    (
                        label,
                        _("本期未报送，沿用%(period)s的数值")
                        % {"period": quarter_label(int(r.actual_year), int(r.actual_quarter))},
                    )
                )
    page.context["quality"] = warnings
    page.context["league_link"] = reverse("dash_league") + filters.query(city=code, target=None)
    page.context["filters"] = filter_bar(
        meta,
        filters,
        labels,
        ["quarter", "section", "department", "special_column", "target"],
        {"target": (_("走势目标"), target_options(meta, ids, page.context.get("selected", "")))},
    )
    page.context["area_code"] = code
    return page


def league(meta: PlanMeta, filters: Filters) -> Page:
    """The cities ranked on one target (序时完成比) or on a set of targets (mean −5…+5 score), as the ministry ranks
    key cities."""
    labels = Labels()
    rows = _quarter_rows(meta, filters)
    kept = filter_target_ids(meta, filters)
    cities = rows[rows["area_id"].isin(meta.reporting_area_ids)]
    ranked_targets = [int(t) for t in dict.fromkeys(cities.loc[cities["target_id"].isin(kept), "target_id"])]
    target_id = meta.target_by_code(filters.get("target"))
    page = Page(_("城市排名"))
    highlight = meta.area_by_code(filters.city) if filters.city else None

    def city_link(area_id, target=None):
        extra = {"target": target} if target else {}
        return reverse("dash_city", args=[meta.areas.loc[area_id, "code"]]) + filters.query(city=None, **extra)

    if target_id is not None and target_id in set(cities["target_id"]):
        target = meta.targets.loc[target_id]
        mine = cities[cities["target_id"] == target_id].copy()
        mine["_rank"] = mine["schedule_ratio"].where(mine["shown"] != "achieved", 2.0)
        mine = mine.sort_values(["_rank", "gap_share"], ascending=[False, True], na_position="last")
        bars, table = figures.RankingBars(), []
        for rank, r in enumerate(mine.itertuples(index=False), start=1):
            name = area_name(meta, r.area_id, labels)
            label = f"{rank}. {name} {figures.STATUS_SYMBOLS[r.shown]}" + (" ◀" if r.area_id == highlight else "")
            link = city_link(r.area_id, target["code"]) + "#series"
            bars.add(
                label=label,
                value=None if missing(r.schedule_ratio) else float(r.schedule_ratio),
                colour=figures.STATUS_COLOURS[r.shown],
                text=f"{labels.status_text(r)} {two(r.schedule_ratio)}".strip(),
                hover=hover(f"{name}\n{status_tip(r, target['unit'], labels)}"),
                link=link,
            )
            table.append(
                [
                    cell(rank, "num"),
                    cell(name, "hl" if r.area_id == highlight else "", href=link),
                    status_cell(r, target["unit"], labels),
                    cell(two(r.schedule_ratio), "num"),
                    cell(num(r.actual), "num"),
                    cell(num(r.expected), "num"),
                    cell(num(r.target_value), "num"),
                    cell(num(r.gap), "num"),
                ]
            )
        title = _("按目标排名：%(code)s %(name)s") % {"code": target["code"], "name": target["name"]}
        page.charts.append(
            Chart(
                "league",
                title,
                figures.ranking_bars(
                    **bars.series(),
                    axis_title=_("序时完成比（1 = 在序时进度线上）"),
                    axis_range=[-1.05, 1.25],
                ),
                [
                    _("名次"),
                    _("城市"),
                    _("状态"),
                    _("序时完成比"),
                    _("实际值"),
                    _("序时进度值"),
                    _("目标值"),
                    _("距目标差距"),
                ],
                table,
                note=_("已达标的城市排在前面，其余按序时完成比（完成进度 ÷ 时间进度，限于 −1…1）由高到低。"),
            )
        )
    else:
        mine = cities[cities["target_id"].isin(kept)]
        if len(mine):
            result = _rollup(mine.assign(key=mine["area_id"]), "key")
            result = result.sort_values(["score", "mean_schedule_ratio"], ascending=False, na_position="last")
        else:
            result = pd.DataFrame(columns=["key", "score", "mean_schedule_ratio", "total", *figures.STATUS_ORDER])
        bars, table = figures.RankingBars(), []
        for rank, r in enumerate(result.itertuples(index=False), start=1):
            area_id = int(r.key)
            name = area_name(meta, area_id, labels)
            colour, band = score_band(r.score)
            counts = {s: int(getattr(r, s)) for s in figures.STATUS_ORDER}
            summary = "，".join(f"{labels.status[s]} {counts[s]}" for s in reversed(figures.STATUS_ORDER) if counts[s])
            bars.add(
                label=f"{rank}. {name}" + (" ◀" if area_id == highlight else ""),
                value=None if missing(r.score) else float(r.score),
                colour=colour,
                text=f"{two(r.score)} {band}",
                hover=hover(f"{name}\n" + _("得分：%(s)s（%(b)s）") % {"s": two(r.score), "b": band} + f"\n{summary}"),
                link=city_link(area_id),
            )
            table.append(
                [
                    cell(rank, "num"),
                    cell(name, "hl" if area_id == highlight else "", href=bars.links[-1]),
                    cell(two(r.score), "num"),
                    cell(band),
                    cell(two(r.mean_schedule_ratio), "num"),
                    *[cell(counts[s], "num") for s in reversed(figures.STATUS_ORDER)],
                    cell(int(r.total), "num"),
                ]
            )
        page.charts.append(
            Chart(
                "league",
                _("综合排名：%(n)s 个目标的平均得分") % {"n": len(ranked_targets)},
                figures.ranking_bars(
                    **bars.series(),
                    axis_title=_("平均得分（−5…+5）"),
                    axis_range=[-5.2, 5.2],
                )
                if bars
                else None,
                [
                    _("名次"),
                    _("城市"),
                    _("得分"),
                    _("评级"),
                    _("平均序时完成比"),
                    *[labels.status[s] for s in reversed(figures.STATUS_ORDER)],
                    _("合计"),
                ],
                table,
                note=_(
                    "每项评估得分：已达标 5 分，其余按序时完成比换算到 −5…+5（0.95 → 2.5，0.60 → 0，0 → −2.5）；"
                    "城市得分为其各项评估的平均。选择章节、部门或专栏可只排该范围的目标，选择目标则按单个目标排名。"
                ),
            )
        )
    page.context["filters"] = filter_bar(
        meta,
        filters,
        labels,
        ["quarter", "section", "department", "special_column", "city", "target"],
        {
            "target": (
                _("按目标排名"),
                target_options(meta, ranked_targets, filters.get("target"), empty=_("（综合排名）")),
            )
        },
    )
    return page


# --------------------------------------------------------------------------------------------------------------------
# 3. Departments
# --------------------------------------------------------------------------------------------------------------------
def _department_ranking(meta: PlanMeta, filters: Filters, rows: pd.DataFrame, lead_only: bool) -> pd.DataFrame:
    province = meta.province_id
    kept = filter_target_ids(
        meta, replace(filters, department="")
    )  # ranking all departments: the department filter does not apply
    held = meta.responsibilities
    if lead_only:
        held = held[held["role"] == Responsibility.Role.LEAD]
    mine = rows[(rows["area_id"] == province) & rows["target_id"].isin(kept)]
    mapping = held[held["target_id"].isin(kept)][["target_id", "department"]].drop_duplicates()
    if not len(mine) or not len(mapping):
        return pd.DataFrame(columns=["department", "share", "score", "total", *figures.STATUS_ORDER])
    result = rollups.rollup(mine.assign(status=mine["shown"]), mapping, "department")
    result = result[result["total"] > 0].copy()
    result["share"] = (result["achieved"] + result["on_track"]) / result["total"]
    return result.sort_values(["share", "score"], ascending=False, na_position="last")


def departments(meta: PlanMeta, filters: Filters) -> Page:
    labels = Labels()
    rows = _quarter_rows(meta, filters)
    lead_only = filters.get("role") == "lead"
    result = _department_ranking(meta, filters, rows, lead_only)
    page = Page(_("部门排名"))
    bars, table = figures.RankingBars(), []
    for rank, r in enumerate(result.itertuples(index=False), start=1):
        name = department_name(meta, r.department, labels)
        good = int(r.achieved) + int(r.on_track)
        link = reverse("dash_department", args=[r.department]) + filters.query(role=None)
        counts = {s: int(getattr(r, s)) for s in figures.STATUS_ORDER}
        summary = "，".join(f"{labels.status[s]} {counts[s]}" for s in reversed(figures.STATUS_ORDER) if counts[s])
        bars.add(
            label=f"{rank}. {name}",
            value=float(r.share),
            colour=score_band(r.score)[0],
            text=f"{pct(r.share)}（{good}/{int(r.total)}）",
            hover=hover(f"{name}\n{summary}\n" + _("得分：%(s)s") % {"s": two(r.score)}),
            link=link,
        )
        table.append(
            [
                cell(rank, "num"),
                cell(name, href=link),
                cell(pct(r.share), "num"),
                *[cell(counts[s], "num") for s in reversed(figures.STATUS_ORDER)],
                cell(int(r.total), "num"),
                cell(two(r.score), "num"),
            ]
        )
    page.charts.append(
        Chart(
            "ranking",
            _("各部门目标达标或按序时推进的比例"),
            figures.ranking_bars(
                **bars.series(),
                axis_title=_("达标或按序时推进的目标占比"),
                tickformat=".0%",
                axis_range=[0, 1.15],
            )
            if bars
            else None,
            [
                _("名次"),
                _("部门"),
                _("占比"),
                *[labels.status[s] for s in reversed(figures.STATUS_ORDER)],
                _("合计"),
                _("得分"),
            ],
            table,
            note=_("按全省状态统计每个部门牵头或配合的目标（可只看牵头）；颜色为平均得分的评级，同占比时按得分排序。"),
        )
    )
    page.context["filters"] = filter_bar(
        meta,
        filters,
        labels,
        ["quarter", "section", "special_column", "role"],
        {
            "role": (
                _("统计范围"),
                [("", _("牵头和配合"), not lead_only), ("lead", _("只看牵头"), lead_only)],
            )
        },
    )
    return page


def department(meta: PlanMeta, filters: Filters, code: str) -> Page:
    labels = Labels()
    province = meta.province_id
    name = department_name(meta, code, labels)
    rows = _quarter_rows(meta, filters)
    held = meta.responsibilities[meta.responsibilities["department"] == code]
    role_names = {Responsibility.Role.LEAD: _("牵头"), Responsibility.Role.COOPERATING: _("配合")}
    roles = {int(t): role for t, role in zip(held["target_id"], held["role"], strict=True)}
    kept = [t for t in filter_target_ids(meta, replace(filters, department="")) if t in roles]
    page = Page(_("%(department)s：牵头和配合的目标") % {"department": name})
    mine = rows[(rows["area_id"] == province) & rows["target_id"].isin(kept)]

    # Status breakdown, lead and co-operating.
    kinds = [Responsibility.Role.LEAD, Responsibility.Role.COOPERATING]
    categories = [str(role_names[k]) for k in kinds]
    role_of_row = mine["target_id"].map(roles)
    counts = {s: [int(((role_of_row == k) & (mine["shown"] == s)).sum()) for k in kinds] for s in figures.STATUS_ORDER}
    table = [
        [cell(categories[i])]
        + [cell(counts[s][i], "num") for s in reversed(figures.STATUS_ORDER)]
        + [cell(sum(counts[s][i] for s in figures.STATUS_ORDER), "num")]
        for i in range(len(kinds))
    ]
    page.charts.append(
        Chart(
            "breakdown",
            _("状态分布（全省，%(quarter)s）") % {"quarter": filters.quarter_label},
            figures.status_stack(
                categories=categories, counts=counts, status_labels=labels.status, value_title=_("目标数")
            ),
            [_("角色"), *[labels.status[s] for s in reversed(figures.STATUS_ORDER)], _("合计")],
            table,
        )
    )

    def target_link(target):
        return reverse("dash_target", args=[target["code"]]) + filters.query(role=None)

    page.charts.append(
        progress_chart(
            "targets",
            _("牵头和配合的目标（全省）"),
            meta,
            mine,
            labels,
            target_link,
            role_of={t: str(role_names[r]) for t, r in roles.items()},
        )
    )

    # Cities furthest behind on its targets: each city's mean score over them, worst first.
    cities = rows[rows["area_id"].isin(meta.reporting_area_ids) & rows["target_id"].isin(kept)]
    if filters.city:
        cities = cities[cities["area_id"] == meta.area_by_code(filters.city)]
    bars, table = figures.RankingBars(), []
    if len(cities):
        result = _rollup(cities.assign(key=cities["area_id"]), "key").sort_values(
            ["score", "mean_schedule_ratio"], ascending=True, na_position="last"
        )
        for rank, r in enumerate(result.itertuples(index=False), start=1):
            area_id = int(r.key)
            city_name = area_name(meta, area_id, labels)
            behind = sum(int(getattr(r, s)) for s in BEHIND)
            worst = "；".join(
                f"{meta.targets.loc[t, 'code']} {short_name(meta.targets.loc[t, 'name'], 16)}（{pct(g)}）"
                for _a, t, g in r.furthest_behind
            )
            colour, band = score_band(r.score)
            link = reverse("dash_city", args=[meta.areas.loc[area_id, "code"]]) + filters.query(
                role=None, department=code, city=None
            )
            bars.add(
                label=f"{rank}. {city_name}",
                value=None if missing(r.score) else float(r.score),
                colour=colour,
                text=f"{two(r.score)} · " + _("落后 %(n)d 项") % {"n": behind},
                hover=hover(
                    f"{city_name}\n"
                    + _("得分：%(s)s（%(b)s）") % {"s": two(r.score), "b": band}
                    + "\n"
                    + _("差距最大：%(w)s") % {"w": worst or "—"}
                ),
                link=link,
            )
            table.append(
                [
                    cell(rank, "num"),
                    cell(city_name, href=link),
                    cell(two(r.score), "num"),
                    cell(behind, "num"),
                    cell(int(r.total), "num"),
                    cell(worst),
                ]
            )
    page.charts.append(
        Chart(
            "cities",
            _("在本部门目标上最落后的城市"),
            figures.ranking_bars(
                **bars.series(),
                axis_title=_("平均得分（−5…+5），最低的在上"),
                axis_range=[-5.2, 5.2],
            )
            if bars
            else None,
            [
                _("名次（由差到好）"),
                _("城市"),
                _("得分"),
                _("落后项数"),
                _("评估项数"),
                _("差距最大的目标（差距占全程比例）"),
            ],
            table,
            note=_("落后：有风险、明显滞后、倒退或逾期未完成。"),
        )
    )

    ranking = _department_ranking(meta, filters, rows, lead_only=False)
    position = [i for i, d in enumerate(ranking["department"].tolist(), start=1) if d == code]
    page.context["rank"] = {"position": position[0] if position else None, "of": len(ranking)}
    page.context["lead_count"] = sum(1 for t in kept if roles[t] == Responsibility.Role.LEAD)
    page.context["cooperating_count"] = sum(1 for t in kept if roles[t] == Responsibility.Role.COOPERATING)
    page.context["ranking_link"] = reverse("dash_departments") + filters.query(city=None, department=None)
    page.context["filters"] = filter_bar(meta, filters, labels, ["quarter", "section", "special_column", "city"])
    return page


# --------------------------------------------------------------------------------------------------------------------
# 4. Target page
# --------------------------------------------------------------------------------------------------------------------
def target(meta: PlanMeta, filters: Filters, target_id: int) -> Page:
    labels = Labels()
    province = meta.province_id
    t = meta.targets.loc[target_id]
    page = Page(f"{t['code']} {t['name']}")
    series = known(meta, progress_series(through=filters.period, target_ids=[target_id]))
    series = series.assign(shown=shown_status(series))
    sentence = sentence_around(int(t["source_offset"]), len(t["source_text"]))
    held = meta.responsibilities[meta.responsibilities["target_id"] == target_id]
    page.context["plan"] = {
        "code": t["code"],
        "name": t["name"],
        "goal": t["value_display"],
        "year": int(t["target_year"]),
        "binding": bool(t["binding"]),
        "sentence": sentence.partition(t["source_text"]),
        "section": f"{t['section']} {meta.sections.loc[t['section'], 'title']}"
        if t["section"] in meta.sections.index
        else "",
        "special_column": None if missing(t["special_column"]) else int(t["special_column"]),
        "project": t["project"] if isinstance(t["project"], str) else "",
        "indicator": t["indicator_name"],
        "lead": [
            (d, department_name(meta, d, labels))
            for d in held.loc[held["role"] == Responsibility.Role.LEAD, "department"]
        ],
        "cooperating": [
            (d, department_name(meta, d, labels))
            for d in held.loc[held["role"] == Responsibility.Role.COOPERATING, "department"]
        ],
    }
    mine = series[series["area_id"] == province]
    page.charts += series_charts(meta, mine, target_id, labels, "province-")
    now = series[(series["year"] == filters.year) & (series["quarter"] == filters.quarter)]
    if len(mine):
        current = now[now["area_id"] == province]
        if len(current):
            page.context["province_status"] = status_cell(next(current.itertuples(index=False)), t["unit"], labels)

    # Cities ranked by gap (largest first) in the chosen quarter.
    others = now[now["area_id"] != province]
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
        bars.add(
            label=f"{rank}. {name} {figures.STATUS_SYMBOLS[r.shown]}",
            value=None if missing(r.gap) else float(r.gap),
            colour=figures.STATUS_COLOURS[r.shown],
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
                cell(num(r.actual), "num"),
                cell(num(r.expected), "num"),
                cell(num(r.target_value), "num"),
            ]
        )
    page.charts.append(
        Chart(
            "gaps",
            _("各地区距目标差距（%(quarter)s，%(unit)s）") % {"quarter": filters.quarter_label, "unit": t["unit"]},
            figures.ranking_bars(
                **bars.series(),
                axis_title=_("距目标差距（%(unit)s；≤ 0 为已达到）") % {"unit": t["unit"]},
            )
            if bars
            else None,
            [
                _("名次"),
                _("地区"),
                _("状态"),
                _("距目标差距"),
                _("差距占全程比例"),
                _("实际值"),
                _("序时进度值"),
                _("目标值"),
            ],
            table,
            note=_("差距 = 目标值与实际值之差（按目标方向），差距最大的排在最前。"),
        )
    )

    # Each city's trend.
    trend = series[series["area_id"] != province]
    if filters.city:
        trend = trend[trend["area_id"] == meta.area_by_code(filters.city)]
    quarters = [quarter_code(*q) for q in all_quarters(filters.period)]
    index = {q: i for i, q in enumerate(quarters)}
    traces, table = [], []
    for i, (area_id, group) in enumerate(trend.groupby("area_id", sort=False)):
        values = [None] * len(quarters)
        for r in group.itertuples(index=False):
            values[index[quarter_code(int(r.year), int(r.quarter))]] = None if missing(r.actual) else float(r.actual)
        name = area_name(meta, int(area_id), labels)
        traces.append(
            {
                "name": name,
                "y": values,
                "colour": figures.CITY_COLOURS[i % len(figures.CITY_COLOURS)],
                "width": 1.5,
                "marker_size": 4,
            }
        )
        table.append([cell(name), *[cell(num(v), "num") for v in values]])
    if traces and len(mine):
        level = [None] * len(quarters)
        for r in mine.itertuples(index=False):
            level[index[quarter_code(int(r.year), int(r.quarter))]] = (
                None if missing(r.target_value) else r.target_value
            )
        traces.append({"name": _("全省目标值"), "y": level, "colour": "#c0392b", "dash": "dot", "mode": "lines"})
        table.append([cell(_("全省目标值")), *[cell(num(v), "num") for v in level]])
    page.charts.append(
        Chart(
            "trends",
            _("各地区走势（评估值，%(unit)s）") % {"unit": t["unit"]},
            figures.line_chart(x=quarters, traces=traces, y_title=t["unit"], height=420) if traces else None,
            [_("地区"), *quarters],
            table,
            note=_("点击图例可隐藏或只看某个地区（双击）。"),
            wide=True,
        )
    )
    page.context["filters"] = filter_bar(meta, filters, labels, ["quarter", "city"])
    return page


# --------------------------------------------------------------------------------------------------------------------
# 5. Map (tile grid)
# --------------------------------------------------------------------------------------------------------------------
def map_indicators(meta: PlanMeta) -> list[int]:
    """Indicators every city reports: the ones the map can colour."""
    reported = meta.indicators[meta.indicators["reported_by"] == Indicator.ReportedBy.CITY]
    return [int(i) for i in reported.index]


def city_map(meta: PlanMeta, filters: Filters) -> Page:
    labels = Labels()
    choices = map_indicators(meta)
    codes = meta.indicators["code"]
    wanted = filters.get("indicator") or ("pm25" if "pm25" in set(codes) else "")
    indicator_id = next((i for i in choices if codes[i] == wanted), choices[0] if choices else None)
    mode = "status" if filters.get("colour") == "status" else "value"
    page = Page(_("城市地图"))
    if indicator_id is None:
        return page
    indicator = meta.indicators.loc[indicator_id]
    values = indicator_values(indicator_id=indicator_id, year=filters.year, quarter=filters.quarter)
    value_of = dict(zip(values["area_id"].astype(int), values["value"].astype(float), strict=True))
    rows = _quarter_rows(meta, filters)
    on_indicator = [int(t) for t in meta.targets.index[meta.targets["indicator_id"] == indicator_id]]
    judged = rows[rows["target_id"].isin(on_indicator) & rows["area_id"].isin(meta.reporting_area_ids)]
    status_target = int(judged["target_id"].iloc[0]) if len(judged) else None
    status_of = {}
    if status_target is not None:
        status_of = {int(r.area_id): r for r in judged[judged["target_id"] == status_target].itertuples(index=False)}
    unit = indicator["unit"]
    name = indicator["name_en"] if labels.english and indicator["name_en"] else indicator["name"]
    tiles, table = [], []
    for area_id in meta.reporting_area_ids:
        code = meta.areas.loc[area_id, "code"]
        if code not in TILE_GRID:
            continue
        col, row = TILE_GRID[code]
        city_name = area_name(meta, area_id, labels)
        value = value_of.get(area_id)
        progress = status_of.get(area_id)
        link = reverse("dash_city", args=[code]) + filters.query(
            indicator=None,
            colour=None,
            city=None,
            target=meta.targets.loc[status_target, "code"] if status_target else None,
        )
        lines = [
            city_name,
            _("%(name)s：%(value)s %(unit)s") % {"name": name, "value": num(value) or "—", "unit": unit},
        ]
        if progress is not None:
            lines.append(status_tip(progress, meta.targets.loc[status_target, "unit"], labels))
        short = city_name.removesuffix("市") if not labels.english else city_name
        if filters.city == code:
            short = f"▶{short}"
        tiles.append(
            {
                "col": col,
                "row": row,
                "label": f"{short}<br>{num(value) or '—'}" if mode == "value" else short,
                "value": value,
                "status": (progress.shown if progress is not None else "no_data"),
                "hover": hover("\n".join(lines)),
                "link": link,
            }
        )
        table.append(
            [
                cell(city_name, href=link),
                cell(num(value), "num"),
                cell(unit),
                status_cell(progress, meta.targets.loc[status_target, "unit"], labels)
                if progress is not None
                else cell(""),
            ]
        )
    if mode == "status" and status_target is None:
        mode = "value"
    figure = figures.tile_map(
        tiles=tiles,
        mode=mode,
        colour_title=unit,
        reverse_scale=indicator["direction"] == Indicator.Direction.LOWER,
        status_labels=labels.status,
    )
    status_name = ""
    if status_target is not None:
        status_name = f"{meta.targets.loc[status_target, 'code']} {meta.targets.loc[status_target, 'name']}"
    page.context["status_target"] = status_name
    ytd = _("%(quarter)s，年内累计值") % {"quarter": filters.quarter_label}
    page.charts.append(
        Chart(
            "map",
            f"{name}（{unit}）· {ytd}" if mode == "value" else _("%(target)s：各市状态") % {"target": status_name},
            figure,
            [_("城市"), _("数值（年内累计）"), _("单位"), _("状态（%(target)s）") % {"target": status_name or "—"}],
            table,
            note=_(
                "颜色越深表示按指标方向越差。示意图：各市方块按大致地理位置排列（沈阳居中，大连在南，丹东在东，朝阳、葫芦岛在西）。"
                "项目未附辽宁省各市边界的 GeoJSON 文件，因此不画真实边界、不加载任何在线底图。点击方块进入该市页面。"
            ),
        )
    )
    indicator_choices = [
        (codes[i], f"{meta.indicators.loc[i, 'name']}（{meta.indicators.loc[i, 'unit']}）", i == indicator_id)
        for i in choices
    ]
    page.context["filters"] = filter_bar(
        meta,
        filters,
        labels,
        ["quarter", "indicator", "colour", "city"],
        {
            "indicator": (_("指标"), indicator_choices),
            "colour": (
                _("着色"),
                [("", _("按数值"), mode == "value"), ("status", _("按目标状态"), mode == "status")],
            ),
        },
    )
    return page
