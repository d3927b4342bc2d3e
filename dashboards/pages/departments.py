"""3. Departments: the ranking of the provincial departments by the share of their targets achieved or on track, and
one department's page (its targets, lead and co-operating, and the cities furthest behind on them)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from progress.choices import Status
from progress.rollup import MEANS, rank_with_ties, rollup
from targets.models import Responsibility

from .. import figures
from ..filters import Filters, filter_target_ids
from ..selectors import PlanMeta
from .cells import Chart, Page, cell
from .charts import count_cells, count_summary, progress_chart, score_band, status_stack_chart
from .filter_bar import filter_bar
from .formatting import hover, missing, pct, short_name, two
from .frames import counts_of, quarter_rows, rollup_shown, status_counts
from .labels import Labels, area_name, department_name, place_cell, tied_mark


def _department_ranking(meta: PlanMeta, filters: Filters, rows: pd.DataFrame, lead_only: bool) -> pd.DataFrame:
    """Every department's roll-up over the province's rows of the targets it holds, best share first."""
    # Ranking all departments: the department filter does not apply.
    kept = filter_target_ids(meta, replace(filters, department=""))
    held = meta.responsibilities
    if lead_only:
        held = held[held["role"] == Responsibility.Role.LEAD]
    mine = rows[(rows["area_id"] == meta.province_id) & rows["target_id"].isin(kept)]
    mapping = held[held["target_id"].isin(kept)][["target_id", "department"]].drop_duplicates()
    if not len(mine) or not len(mapping):
        result = pd.DataFrame(columns=["department", "share", "score", *(f"mean_{m}" for m in MEANS), "total"])
        result = result.assign(**{s: pd.Series(dtype=int) for s in Status.values})
    else:
        result = rollup(mine.assign(status=mine["shown"]), mapping, "department")
        result = result[result["total"] > 0].copy()
        result["share"] = (result[Status.ACHIEVED.value] + result[Status.ON_TRACK.value]) / result["total"]
    order = [("share", False), ("score", False), ("mean_progress_ratio", False), ("mean_gap_share", True)]
    return rank_with_ties(result, order)


def ranking_page(meta: PlanMeta, filters: Filters) -> Page:
    labels = Labels()
    rows = quarter_rows(meta, filters)
    lead_only = filters.get("role") == "lead"
    result = _department_ranking(meta, filters, rows, lead_only)
    page = Page(_("部门排名"))
    bars, table = figures.RankingBars(), []
    for r in result.itertuples(index=False):
        name = department_name(meta, r.department, labels)
        link = reverse("dash_department", args=[r.department]) + filters.query(role=None)
        counts = counts_of(r)
        good = counts[Status.ACHIEVED] + counts[Status.ON_TRACK]
        bars.add(
            label=f"{r.rank}. {name}{tied_mark(r)}",
            value=float(r.share),
            colour=score_band(r.score)[0],
            text=f"{pct(r.share)}（{good}/{int(r.total)}）",
            hover=hover(f"{name}\n{count_summary(counts, labels)}\n" + _("得分：%(s)s") % {"s": two(r.score)}),
            link=link,
        )
        table.append(
            [
                place_cell(r),
                cell(name, href=link),
                cell(pct(r.share), "num"),
                *count_cells(counts),
                cell(int(r.total), "num"),
                cell(two(r.score), "num"),
            ]
        )
    figure = None
    if bars:
        axis = _("达标或按序时推进的目标占比")
        figure = figures.ranking_bars(**bars.series(), axis_title=axis, tickformat=".0%", axis_range=[0, 1.15])
    columns = [_("名次"), _("部门"), _("占比"), *labels.status_columns(), _("合计"), _("得分")]
    note = _(
        "按全省状态统计每个部门牵头或配合的目标（可只看牵头）；颜色为平均得分的评级，"
        "同占比时依次按得分、平均完成进度、平均差距占比排序，仍相同者名次并列。"
    )
    page.charts.append(Chart("ranking", _("各部门目标达标或按序时推进的比例"), figure, columns, table, note=note))
    roles = [("", _("牵头和配合"), not lead_only), ("lead", _("只看牵头"), lead_only)]
    page.context["filters"] = filter_bar(
        meta, filters, labels, ["quarter", "section", "special_column", "role"], {"role": (_("统计范围"), roles)}
    )
    return page


def department_page(meta: PlanMeta, filters: Filters, code: str) -> Page:
    labels = Labels()
    name = department_name(meta, code, labels)
    rows = quarter_rows(meta, filters)
    held = meta.responsibilities[meta.responsibilities["department"] == code]
    role_names = {Responsibility.Role.LEAD: _("牵头"), Responsibility.Role.COOPERATING: _("配合")}
    roles = {int(t): role for t, role in zip(held["target_id"], held["role"], strict=True)}
    kept = [t for t in filter_target_ids(meta, replace(filters, department="")) if t in roles]
    page = Page(_("%(department)s：牵头和配合的目标") % {"department": name})
    mine = rows[(rows["area_id"] == meta.province_id) & rows["target_id"].isin(kept)]

    # Status breakdown, lead and co-operating.
    kinds = [Responsibility.Role.LEAD, Responsibility.Role.COOPERATING]
    page.charts.append(
        status_stack_chart(
            "breakdown",
            _("状态分布（全省，%(quarter)s）") % {"quarter": filters.quarter_label},
            [str(role_names[k]) for k in kinds],
            status_counts(mine["shown"], mine["target_id"].map(roles), kinds),
            labels,
            _("角色"),
        )
    )

    def target_link(target):
        return reverse("dash_target", args=[target["code"]]) + filters.query(role=None)

    role_of = {t: str(role_names[r]) for t, r in roles.items()}
    title = _("牵头和配合的目标（全省）")
    page.charts.append(progress_chart("targets", title, meta, mine, labels, target_link, role_of=role_of))
    page.charts.append(_cities_behind(meta, filters, rows, kept, code, labels))

    ranking = _department_ranking(meta, filters, rows, lead_only=False)
    position = ranking.loc[ranking["department"] == code, "rank"].tolist()
    page.context["rank"] = {"position": position[0] if position else None, "of": len(ranking)}
    page.context["lead_count"] = sum(1 for t in kept if roles[t] == Responsibility.Role.LEAD)
    page.context["cooperating_count"] = sum(1 for t in kept if roles[t] == Responsibility.Role.COOPERATING)
    page.context["ranking_link"] = reverse("dash_departments") + filters.query(city=None, department=None)
    page.context["filters"] = filter_bar(meta, filters, labels, ["quarter", "section", "special_column", "city"])
    return page


def _cities_behind(meta: PlanMeta, filters: Filters, rows: pd.DataFrame, kept: list, code: str, labels) -> Chart:
    """Cities furthest behind on a department's targets: each city's mean score over them, worst first."""
    cities = rows[rows["area_id"].isin(meta.reporting_area_ids) & rows["target_id"].isin(kept)]
    if filters.city:
        cities = cities[cities["area_id"] == meta.area_by_code(filters.city)]
    bars, table = figures.RankingBars(), []
    if len(cities):
        result = rollup_shown(cities.assign(key=cities["area_id"]), "key").sort_values(
            ["score", "mean_schedule_ratio"], ascending=True, na_position="last"
        )
        for rank, r in enumerate(result.itertuples(index=False), start=1):
            area_id = int(r.key)
            city_name = area_name(meta, area_id, labels)
            behind = sum(int(getattr(r, s.value)) for s in Status if s.behind)
            worst = "；".join(
                f"{meta.targets.loc[t, 'code']} {short_name(meta.targets.loc[t, 'name'], 16)}（{pct(g)}）"
                for _a, t, g in r.furthest_behind
            )
            colour, band = score_band(r.score)
            link = reverse("dash_city", args=[meta.areas.loc[area_id, "code"]]) + filters.query(
                role=None, department=code, city=None
            )
            score = _("得分：%(s)s（%(b)s）") % {"s": two(r.score), "b": band}
            bars.add(
                label=f"{rank}. {city_name}",
                value=None if missing(r.score) else float(r.score),
                colour=colour,
                text=f"{two(r.score)} · " + _("落后 %(n)d 项") % {"n": behind},
                hover=hover(f"{city_name}\n" + score + "\n" + _("差距最大：%(w)s") % {"w": worst or "—"}),
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
    figure = None
    if bars:
        axis = _("平均得分（−5…+5），最低的在上")
        figure = figures.ranking_bars(**bars.series(), axis_title=axis, axis_range=[-5.2, 5.2])
    columns = [_("名次（由差到好）"), _("城市"), _("得分"), _("落后项数"), _("评估项数")]
    columns.append(_("差距最大的目标（差距占全程比例）"))
    note = _("落后：有风险、明显滞后、倒退或逾期未完成。")
    return Chart("cities", _("在本部门目标上最落后的城市"), figure, columns, table, note=note)
