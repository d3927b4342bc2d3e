"""2b. The league table: the cities ranked on one target (序时完成比) or on a set of targets (mean −5…+5 score), as
the ministry ranks key cities."""

from __future__ import annotations

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from progress.choices import Status
from progress.rollup import MEANS, rank_with_ties
from progress.selectors import year_strip

from .. import figures
from ..filters import Filters, filter_target_ids
from ..selectors import PlanMeta
from .cells import Chart, Page, cell
from .charts import count_cells, count_summary, legend_for, score_band
from .filter_bar import filter_bar, target_options
from .formatting import hover, missing, num, num_marked, two
from .frames import counts_of, quarter_rows, rollup_shown
from .labels import (
    Labels,
    approved_of,
    area_name,
    indicator_cell,
    place_cell,
    status_cell,
    status_tip,
    tied_mark,
)


def league_page(meta: PlanMeta, filters: Filters) -> Page:
    labels = Labels()
    rows = quarter_rows(meta, filters)
    kept = filter_target_ids(meta, filters)
    cities = rows[rows["area_id"].isin(meta.reporting_area_ids)]
    ranked_targets = [int(t) for t in dict.fromkeys(cities.loc[cities["target_id"].isin(kept), "target_id"])]
    target_id = meta.target_by_code(filters.get("target"))
    page = Page(_("城市排名"))
    if target_id is not None and target_id in set(cities["target_id"]):
        page.charts.append(_one_target(meta, filters, cities[cities["target_id"] == target_id], target_id, labels))
        page.context["indicator"] = indicator_cell(meta.targets.loc[target_id])
    else:
        mine = cities[cities["target_id"].isin(kept)]
        page.charts.append(_overall(meta, filters, mine, len(ranked_targets), labels))
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


def _city_link(meta: PlanMeta, filters: Filters, area_id: int, target: str | None = None) -> str:
    extra = {"target": target} if target else {}
    return reverse("dash_city", args=[meta.areas.loc[area_id, "code"]]) + filters.query(city=None, **extra)


def _highlight(meta: PlanMeta, filters: Filters) -> int | None:
    """The city the filter names: marked ◀ in the ranking."""
    return meta.area_by_code(filters.city) if filters.city else None


def _one_target(meta: PlanMeta, filters: Filters, mine: pd.DataFrame, target_id: int, labels: Labels) -> Chart:
    """The cities on one target: achieved first, then by schedule ratio, highest first."""
    target = meta.targets.loc[target_id]
    highlight = _highlight(meta, filters)
    mine = mine.assign(_rank=mine["schedule_ratio"].where(mine["shown"] != Status.ACHIEVED.value, 2.0))
    mine = rank_with_ties(mine, [("_rank", False), ("progress_ratio", False), ("gap_share", True)])
    bars, table = figures.RankingBars(), []
    for r in mine.itertuples(index=False):
        name = area_name(meta, r.area_id, labels)
        status = Status(r.shown)
        link = _city_link(meta, filters, r.area_id, target["code"]) + "#series"
        bars.add(
            label=f"{r.rank}. {name}{tied_mark(r)} {status.symbol}" + (" ◀" if r.area_id == highlight else ""),
            value=None if missing(r.schedule_ratio) else float(r.schedule_ratio),
            colour=status.colour,
            text=f"{labels.status_text(r)} {two(r.schedule_ratio)}".strip(),
            hover=hover(f"{name}\n{status_tip(r, target['unit'], labels)}"),
            link=link,
        )
        table.append(
            [
                place_cell(r),
                cell(name, "hl" if r.area_id == highlight else "", href=link),
                status_cell(r, target["unit"], labels),
                cell(two(r.schedule_ratio), "num"),
                cell(num_marked(r.actual, approved_of(r)), "num"),
                cell(num(r.expected), "num"),
                cell(num(r.target_value), "num"),
                cell(num(r.gap), "num"),
                cell(year_strip(r.record), "code"),
            ]
        )
    columns = [_("名次"), _("城市"), _("状态"), _("序时完成比"), _("实际值"), _("序时进度值"), _("目标值")]
    return Chart(
        "league",
        _("按目标排名：%(code)s %(name)s") % {"code": target["code"], "name": target["name"]},
        figures.ranking_bars(
            **bars.series(), axis_title=_("序时完成比（1 = 在序时进度线上）"), axis_range=[-1.05, 1.25]
        ),
        [*columns, _("距目标差距"), _("逐年完成情况")],
        table,
        note=_(
            "已达标的城市排在前面，其余按序时完成比（完成进度 ÷ 时间进度，限于 −1…1）由高到低；"
            "相同时依次比较完成进度（高者在前）、差距占比（小者在前），仍相同者名次并列。"
            "每年的任务按逐年平均完成比，未完成的年份计入。"
        ),
        legend=legend_for(mine),
    )


def _overall(meta: PlanMeta, filters: Filters, mine: pd.DataFrame, n_targets: int, labels: Labels) -> Chart:
    """The cities on a set of targets: by mean score (−5…+5), then mean schedule ratio."""
    highlight = _highlight(meta, filters)
    if len(mine):
        result = rollup_shown(mine.assign(key=mine["area_id"]), "key")
    else:
        columns = ["key", "score", *(f"mean_{m}" for m in MEANS), "total", "years_missed", *Status.values]
        result = pd.DataFrame(columns=columns)
    result = rank_with_ties(result, [("score", False), ("mean_progress_ratio", False), ("mean_gap_share", True)])
    bars, table = figures.RankingBars(), []
    for r in result.itertuples(index=False):
        area_id = int(r.key)
        name = area_name(meta, area_id, labels)
        colour, band = score_band(r.score)
        counts = counts_of(r)
        score = _("得分：%(s)s（%(b)s）") % {"s": two(r.score), "b": band}
        bars.add(
            label=f"{r.rank}. {name}{tied_mark(r)}" + (" ◀" if area_id == highlight else ""),
            value=None if missing(r.score) else float(r.score),
            colour=colour,
            text=f"{two(r.score)} {band}",
            hover=hover(f"{name}\n" + score + f"\n{count_summary(counts, labels)}"),
            link=_city_link(meta, filters, area_id),
        )
        table.append(
            [
                place_cell(r),
                cell(name, "hl" if area_id == highlight else "", href=bars.links[-1]),
                cell(two(r.score), "num"),
                cell(band),
                cell(two(r.mean_schedule_ratio), "num"),
                *count_cells(counts),
                cell(int(r.total), "num"),
                cell(int(r.years_missed), "num"),
            ]
        )
    columns = [_("名次"), _("城市"), _("得分"), _("评级"), _("平均序时完成比"), *labels.status_columns(), _("合计")]
    columns.append(_("每年任务未完成年次"))
    figure = None
    if bars:
        figure = figures.ranking_bars(**bars.series(), axis_title=_("平均得分（−5…+5）"), axis_range=[-5.2, 5.2])
    return Chart(
        "league",
        _("综合排名：%(n)s 个目标的平均得分") % {"n": n_targets},
        figure,
        columns,
        table,
        note=_(
            "每项评估得分：已达标 5 分，其余按序时完成比换算到 −5…+5（0.95 → 2.5，0.60 → 0，0 → −2.5）；"
            "城市得分为其各项评估的平均；得分相同时依次比较平均完成进度（高者在前）、平均差距占比（小者在前），"
            "仍相同者名次并列。每年的任务按逐年平均完成比计分，未完成的年份另列。"
            "选择章节、部门或专栏可只排该范围的目标，选择目标则按单个目标排名。"
        ),
    )
