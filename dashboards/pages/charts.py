"""Charts more than one page shows: a set of targets as progress bars, one area's trend of a target (and its 同比
changes), status counts per category, and the band a mean score falls in."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from indicators.models import Indicator
from progress.choices import Status, YearState
from progress.rollup import score_band as band_of
from progress.selectors import year_strip
from targets.models import Target

from .. import figures
from ..filters import quarter_code
from ..selectors import PlanMeta
from .cells import Cell, Chart, cell
from .formatting import hover, missing, num, num_marked, pct, short_name, signed
from .labels import (
    Labels,
    approved_of,
    held_note,
    indicator_cell,
    status_cell,
    status_tip,
    unapproved_legend,
    year_tip,
)


def score_band(score: float) -> tuple[str, str]:
    """The colour and the name of sdg-build's band of a mean score (数据不足 where there is none)."""
    band = band_of(None if missing(score) else float(score))
    return band.colour, str(band.label)


def count_cells(counts: dict[str, int]) -> list[Cell]:
    """One number cell per status, best first (the order of Labels.status_columns)."""
    return [cell(counts[s.value], "num") for s in Status.best_first()]


def count_summary(counts: dict[str, int], labels: Labels) -> str:
    """已达标 3，按序时推进 2 … for the statuses that occur, best first."""
    return "，".join(f"{labels.status[s]} {counts[s]}" for s in Status.best_first() if counts[s])


def status_stack_chart(
    key: str, title: str, names: list[str], counts: dict, labels: Labels, heading: str, *, links=None, note: str = ""
) -> Chart:
    """Status counts per category as stacked bars, and the table of them with a total per category."""
    table = []
    for i, name in enumerate(names):
        row = {s: counts[s][i] for s in counts}
        table.append([cell(name, href=links[i] if links else ""), *count_cells(row), cell(sum(row.values()), "num")])
    figure = None
    if names:
        figure = figures.status_stack(
            categories=names, counts=counts, status_labels=labels.status, links=links, value_title=_("目标数")
        )
    return Chart(key, title, figure, [heading, *labels.status_columns(), _("合计")], table, note=note)


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
    remarks: dict | None = None,
) -> Chart:
    """Every target of `rows` (one area, or the province) as a progress bar with the 序时进度 marker; `remarks`
    (target id → the city's 备注 beside the value judged) adds a column and a line in the hover."""
    bars = {"labels": [], "ratios": [], "time_shares": [], "statuses": [], "hover": [], "links": []}
    table = []
    for row in rows.itertuples(index=False):
        target = meta.targets.loc[row.target_id]
        role = f"（{role_of[row.target_id]}）" if role_of else ""
        ratio = row.progress_ratio
        if missing(ratio) and row.shown == Status.ACHIEVED:
            ratio = 1.0
        href = link(target)
        bars["labels"].append(f"{target['code']} {short_name(target['name'], 20)}{role}")
        bars["ratios"].append(None if missing(ratio) else float(ratio))
        bars["time_shares"].append(None if missing(row.time_share) else float(row.time_share))
        bars["statuses"].append(row.shown)
        remark = (remarks or {}).get(row.target_id, "")
        tip = f"{target['code']} {target['name']}\n{status_tip(row, target['unit'], labels)}"
        bars["hover"].append(hover(tip + remark_line(remark)))
        bars["links"].append(href)
        extra = [cell(remark, "typed")] if remarks is not None else []
        table.append([*_progress_row(row, target, role, href, labels), *extra])
    figure = None
    if bars["labels"]:
        figure = figures.progress_bars(
            **bars,
            status_labels=labels.status,
            marker_name=_("序时进度（时间进度）"),
            axis_title=_("完成进度（已完成距离占全程的比例）"),
        )
    columns = [_("编号"), _("目标"), _("状态"), _("实际值"), _("序时进度值"), _("目标值"), _("单位")]
    columns += [_("完成进度"), _("时间进度"), _("距目标差距"), _("逐年完成情况"), _("指标")]
    columns += [_("备注")] if remarks is not None else []
    return Chart(key, title, figure, columns, table, note=note, legend=legend_for(rows))


def legend_for(rows: pd.DataFrame) -> str:
    """The ※ legend line, for a chart with a figure resting on data not yet approved."""
    marked = "approved" in rows and not rows.loc[rows["actual"].notna(), "approved"].all()
    return unapproved_legend() if marked else ""


def _progress_row(row, target, role: str, href: str, labels: Labels) -> list[Cell]:
    return [
        cell(target["code"], "code", href=href),
        cell(target["name"] + role),
        status_cell(row, target["unit"], labels),
        cell(num_marked(row.actual, approved_of(row)), "num"),
        cell(num(row.expected), "num"),
        cell(num(row.target_value), "num"),
        cell(target["unit"]),
        cell(pct(row.progress_ratio), "num"),
        cell(pct(row.time_share), "num"),
        cell(num(row.gap), "num"),
        cell(year_strip(getattr(row, "record", None) or []), "code"),
        indicator_cell(target),
    ]


def series_charts(
    meta: PlanMeta, series: pd.DataFrame, target_id: int, labels: Labels, prefix: str, notes: dict | None = None
) -> list[Chart]:
    """One area's time series of a target: the judged value, the expected trajectory (序时进度值), the target level
    and the projection to the target year; and, for a seasonal indicator, its 同比 changes. `notes`, the area's notes
    keyed (indicator id, year, quarter), puts each judged value's note in its hover and a 备注 column."""
    target = meta.targets.loc[target_id]
    unit = target["unit"]
    seasonal = bool(target["seasonal"])
    x = [quarter_code(int(r.year), int(r.quarter)) for r in series.itertuples(index=False)]
    indicator = int(target["indicator_id"])
    remarks = [judged_note(r, notes or {}, indicator) for r in series.itertuples(index=False)]
    tips = [
        hover(f"{x[i]}\n{status_tip(r, unit, labels)}{remark_line(remarks[i])}")
        for i, r in enumerate(series.itertuples(index=False))
    ]
    figure = None
    if len(series):
        figure = figures.line_chart(x=x, traces=_series_traces(series, tips, seasonal), y_title=unit)
    yearly = target["recurrence"] == Target.Recurrence.YEARLY
    rows = [_series_row(x[i], r, unit, seasonal, labels) for i, r in enumerate(series.itertuples(index=False))]
    if yearly:
        for row, r in zip(rows, series.itertuples(index=False), strict=True):
            row.append(cell(labels.year_state.get(r.year_state, "")))
    if notes is not None:
        for row, remark in zip(rows, remarks, strict=True):
            row.append(cell(remark, "typed"))
    columns = [_("季度"), _("实际值（评估值）"), _("实际值所属季度"), *([_("年内累计值")] if seasonal else [])]
    columns += [_("序时进度值"), _("目标值"), _("趋势预测"), _("预测判断"), _("状态")]
    columns += [_("本年完成情况")] if yearly else []
    columns += [_("备注")] if notes is not None else []
    title = _("%(code)s %(name)s：走势（%(unit)s）") % {"code": target["code"], "name": target["name"], "unit": unit}
    note = _("评估值为该季度用于判断状态的数值（未报送时沿用此前最近一期；季节性指标在1—3季度沿用上年全年值）。")
    if yearly:
        note = _("每年的任务逐年评估：评估值为当年截至本季度（过了年内期限则截至期限所在季度）的报送值，不沿用上一年。")
    charts = [Chart(f"{prefix}series", title, figure, columns, rows, note=note, legend=legend_for(series))]
    if seasonal:
        charts.append(_yoy_chart(series, x, unit, target["direction"] == Indicator.Direction.LOWER, prefix))
    return charts


def judged_note(r, notes: dict, indicator: int) -> str:
    """The note (notes keyed indicator id, year, quarter) beside the value a progress row is judged on (an earlier
    quarter's, when that value is carried forward), else beside the row's own quarter's value (a seasonal
    year-to-date figure)."""
    judged = "" if missing(r.actual_year) else notes.get((indicator, int(r.actual_year), int(r.actual_quarter)), "")
    return judged or notes.get((indicator, int(r.year), int(r.quarter)), "")


def remark_line(note: str) -> str:
    """A note as the last line of a hover (nothing without one)."""
    return f"\n{_('备注')}：{short_name(note, 60)}" if note else ""


def _series_traces(series: pd.DataFrame, tips: list[str], seasonal: bool) -> list[dict]:
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
    if seasonal:
        ytd = {"name": _("年内累计值（1月至当季）"), "y": series["ytd_value"].tolist(), "colour": "#56B4E9"}
        traces.insert(1, {**ytd, "dash": "dot", "symbol": "circle-open"})
    return traces


def _series_row(quarter: str, r, unit: str, seasonal: bool, labels: Labels) -> list[Cell]:
    actual_from = "" if missing(r.actual_year) else quarter_code(int(r.actual_year), int(r.actual_quarter))
    return [
        cell(quarter, "code"),
        cell(num_marked(r.actual, approved_of(r)), "num"),
        cell(actual_from, "code"),
        *([cell(num(r.ytd_value), "num")] if seasonal else []),
        cell(num(r.expected), "num"),
        cell(num(r.target_value), "num"),
        _projection_cell(r),
        cell(labels.projection.get(r.projection_status, "")),
        status_cell(r, unit, labels),
    ]


def _projection_cell(r) -> Cell:
    """The projection, marked where it was held to the indicator's valid range (the note says which bound)."""
    if not held_note(r):
        return cell(num(r.projection), "num")
    held = _("已截至有效范围下限") if r.projection_bound == "lower" else _("已截至有效范围上限")
    return cell(f"{num(r.projection)}（{held}）", "num", held_note(r))


def _yoy_chart(series: pd.DataFrame, x: list[str], unit: str, lower: bool, prefix: str) -> Chart:
    """A seasonal indicator's 同比 changes: this year's year-to-date value against the same quarter a year earlier."""
    yoy = series["yoy_change"].tolist()
    better = [None if missing(v) else ((v < 0) if lower else (v > 0)) for v in yoy]
    words = {True: _("改善"), False: _("变差"), None: ""}
    colours = ["#0072B2" if b else ("#D55E00" if b is False else "#B0B0B0") for b in better]
    text = [f"{signed(v)} {words[b if v else None]}".strip() for v, b in zip(yoy, better, strict=True)]
    tips = [
        hover(_("%(q)s 年内累计值 %(v)s，同比 %(c)s") % {"q": x[i], "v": num(r.ytd_value), "c": text[i] or "—"})
        for i, r in enumerate(series.itertuples(index=False))
    ]
    figure = None
    if any(not missing(v) for v in yoy):
        y_title = _("同比变化（%(unit)s）") % {"unit": unit}
        figure = figures.column_chart(x=x, y=yoy, colours=colours, text=text, hover=tips, y_title=y_title)
    rows = [
        [cell(x[i], "code"), cell(num(r.ytd_value), "num"), cell(signed(r.yoy_change), "num"), cell(words[better[i]])]
        for i, r in enumerate(series.itertuples(index=False))
    ]
    return Chart(
        f"{prefix}yoy",
        _("同比：年内累计值较上年同期的变化"),
        figure,
        [_("季度"), _("年内累计值"), _("同比变化"), _("判断")],
        rows,
        note=_("季节性指标按全年值评估状态；年内以同比衡量进展。"),
    )


def years_chart(
    key: str, title: str, names: list[str], records: list, units: list[str], labels: Labels, heading: str, *, links=None
) -> Chart:
    """Yearly duties year by year: one row per duty (or per area), one column per year, each cell the year's state as
    colour and symbol with the year's value (2022 ✓ 2 · 2023 ✗ 1 · 2024 ✓ 3 · 2025 …), and the table of the same."""
    years = sorted({y.year for record in records for y in record})
    states, texts, tips, table = [], [], [], []
    for i, (name, record, unit) in enumerate(zip(names, records, units, strict=True)):
        by_year = {y.year: y for y in record}
        row = [by_year.get(year) for year in years]
        states.append([y.state if y else None for y in row])
        texts.append(["" if y is None else f"{y.symbol} {num(y.value)}".strip() for y in row])
        tips.append(["" if y is None else hover(f"{name}\n{year_tip(y, unit, labels)}") for y in row])
        cells = [
            cell(texts[-1][j], "status-cell", year_tip(y, unit, labels), "", y.state or "") if y else cell("")
            for j, y in enumerate(row)
        ]
        table.append([cell(name, href=links[i] if links else ""), *cells])
    figure = None
    if years:
        figure = figures.status_heatmap(
            x=[str(year) for year in years],
            y=names,
            statuses=states,
            hover=tips,
            links=[[links[i] if links else ""] * len(years) for i in range(len(names))],
            status_labels=labels.year_state,
            vocabulary=YearState,
            text=texts,
        )
    note = _(
        "每年的任务逐年评估，每一年只看当年的报送值（✓ 已完成，✗ 未完成，… 未到期，– 未报送），"
        "上一年的数值不计入下一年；过了期限仍未完成或未报送的年份计为未完成。"
    )
    return Chart(key, title, figure, [heading, *[str(year) for year in years]], table, note=note)
